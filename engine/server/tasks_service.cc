// Tasks (callbacks by token) and Activities (workers).

#include <atomic>
#include <optional>

#include "engine/common/strings.h"
#include "engine/json/json.h"
#include "engine/runtime/durable/step_record.h"
#include "engine/server/arns.h"
#include "engine/server/errors.h"
#include "engine/server/services.h"

namespace fleetflow::server {
namespace {

constexpr std::string_view kNoTask = "TaskDoesNotExist";
constexpr std::string_view kNoActivity = "ActivityDoesNotExist";

// Sends a token's event to its execution and finishes the call when the step
// that applied it has committed.
ServerUnaryReactor* SendToken(Backend& b, CallbackServerContext* context, const std::string& token,
                              runtime::Event event) {
  std::string arn = runtime::durable::ExecutionOfToken(token);
  if (arn.empty()) {
    return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "InvalidToken",
                               "the task token is malformed"));
  }
  ServerUnaryReactor* reactor = context->DefaultReactor();
  b.engine.Send(arn, std::move(event),
                [reactor](absl::Status status) { reactor->Finish(FromStatus(status, kNoTask)); });
  return reactor;
}

// "<execution arn>/<state>/<n>": n is the task's number within its execution
// (the token's middle part). Every dispatch gets a new one (a retry, each Map
// iteration, a redrive, a loop back to the state); a redelivery keeps it.
std::string IdempotencyKey(const store::TaskRecord& task) {
  std::string_view token = task.token;
  size_t first = token.find('#');
  size_t second = first == std::string_view::npos ? first : token.find('#', first + 1);
  std::string_view number = second == std::string_view::npos
                                ? std::string_view(task.token)
                                : token.substr(first + 1, second - first - 1);
  return StrCat(task.execution_arn, "/", task.state_name, "/", number);
}

void FillTask(const store::TaskRecord& task, v1::ActivityTask* out) {
  out->set_task_token(task.token);
  out->set_input(task.input);
  out->set_idempotency_key(IdempotencyKey(task));
  out->set_activity_arn(task.activity_arn);
  out->set_execution_arn(task.execution_arn);
  out->set_state_name(task.state_name);
  out->set_attempt(task.attempt);
  out->set_heartbeat_seconds(task.heartbeat_seconds);
  out->set_timeout_seconds(task.timeout_seconds);
}

// Streams activity tasks to one worker, as many at a time as it has credit
// for, one poll at a time per stream (a callback in the activity hub).
class PollReactor final : public grpc::ServerBidiReactor<v1::WorkerMessage, v1::ActivityTask> {
 public:
  explicit PollReactor(Backend& b) : shared_(std::make_shared<Shared>(b, this)) {
    StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    // Only this callback sets the activity, and the next read starts after it.
    bool first_subscribe = ok && incoming_.has_subscribe() && SubscribedActivity().empty();
    if (first_subscribe) {
      // An unknown activity ends the stream at once, as GetActivityTask answers.
      auto activity = shared_->b.store.GetActivity(incoming_.subscribe().activity_arn());
      if (!activity.ok()) {
        std::lock_guard lock(shared_->mu);
        return shared_->FinishLocked(FromStatus(activity.status(), kNoActivity));
      }
    }
    std::lock_guard lock(shared_->mu);
    if (!ok) return shared_->FinishLocked(grpc::Status::OK);  // the worker closed its side
    if (incoming_.has_subscribe()) {
      if (!first_subscribe) {
        return shared_->FinishLocked(Error(grpc::StatusCode::INVALID_ARGUMENT,
                                           "ValidationException", "subscribe only once"));
      }
      shared_->activity_arn = incoming_.subscribe().activity_arn();
      shared_->worker = incoming_.subscribe().worker_name();
      shared_->credit += std::max(1, incoming_.subscribe().max_in_flight());
    } else if (incoming_.has_credit() && incoming_.credit().count() > 0) {
      shared_->credit += incoming_.credit().count();
    }
    if (!shared_->activity_arn.empty()) shared_->SchedulePollLocked();
    if (shared_->finished || shared_->deferred) return;  // no read after Finish
    StartRead(&incoming_);
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(shared_->mu);
    shared_->writing = false;
    if (shared_->deferred) return shared_->FinishLocked(*shared_->deferred);
    if (!ok) return shared_->FinishLocked(grpc::Status::CANCELLED);
    shared_->SchedulePollLocked();
  }

  void OnCancel() override {
    std::lock_guard lock(shared_->mu);
    shared_->FinishLocked(grpc::Status::CANCELLED);
  }

  std::string SubscribedActivity() {
    std::lock_guard lock(shared_->mu);
    return shared_->activity_arn;
  }

  void OnDone() override {
    {
      std::lock_guard lock(shared_->mu);
      shared_->reactor = nullptr;
    }
    delete this;
  }

 private:
  // Outlives the reactor while a poll is out.
  struct Shared : std::enable_shared_from_this<Shared> {
    Shared(Backend& backend, PollReactor* r) : b(backend), reactor(r) {}

    void SchedulePollLocked() {
      if (finished || deferred || polling || writing || credit <= 0) return;
      polling = true;
      auto self = shared_from_this();
      poll = b.engine.PollActivity(activity_arn, worker, absl::Seconds(60),
                                   [self](runtime::durable::ActivityHub::PollResult task) {
                                     self->Answered(std::move(task));
                                   });
      if (poll == 0) {
        polling = false;
        FinishLocked(FromStatus(absl::UnavailableError("the engine is shutting down"), ""));
      }
    }

    void Answered(runtime::durable::ActivityHub::PollResult task) {
      std::lock_guard lock(mu);
      polling = false;
      if (finished || !reactor) {
        // The worker is gone: its task goes back at once.
        if (task.ok() && *task) {
          b.engine.Send((*task)->execution_arn,
                        runtime::TaskStartedEvent{(*task)->token, absl::Now()},
                        [](absl::Status) {});
        }
        return;
      }
      if (!task.ok()) return FinishLocked(FromStatus(task.status(), kNoActivity));
      if (*task) {
        FillTask(**task, &current);
        --credit;
        writing = true;
        reactor->StartWrite(&current);
        return;
      }
      SchedulePollLocked();  // nothing yet: wait again
    }

    // Finish may not overlap a write: with one in flight, it is deferred to
    // OnWriteDone.
    void FinishLocked(const grpc::Status& status) {
      if (finished || !reactor) return;
      if (writing) {
        if (!deferred) deferred = status;
        return;
      }
      finished = true;
      if (polling) b.engine.CancelActivityPoll(poll);
      reactor->Finish(status);
    }

    std::optional<grpc::Status> deferred;
    Backend& b;
    PollReactor* reactor;
    std::mutex mu;
    std::string activity_arn, worker;
    int credit = 0;
    uint64_t poll = 0;
    bool polling = false, writing = false, finished = false;
    v1::ActivityTask current;
  };

  std::shared_ptr<Shared> shared_;
  v1::WorkerMessage incoming_;
};

// GetActivityTask: AWS holds a poll open for up to 60 seconds. The wait is a
// callback in the activity hub, not a thread.
class LongPollReactor final : public ServerUnaryReactor {
 public:
  LongPollReactor(Backend& b, const std::string& activity_arn, const std::string& worker,
                  v1::GetActivityTaskResponse* response)
      : b_(b), response_(response) {
    poll_ = b_.engine.PollActivity(
        activity_arn, worker, absl::Seconds(60),
        [this](runtime::durable::ActivityHub::PollResult task) { Answer(std::move(task)); });
    if (poll_ == 0) Finish(FromStatus(absl::UnavailableError("the engine is shutting down"), ""));
  }

  void OnCancel() override {
    cancelled_ = true;
    b_.engine.CancelActivityPoll(poll_);
  }
  void OnDone() override { delete this; }

 private:
  void Answer(runtime::durable::ActivityHub::PollResult task) {
    if (!task.ok()) return Finish(FromStatus(task.status(), kNoActivity));
    if (*task && cancelled_) {
      // The worker left while its task was being leased: give the task back
      // at once rather than when the lease runs out.
      b_.engine.Send((*task)->execution_arn, runtime::TaskStartedEvent{(*task)->token, absl::Now()},
                     [](absl::Status) {});
    }
    if (*task) {
      response_->set_task_token((*task)->token);
      response_->set_input((*task)->input);
    }
    Finish(grpc::Status::OK);
  }

  Backend& b_;
  v1::GetActivityTaskResponse* response_;
  uint64_t poll_ = 0;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

ServerUnaryReactor* TasksService::SendTaskSuccess(CallbackServerContext* context,
                                                  const v1::SendTaskSuccessRequest* request,
                                                  v1::SendTaskSuccessResponse*) {
  auto output = ParsePayload(request->output(), "InvalidOutput", "output", b_.max_payload_bytes);
  if (!output.ok()) return Done(context, FromStatus(output.status(), kNoTask));
  return SendToken(b_, context, request->task_token(),
                   runtime::TaskSucceededEvent{request->task_token(), std::move(*output)});
}

ServerUnaryReactor* TasksService::SendTaskFailure(CallbackServerContext* context,
                                                  const v1::SendTaskFailureRequest* request,
                                                  v1::SendTaskFailureResponse*) {
  if (request->error().size() > 256 || request->cause().size() > 32768) {
    return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "ValidationException",
                               "error is at most 256 characters and cause at most 32768"));
  }
  return SendToken(
      b_, context, request->task_token(),
      runtime::TaskFailedEvent{request->task_token(), request->error(), request->cause()});
}

ServerUnaryReactor* TasksService::SendTaskHeartbeat(CallbackServerContext* context,
                                                    const v1::SendTaskHeartbeatRequest* request,
                                                    v1::SendTaskHeartbeatResponse*) {
  return SendToken(b_, context, request->task_token(),
                   runtime::TaskHeartbeatEvent{request->task_token()});
}

ServerUnaryReactor* ActivitiesService::CreateActivity(CallbackServerContext* context,
                                                      const v1::CreateActivityRequest* request,
                                                      v1::CreateActivityResponse* response) {
  if (std::string problem = NameProblem(request->name()); !problem.empty()) {
    return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "InvalidName",
                               StrCat("activity name '", request->name(), "' ", problem)));
  }
  auto a = b_.store.CreateActivity(
      {runtime::durable::ActivityArn(request->name()), request->name(), absl::Now()});
  if (!a.ok()) return Done(context, FromStatus(a.status(), kNoActivity));
  response->set_activity_arn(a->arn);
  SetTime(a->created, [&] { return response->mutable_creation_date(); });
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* ActivitiesService::DescribeActivity(CallbackServerContext* context,
                                                        const v1::DescribeActivityRequest* request,
                                                        v1::DescribeActivityResponse* response) {
  auto a = b_.store.GetActivity(request->activity_arn());
  if (!a.ok()) return Done(context, FromStatus(a.status(), kNoActivity));
  response->set_activity_arn(a->arn);
  response->set_name(a->name);
  SetTime(a->created, [&] { return response->mutable_creation_date(); });
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* ActivitiesService::ListActivities(CallbackServerContext* context,
                                                      const v1::ListActivitiesRequest* request,
                                                      v1::ListActivitiesResponse* response) {
  auto page = b_.store.ListActivities({request->next_token(), PageSize(request->max_results())});
  if (!page.ok()) return Done(context, FromStatus(page.status(), kNoActivity));
  for (const store::ActivityRecord& a : page->items) {
    v1::ActivityListItem* item = response->add_activities();
    item->set_activity_arn(a.arn);
    item->set_name(a.name);
    SetTime(a.created, [&] { return item->mutable_creation_date(); });
  }
  response->set_next_token(page->next_token);
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* ActivitiesService::DeleteActivity(CallbackServerContext* context,
                                                      const v1::DeleteActivityRequest* request,
                                                      v1::DeleteActivityResponse*) {
  absl::Status deleted = b_.store.DeleteActivity(request->activity_arn());
  if (deleted.code() == absl::StatusCode::kNotFound) return Done(context, grpc::Status::OK);
  return Done(context, FromStatus(deleted, kNoActivity));
}

ServerUnaryReactor* ActivitiesService::GetActivityTask(CallbackServerContext* context,
                                                       const v1::GetActivityTaskRequest* request,
                                                       v1::GetActivityTaskResponse* response) {
  auto activity = b_.store.GetActivity(request->activity_arn());
  if (!activity.ok()) return Done(context, FromStatus(activity.status(), kNoActivity));
  return new LongPollReactor(b_, request->activity_arn(), request->worker_name(), response);
}

grpc::ServerBidiReactor<v1::WorkerMessage, v1::ActivityTask>* ActivitiesService::PollActivityTasks(
    CallbackServerContext*) {
  return new PollReactor(b_);
}

}  // namespace fleetflow::server
