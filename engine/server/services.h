#pragma once
// The gRPC services of the engine (proto/fleetflow/v1), on gRPC's callback
// API. Each method checks its request, calls the store or the engine, and
// maps the outcome to a status with AWS's exception name.

#include <grpcpp/grpcpp.h>

#include "engine/server/backend.h"
#include "fleetflow/v1/engine.grpc.pb.h"
#include "fleetflow/v1/tasks.grpc.pb.h"

namespace fleetflow::server {

namespace v1 = ::fleetflow::v1;
using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

#define FF_UNARY(Method)                                                                         \
  ServerUnaryReactor* Method(CallbackServerContext* context, const v1::Method##Request* request, \
                             v1::Method##Response* response) override

class StateMachinesService final : public v1::StateMachines::CallbackService {
 public:
  explicit StateMachinesService(Backend& backend) : b_(backend) {}
  FF_UNARY(CreateStateMachine);
  FF_UNARY(UpdateStateMachine);
  FF_UNARY(DescribeStateMachine);
  FF_UNARY(ListStateMachines);
  FF_UNARY(DeleteStateMachine);
  FF_UNARY(PublishStateMachineVersion);
  FF_UNARY(ListStateMachineVersions);
  FF_UNARY(CreateStateMachineAlias);
  FF_UNARY(UpdateStateMachineAlias);
  FF_UNARY(DescribeStateMachineAlias);
  FF_UNARY(ListStateMachineAliases);
  FF_UNARY(DeleteStateMachineAlias);
  FF_UNARY(DescribeStateMachineForExecution);
  FF_UNARY(ValidateStateMachineDefinition);

 private:
  Backend& b_;
};

class ExecutionsService final : public v1::Executions::CallbackService {
 public:
  explicit ExecutionsService(Backend& backend) : b_(backend) {}
  FF_UNARY(StartExecution);
  FF_UNARY(StartExecutions);
  FF_UNARY(StartSyncExecution);
  FF_UNARY(DescribeExecution);
  FF_UNARY(ListExecutions);
  FF_UNARY(GetExecutionHistory);
  FF_UNARY(StopExecution);
  FF_UNARY(RedriveExecution);
  grpc::ServerWriteReactor<v1::HistoryEvent>* WatchExecution(
      CallbackServerContext* context, const v1::WatchExecutionRequest* request) override;

 private:
  Backend& b_;
};

class TasksService final : public v1::Tasks::CallbackService {
 public:
  explicit TasksService(Backend& backend) : b_(backend) {}
  FF_UNARY(SendTaskSuccess);
  FF_UNARY(SendTaskFailure);
  FF_UNARY(SendTaskHeartbeat);

 private:
  Backend& b_;
};

class ActivitiesService final : public v1::Activities::CallbackService {
 public:
  explicit ActivitiesService(Backend& backend) : b_(backend) {}
  FF_UNARY(CreateActivity);
  FF_UNARY(DescribeActivity);
  FF_UNARY(ListActivities);
  FF_UNARY(DeleteActivity);
  FF_UNARY(GetActivityTask);
  grpc::ServerBidiReactor<v1::WorkerMessage, v1::ActivityTask>* PollActivityTasks(
      CallbackServerContext* context) override;

 private:
  Backend& b_;
};

#undef FF_UNARY

// Finishes a unary call now with `status`.
inline ServerUnaryReactor* Done(CallbackServerContext* context, const grpc::Status& status) {
  ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

// A page size from max_results: 0 is the default (100), the most is 1000.
int PageSize(int max_results);

}  // namespace fleetflow::server
