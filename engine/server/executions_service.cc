// Executions: start (and start-and-wait), describe, list, history, stop.

#include <atomic>
#include <charconv>

#include "engine/common/strings.h"
#include "engine/server/arns.h"
#include "engine/server/errors.h"
#include "engine/server/history_events.h"
#include "engine/server/services.h"

namespace fleetflow::server {
namespace {

constexpr std::string_view kNoExecution = "ExecutionDoesNotExist";

grpc::Status BadExecutionArn(std::string_view arn) {
  return Error(grpc::StatusCode::INVALID_ARGUMENT, "InvalidArn",
               StrCat("'", arn, "' is not an execution ARN"));
}

v1::ExecutionStatus StatusOf(store::ExecutionStatus s) {
  switch (s) {
    case store::ExecutionStatus::kRunning:
      return v1::EXECUTION_STATUS_RUNNING;
    case store::ExecutionStatus::kSucceeded:
      return v1::EXECUTION_STATUS_SUCCEEDED;
    case store::ExecutionStatus::kFailed:
      return v1::EXECUTION_STATUS_FAILED;
    case store::ExecutionStatus::kTimedOut:
      return v1::EXECUTION_STATUS_TIMED_OUT;
    case store::ExecutionStatus::kAborted:
      return v1::EXECUTION_STATUS_ABORTED;
    case store::ExecutionStatus::kPendingRedrive:
      return v1::EXECUTION_STATUS_PENDING_REDRIVE;
  }
  return v1::EXECUTION_STATUS_UNSPECIFIED;
}

// Answers StartSyncExecution when the execution ends. Exactly one of the
// answer, a start error or the client's cancellation finishes the call; the
// others find it claimed and leave the reactor alone.
class SyncStartReactor final : public grpc::ServerUnaryReactor {
 public:
  SyncStartReactor(Backend& b, v1::StartSyncExecutionResponse* response)
      : shared_(std::make_shared<Shared>(b, this, response)) {}

  void Begin(runtime::durable::StartRequest start) {
    std::shared_ptr<Shared> shared = shared_;
    shared->arn = runtime::durable::ExecutionArn(start.machine_name, start.name);
    // Watch commits before starting: the end may come with the first step.
    observer_ = shared->b.engine.AddCommitObserver([shared](const store::ExecutionRecord& row) {
      if (row.arn == shared->arn && row.status != store::ExecutionStatus::kRunning) {
        shared->b.pool.Submit([shared] { shared->Answer(); });
      }
    });
    shared->b.engine.StartExecution(std::move(start),
                                    [shared](absl::StatusOr<store::ExecutionRecord> row) {
                                      if (!row.ok()) {
                                        if (shared->Claim())
                                          shared->reactor->Finish(FromStatus(row.status(), ""));
                                      } else if (row->status != store::ExecutionStatus::kRunning) {
                                        shared->b.pool.Submit([shared] { shared->Answer(); });
                                      }
                                    });
  }

  void OnCancel() override {
    if (shared_->Claim()) Finish(grpc::Status::CANCELLED);
  }
  void OnDone() override {
    shared_->b.engine.RemoveCommitObserver(observer_);
    delete this;
  }

 private:
  struct Shared {
    Shared(Backend& backend, SyncStartReactor* r, v1::StartSyncExecutionResponse* out)
        : b(backend), reactor(r), response(out) {}
    // True for the one caller that may finish the call.
    bool Claim() {
      std::lock_guard lock(mu);
      if (claimed) return false;
      claimed = true;
      return true;
    }
    void Answer() {
      auto row = b.store.GetExecution(arn);
      if (!Claim()) return;
      if (!row.ok()) return reactor->Finish(FromStatus(row.status(), kNoExecution));
      response->set_execution_arn(row->arn);
      response->set_state_machine_arn(row->machine_arn);
      response->set_name(row->name);
      SetTime(row->start, [&] { return response->mutable_start_date(); });
      SetTime(row->stop, [&] { return response->mutable_stop_date(); });
      response->set_status(StatusOf(row->status));
      response->set_error(row->error);
      response->set_cause(row->cause);
      response->set_input(row->input);
      response->set_output(row->output);
      reactor->Finish(grpc::Status::OK);
    }

    Backend& b;
    SyncStartReactor* reactor;  // valid until the call is finished and done
    v1::StartSyncExecutionResponse* response;
    std::string arn;
    std::mutex mu;
    bool claimed = false;
  };

  std::shared_ptr<Shared> shared_;
  int observer_ = 0;
};

}  // namespace

ServerUnaryReactor* ExecutionsService::StartExecution(CallbackServerContext* context,
                                                      const v1::StartExecutionRequest* request,
                                                      v1::StartExecutionResponse* response) {
  auto start = PrepareStart(b_, request->state_machine_arn(), request->name(), request->input());
  if (!start.ok()) return Done(context, FromStatus(start.status(), "StateMachineDoesNotExist"));
  ServerUnaryReactor* reactor = context->DefaultReactor();
  b_.engine.StartExecution(std::move(*start),
                           [reactor, response](absl::StatusOr<store::ExecutionRecord> row) {
                             if (!row.ok()) {
                               return reactor->Finish(FromStatus(row.status(), kNoExecution));
                             }
                             response->set_execution_arn(row->arn);
                             SetTime(row->start, [&] { return response->mutable_start_date(); });
                             reactor->Finish(grpc::Status::OK);
                           });
  return reactor;
}

ServerUnaryReactor* ExecutionsService::StartExecutions(CallbackServerContext* context,
                                                       const v1::StartExecutionsRequest* request,
                                                       v1::StartExecutionsResponse* response) {
  constexpr int kMaxStarts = 1000;
  int count = request->executions_size();
  if (count > kMaxStarts) {
    return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "ValidationException",
                               StrCat("at most ", kMaxStarts, " starts per call, not ", count)));
  }
  if (count == 0) return Done(context, grpc::Status::OK);
  for (int i = 0; i < count; ++i) response->add_outcomes();
  // The call ends when the last start is settled; each outcome is written by
  // its own start, so no lock is needed for them.
  struct Batch {
    Batch(ServerUnaryReactor* r, int n) : reactor(r), left(n) {}
    ServerUnaryReactor* reactor;
    std::atomic<int> left;
  };
  auto batch = std::make_shared<Batch>(context->DefaultReactor(), count);
  auto settle = [batch](v1::StartExecutionOutcome* outcome, const grpc::Status& status) {
    if (!status.ok()) {
      outcome->set_code(status.error_code());
      outcome->set_message(status.error_message());
    }
    if (batch->left.fetch_sub(1) == 1) batch->reactor->Finish(grpc::Status::OK);
  };
  ServerUnaryReactor* reactor = batch->reactor;
  for (int i = 0; i < count; ++i) {
    const v1::StartExecutionRequest& one = request->executions(i);
    v1::StartExecutionOutcome* outcome = response->mutable_outcomes(i);
    auto start = PrepareStart(b_, one.state_machine_arn(), one.name(), one.input());
    if (!start.ok()) {
      settle(outcome, FromStatus(start.status(), "StateMachineDoesNotExist"));
      continue;
    }
    b_.engine.StartExecution(std::move(*start),
                             [settle, outcome](absl::StatusOr<store::ExecutionRecord> row) {
                               if (!row.ok()) {
                                 return settle(outcome, FromStatus(row.status(), kNoExecution));
                               }
                               outcome->set_execution_arn(row->arn);
                               SetTime(row->start, [&] { return outcome->mutable_start_date(); });
                               settle(outcome, grpc::Status::OK);
                             });
  }
  return reactor;
}

ServerUnaryReactor* ExecutionsService::StartSyncExecution(
    CallbackServerContext* context, const v1::StartSyncExecutionRequest* request,
    v1::StartSyncExecutionResponse* response) {
  auto start = PrepareStart(b_, request->state_machine_arn(), request->name(), request->input());
  if (!start.ok()) return Done(context, FromStatus(start.status(), "StateMachineDoesNotExist"));
  auto* reactor = new SyncStartReactor(b_, response);
  reactor->Begin(std::move(*start));
  return reactor;
}

namespace {

// runtime::RedriveBlocker, read from the row alone (the state is not decoded).
std::string RedriveBlocker(const store::ExecutionRecord& e) {
  switch (e.status) {
    case store::ExecutionStatus::kRunning:
    case store::ExecutionStatus::kPendingRedrive:
      return "Execution is RUNNING and cannot be redriven";
    case store::ExecutionStatus::kSucceeded:
      return "Execution is SUCCEEDED and cannot be redriven";
    default:
      break;
  }
  if (e.error == "States.Runtime" && e.cause.starts_with("The execution reached the limit of "))
    return "Execution history event limit exceeded";
  // The engine could not run it (its definition or state unreadable).
  if (e.error == "Fleetflow.EngineError") return "Execution cannot run in this engine";
  // Ended before this build kept redrive points in the state.
  if (e.state.find("\"unwound\"") == std::string::npos)
    return "Execution has no redrive point to continue from";
  return "";
}

}  // namespace

ServerUnaryReactor* ExecutionsService::DescribeExecution(
    CallbackServerContext* context, const v1::DescribeExecutionRequest* request,
    v1::DescribeExecutionResponse* response) {
  if (!MachineOfExecution(request->execution_arn())) {
    return Done(context, BadExecutionArn(request->execution_arn()));
  }
  auto e = b_.store.GetExecution(request->execution_arn());
  if (!e.ok()) return Done(context, FromStatus(e.status(), kNoExecution));
  response->set_execution_arn(e->arn);
  response->set_state_machine_arn(e->machine_arn);
  response->set_name(e->name);
  response->set_status(StatusOf(e->status));
  SetTime(e->start, [&] { return response->mutable_start_date(); });
  SetTime(e->stop, [&] { return response->mutable_stop_date(); });
  response->set_input(e->input);
  response->set_output(e->output);
  response->set_error(e->error);
  response->set_cause(e->cause);
  response->set_state_machine_version_arn(e->version_arn);
  response->set_state_machine_alias_arn(e->alias_arn);
  response->set_redrive_count(e->redrive_count);
  SetTime(e->redrive_date, [&] { return response->mutable_redrive_date(); });
  std::string blocker = RedriveBlocker(*e);
  response->set_redrive_status(blocker.empty() ? v1::EXECUTION_REDRIVE_STATUS_REDRIVABLE
                                               : v1::EXECUTION_REDRIVE_STATUS_NOT_REDRIVABLE);
  response->set_redrive_status_reason(blocker);
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* ExecutionsService::ListExecutions(CallbackServerContext* context,
                                                      const v1::ListExecutionsRequest* request,
                                                      v1::ListExecutionsResponse* response) {
  store::ExecutionFilter filter;
  if (!request->state_machine_arn().empty()) {
    auto ref = ParseMachineArn(request->state_machine_arn());
    if (!ref) {
      return Done(context,
                  Error(grpc::StatusCode::INVALID_ARGUMENT, "InvalidArn",
                        StrCat("'", request->state_machine_arn(), "' is not a state machine ARN")));
    }
    if (auto m = b_.store.GetMachine(ref->machine_arn); !m.ok()) {
      return Done(context, FromStatus(m.status(), "StateMachineDoesNotExist"));
    }
    filter.machine_arn = ref->machine_arn;
    // Through a version or an alias: only the executions started through it.
    if (ref->version) filter.version_arn = VersionArn(ref->machine_arn, ref->version);
    if (!ref->alias.empty()) filter.alias_arn = request->state_machine_arn();
  }
  if (request->redrive_filter() == v1::EXECUTION_REDRIVE_FILTER_REDRIVEN) {
    filter.redriven = store::ExecutionFilter::Redriven::kYes;
  } else if (request->redrive_filter() == v1::EXECUTION_REDRIVE_FILTER_NOT_REDRIVEN) {
    filter.redriven = store::ExecutionFilter::Redriven::kNo;
  }
  if (request->status_filter() != v1::EXECUTION_STATUS_UNSPECIFIED) {
    filter.has_status = true;
    const std::string& full = v1::ExecutionStatus_Name(request->status_filter());
    constexpr std::string_view kPrefix = "EXECUTION_STATUS_";
    if (!v1::ExecutionStatus_IsValid(request->status_filter()) ||
        !store::ParseExecutionStatus(std::string_view(full).substr(kPrefix.size()),
                                     filter.status)) {
      return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "ValidationException",
                                 "unknown status filter"));
    }
  }
  if (request->has_started_after()) filter.started_after = TimeOf(request->started_after());
  if (request->has_started_before()) filter.started_before = TimeOf(request->started_before());
  auto page =
      b_.store.ListExecutions(filter, {request->next_token(), PageSize(request->max_results())});
  if (!page.ok()) return Done(context, FromStatus(page.status(), kNoExecution));
  for (const store::ExecutionRecord& e : page->items) {
    v1::ExecutionListItem* item = response->add_executions();
    item->set_execution_arn(e.arn);
    item->set_state_machine_arn(e.machine_arn);
    item->set_name(e.name);
    item->set_status(StatusOf(e.status));
    SetTime(e.start, [&] { return item->mutable_start_date(); });
    SetTime(e.stop, [&] { return item->mutable_stop_date(); });
    item->set_state_machine_version_arn(e.version_arn);
    item->set_state_machine_alias_arn(e.alias_arn);
    item->set_redrive_count(e.redrive_count);
    SetTime(e.redrive_date, [&] { return item->mutable_redrive_date(); });
  }
  response->set_next_token(page->next_token);
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* ExecutionsService::GetExecutionHistory(
    CallbackServerContext* context, const v1::GetExecutionHistoryRequest* request,
    v1::GetExecutionHistoryResponse* response) {
  if (!MachineOfExecution(request->execution_arn())) {
    return Done(context, BadExecutionArn(request->execution_arn()));
  }
  auto e = b_.store.GetExecution(request->execution_arn());
  if (!e.ok()) return Done(context, FromStatus(e.status(), kNoExecution));
  int limit = PageSize(request->max_results());
  bool include = !request->has_include_execution_data() || request->include_execution_data();
  // The page token is the id of the last event handed out.
  int64_t cursor = request->reverse_order() ? e->last_event_id + 1 : 0;
  if (!request->next_token().empty()) {
    const std::string& token = request->next_token();
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), cursor);
    if (ec != std::errc() || end != token.data() + token.size() || cursor < 0) {
      return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "InvalidToken",
                                 StrCat("invalid page token '", token, "'")));
    }
  }
  std::vector<v1::HistoryEvent> events;
  while (static_cast<int>(events.size()) < limit) {
    auto batches = request->reverse_order() ? b_.store.ReadHistoryReverse(e->arn, cursor, 16)
                                            : b_.store.ReadHistory(e->arn, cursor, 16);
    if (!batches.ok()) return Done(context, FromStatus(batches.status(), kNoExecution));
    if (batches->empty()) break;
    for (const store::HistoryBatch& batch : *batches) {
      std::vector<v1::HistoryEvent> part;
      absl::Status s = request->reverse_order()
                           ? AppendEvents(batch, 0, cursor, include, part)
                           : AppendEvents(batch, cursor, INT64_MAX, include, part);
      if (!s.ok()) return Done(context, FromStatus(s, kNoExecution));
      if (request->reverse_order()) std::reverse(part.begin(), part.end());
      for (v1::HistoryEvent& ev : part) {
        if (static_cast<int>(events.size()) == limit) break;
        cursor = ev.id();
        events.push_back(std::move(ev));
      }
      if (static_cast<int>(events.size()) == limit) break;
    }
  }
  bool more = request->reverse_order() ? cursor > 1 : cursor < e->last_event_id;
  for (v1::HistoryEvent& ev : events) *response->add_events() = std::move(ev);
  if (static_cast<int>(events.size()) == limit && more) {
    response->set_next_token(std::to_string(cursor));
  }
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* ExecutionsService::StopExecution(CallbackServerContext* context,
                                                     const v1::StopExecutionRequest* request,
                                                     v1::StopExecutionResponse* response) {
  if (!MachineOfExecution(request->execution_arn())) {
    return Done(context, BadExecutionArn(request->execution_arn()));
  }
  if (request->error().size() > 256 || request->cause().size() > 32768) {
    return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "ValidationException",
                               "error is at most 256 characters and cause at most 32768"));
  }
  ServerUnaryReactor* reactor = context->DefaultReactor();
  std::string arn = request->execution_arn();
  b_.engine.Send(arn, runtime::AbortEvent{request->error(), request->cause()},
                 [this, reactor, response, arn](absl::Status status) {
                   if (!status.ok()) return reactor->Finish(FromStatus(status, kNoExecution));
                   auto row = b_.store.GetExecution(arn);
                   if (!row.ok()) return reactor->Finish(FromStatus(row.status(), kNoExecution));
                   SetTime(row->stop, [&] { return response->mutable_stop_date(); });
                   reactor->Finish(grpc::Status::OK);
                 });
  return reactor;
}

ServerUnaryReactor* ExecutionsService::RedriveExecution(CallbackServerContext* context,
                                                        const v1::RedriveExecutionRequest* request,
                                                        v1::RedriveExecutionResponse* response) {
  if (!MachineOfExecution(request->execution_arn())) {
    return Done(context, BadExecutionArn(request->execution_arn()));
  }
  if (request->client_token().size() > 64) {
    return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "ValidationException",
                               "clientToken is at most 64 characters"));
  }
  ServerUnaryReactor* reactor = context->DefaultReactor();
  std::string arn = request->execution_arn();
  b_.engine.Send(arn, runtime::RedriveEvent{request->client_token()},
                 [this, reactor, response, arn](absl::Status status) {
                   if (!status.ok()) return reactor->Finish(FromStatus(status, kNoExecution));
                   auto row = b_.store.GetExecution(arn);
                   if (!row.ok()) return reactor->Finish(FromStatus(row.status(), kNoExecution));
                   SetTime(row->redrive_date, [&] { return response->mutable_redrive_date(); });
                   reactor->Finish(grpc::Status::OK);
                 });
  return reactor;
}

}  // namespace fleetflow::server
