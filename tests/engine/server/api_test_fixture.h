#pragma once
// A real Fleetflow server (Server::Start) over a fresh store of each kind,
// listening on a free loopback port, and the generated stubs of every service
// on a real gRPC channel to it. Helpers wait for executions through the API
// only (DescribeExecution, GetExecutionHistory), never by sleeping a fixed
// time.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/json/json.h"
#include "engine/server/server.h"
#include "fleetflow/v1/engine.grpc.pb.h"
#include "fleetflow/v1/tasks.grpc.pb.h"
#include "tests/engine/store/store_test_env.h"

namespace fleetflow::server::apitest {

namespace v1 = ::fleetflow::v1;

// --- Definitions the tests run ----------------------------------------------

// Adds {"ok":true} under $.r.
inline constexpr std::string_view kPass = R"({"StartAt":"P","States":{
  "P":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.r","End":true}}})";
// Another definition: returns 2.
inline constexpr std::string_view kPassTwo = R"({"StartAt":"P","States":{
  "P":{"Type":"Pass","Result":2,"End":true}}})";
// Four Pass states: ten events in one committed step.
inline constexpr std::string_view kPassChain = R"({"StartAt":"A","States":{
  "A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},
  "B":{"Type":"Pass","Result":2,"ResultPath":"$.b","Next":"C"},
  "C":{"Type":"Pass","Result":3,"ResultPath":"$.c","Next":"D"},
  "D":{"Type":"Pass","Result":4,"ResultPath":"$.d","End":true}}})";
inline constexpr std::string_view kFail = R"({"StartAt":"F","States":{
  "F":{"Type":"Fail","Error":"Robot.Broken","Cause":"a wheel fell off"}}})";
// Waits for SendTaskSuccess/Failure; the token is in the TaskScheduled
// event's parameters.
inline constexpr std::string_view kCallback = R"({"StartAt":"Wait","States":{
  "Wait":{"Type":"Task","Resource":"fleetflow:callback.waitForTaskToken",
          "Parameters":{"token.$":"$$.Task.Token"},"End":true}}})";
// Stays RUNNING for an hour.
inline constexpr std::string_view kSleep = R"({"StartAt":"W","States":{
  "W":{"Type":"Wait","Seconds":3600,"End":true}}})";

// A Task state on an activity.
inline std::string ActivityMachine(const std::string& activity_arn) {
  return R"({"StartAt":"Scan","States":{"Scan":{"Type":"Task","Resource":")" + activity_arn +
         R"(","End":true}}})";
}

// --- Status checks that print the code and message when they fail -----------

inline ::testing::AssertionResult IsOk(const grpc::Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "status code " << s.error_code() << ": " << s.error_message();
}

// The gRPC code, and a message that starts with "<aws_name>: ".
inline ::testing::AssertionResult IsError(const grpc::Status& s, grpc::StatusCode code,
                                          std::string_view aws_name) {
  std::string prefix = std::string(aws_name) + ": ";
  if (s.error_code() == code && s.error_message().rfind(prefix, 0) == 0) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "want code " << code << " and message \"" << prefix << "...\"; got code "
         << s.error_code() << " and message \"" << s.error_message() << "\"";
}

// The last ':'-separated part of an ARN (a version number, an execution name).
inline std::string LastPart(const std::string& arn) { return arn.substr(arn.rfind(':') + 1); }

inline bool Ended(v1::ExecutionStatus s) {
  return s != v1::EXECUTION_STATUS_RUNNING && s != v1::EXECUTION_STATUS_UNSPECIFIED;
}

// --- The fixture --------------------------------------------------------------

class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<store::testing::StoreEnv>(GetParam());
    if (!env_->Available()) GTEST_SKIP() << "FLEETFLOW_TEST_PG_URL is not set (tests/run sets it)";
    StartServer();
  }

  // A server over the test's store, and stubs on a channel to it.
  void StartServer() {
    ServerOptions options;
    options.store_url = env_->url();
    options.listen = "127.0.0.1:0";
    auto started = Server::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(*started);
    ASSERT_GT(server_->port(), 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    machines_ = v1::StateMachines::NewStub(channel_);
    executions_ = v1::Executions::NewStub(channel_);
    tasks_ = v1::Tasks::NewStub(channel_);
    activities_ = v1::Activities::NewStub(channel_);
  }

  // Shuts the server down and starts another over the same store.
  void RestartServer() {
    server_->Shutdown();
    server_.reset();
    StartServer();
  }

  void TearDown() override {
    machines_.reset();
    executions_.reset();
    tasks_.reset();
    activities_.reset();
    channel_.reset();
    if (server_) server_->Shutdown();
    server_.reset();
    env_.reset();
  }

  // A call's context. The deadline only keeps a broken server from hanging
  // the test; GetActivityTask long-polls up to 60 s.
  static std::unique_ptr<grpc::ClientContext> Ctx() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(90));
    return context;
  }

  std::string CreateMachine(const std::string& name, std::string_view definition,
                            v1::StateMachineType type = v1::STATE_MACHINE_TYPE_STANDARD) {
    v1::CreateStateMachineRequest request;
    request.set_name(name);
    request.set_definition(std::string(definition));
    request.set_role_arn("arn:aws:iam::123456789012:role/robot");
    request.set_type(type);
    v1::CreateStateMachineResponse response;
    grpc::Status s = machines_->CreateStateMachine(Ctx().get(), request, &response);
    EXPECT_TRUE(IsOk(s)) << "CreateStateMachine " << name;
    return response.state_machine_arn();
  }

  std::string Publish(const std::string& machine_arn) {
    v1::PublishStateMachineVersionRequest request;
    request.set_state_machine_arn(machine_arn);
    v1::PublishStateMachineVersionResponse response;
    EXPECT_TRUE(IsOk(machines_->PublishStateMachineVersion(Ctx().get(), request, &response)));
    return response.state_machine_version_arn();
  }

  grpc::Status UpdateDefinition(const std::string& machine_arn, std::string_view definition) {
    v1::UpdateStateMachineRequest request;
    request.set_state_machine_arn(machine_arn);
    request.set_definition(std::string(definition));
    v1::UpdateStateMachineResponse response;
    return machines_->UpdateStateMachine(Ctx().get(), request, &response);
  }

  grpc::Status Start(const std::string& machine_arn, const std::string& name,
                     const std::string& input, v1::StartExecutionResponse* response) {
    v1::StartExecutionRequest request;
    request.set_state_machine_arn(machine_arn);
    request.set_name(name);
    request.set_input(input);
    return executions_->StartExecution(Ctx().get(), request, response);
  }

  // Starts an execution that must start; returns its ARN.
  std::string StartOk(const std::string& machine_arn, const std::string& name = "",
                      const std::string& input = "{}") {
    v1::StartExecutionResponse response;
    grpc::Status s = Start(machine_arn, name, input, &response);
    EXPECT_TRUE(IsOk(s)) << "StartExecution on " << machine_arn;
    EXPECT_FALSE(response.execution_arn().empty());
    return response.execution_arn();
  }

  grpc::Status Describe(const std::string& execution_arn, v1::DescribeExecutionResponse* response) {
    v1::DescribeExecutionRequest request;
    request.set_execution_arn(execution_arn);
    return executions_->DescribeExecution(Ctx().get(), request, response);
  }

  v1::DescribeExecutionResponse Describe(const std::string& execution_arn) {
    v1::DescribeExecutionResponse response;
    EXPECT_TRUE(IsOk(Describe(execution_arn, &response))) << execution_arn;
    return response;
  }

  // Polls DescribeExecution until the execution has ended (at most a minute).
  v1::DescribeExecutionResponse AwaitEnd(const std::string& execution_arn) {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    v1::DescribeExecutionResponse response;
    while (std::chrono::steady_clock::now() < give_up) {
      response.Clear();
      grpc::Status s = Describe(execution_arn, &response);
      if (!s.ok()) {
        ADD_FAILURE() << "DescribeExecution " << execution_arn << ": " << s.error_message();
        return response;
      }
      if (Ended(response.status())) return response;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << execution_arn << " did not end within a minute";
    return response;
  }

  grpc::Status HistoryPage(const std::string& execution_arn, int max_results,
                           const std::string& next_token, bool reverse,
                           v1::GetExecutionHistoryResponse* response,
                           std::optional<bool> include_data = std::nullopt) {
    v1::GetExecutionHistoryRequest request;
    request.set_execution_arn(execution_arn);
    request.set_max_results(max_results);
    request.set_next_token(next_token);
    request.set_reverse_order(reverse);
    if (include_data) request.set_include_execution_data(*include_data);
    return executions_->GetExecutionHistory(Ctx().get(), request, response);
  }

  // Every event, in one page of up to 1000.
  std::vector<v1::HistoryEvent> History(const std::string& execution_arn,
                                        std::optional<bool> include_data = std::nullopt) {
    v1::GetExecutionHistoryResponse response;
    EXPECT_TRUE(IsOk(HistoryPage(execution_arn, 1000, "", false, &response, include_data)));
    EXPECT_TRUE(response.next_token().empty());
    return {response.events().begin(), response.events().end()};
  }

  static std::vector<std::string> Types(const std::vector<v1::HistoryEvent>& events) {
    std::vector<std::string> types;
    for (const v1::HistoryEvent& e : events) types.push_back(e.type());
    return types;
  }

  // The task token a TaskScheduled event passed as Parameters {"token": ...}.
  static std::string TokenOf(const v1::HistoryEvent& scheduled) {
    auto details = json::Parse(scheduled.details_json());
    if (!details.ok() || !details->is_object()) return "";
    const json::Value* parameters = details->as_object().if_contains("parameters");
    if (parameters == nullptr) return "";
    json::Value value = *parameters;
    if (value.is_string()) {  // AWS gives parameters as JSON text
      auto parsed = json::Parse(std::string_view(value.get_string()));
      if (!parsed.ok()) return "";
      value = std::move(*parsed);
    }
    if (!value.is_object()) return "";
    const json::Value* token = value.as_object().if_contains("token");
    return token && token->is_string() ? std::string(token->get_string()) : "";
  }

  // Polls the history until the newest task was scheduled; returns its token.
  std::string AwaitTaskToken(const std::string& execution_arn) {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (std::chrono::steady_clock::now() < give_up) {
      std::vector<v1::HistoryEvent> events = History(execution_arn);
      for (auto e = events.rbegin(); e != events.rend(); ++e) {
        if (e->type() == "TaskScheduled") return TokenOf(*e);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << execution_arn << " scheduled no task within a minute";
    return "";
  }

  grpc::Status SendSuccess(const std::string& token, const std::string& output) {
    v1::SendTaskSuccessRequest request;
    request.set_task_token(token);
    request.set_output(output);
    v1::SendTaskSuccessResponse response;
    return tasks_->SendTaskSuccess(Ctx().get(), request, &response);
  }

  std::unique_ptr<store::testing::StoreEnv> env_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::StateMachines::Stub> machines_;
  std::unique_ptr<v1::Executions::Stub> executions_;
  std::unique_ptr<v1::Tasks::Stub> tasks_;
  std::unique_ptr<v1::Activities::Stub> activities_;
};

}  // namespace fleetflow::server::apitest
