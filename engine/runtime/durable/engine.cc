#include "engine/runtime/durable/engine.h"

#include <algorithm>
#include <future>
#include <random>

#include "engine/common/log.h"
#include "engine/common/status.h"
#include "engine/common/strings.h"
#include "engine/common/timestamp.h"
#include "engine/runtime/durable/execution_lifecycle.h"
#include "engine/runtime/durable/step_record.h"
#include "engine/runtime/state_codec.h"

namespace fleetflow::runtime::durable {

std::string ExecutionArn(std::string_view machine_name, std::string_view execution_name) {
  return StrCat("arn:fleetflow:states:local:execution:", machine_name, ":", execution_name);
}

std::string ExecutionOfToken(std::string_view token) {
  // Tokens are "<execution arn>#<seq>#<secret>" (see the Task state).
  size_t hash = token.find('#');
  if (hash == std::string_view::npos || token.rfind("arn:", 0) != 0) return "";
  return std::string(token.substr(0, hash));
}

namespace {

// The row as callbacks and observers see it: everything but the serialized
// state (kilobytes, and nobody reads it there), which is not copied.
std::shared_ptr<store::ExecutionRecord> RowWithoutState(store::ExecutionRecord& row) {
  std::string state = std::move(row.state);
  auto copy = std::make_shared<store::ExecutionRecord>(row);
  row.state = std::move(state);
  return copy;
}

uint64_t RandomSeed() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  return generator();
}

const std::string* TokenOf(const Event& event) {
  if (const auto* e = std::get_if<TaskStartedEvent>(&event)) return &e->token;
  if (const auto* e = std::get_if<TaskSucceededEvent>(&event)) return &e->token;
  if (const auto* e = std::get_if<TaskFailedEvent>(&event)) return &e->token;
  if (const auto* e = std::get_if<TaskHeartbeatEvent>(&event)) return &e->token;
  return nullptr;
}

bool EndsTask(const Event& event) {
  return std::holds_alternative<TaskSucceededEvent>(event) ||
         std::holds_alternative<TaskFailedEvent>(event);
}

// Worth retrying later: the store could not be reached, or lost a race.
bool Transient(const absl::Status& s) {
  return s.code() == absl::StatusCode::kUnavailable || s.code() == absl::StatusCode::kAborted;
}

// Retries a read while the database is unreachable (a restart, a failover).
template <typename F>
auto WithBackoff(F&& read) -> decltype(read()) {
  absl::Duration backoff = absl::Milliseconds(5);
  absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (true) {
    auto result = read();
    if (result.ok() || result.status().code() != absl::StatusCode::kUnavailable ||
        absl::Now() + backoff > give_up) {
      return result;
    }
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(1));
  }
}

}  // namespace

Engine::Engine(store::Store& store, ResourceRegistry& resources, Clock& clock,
               EngineOptions options)
    : store_(store),
      resources_(resources),
      clock_(clock),
      options_(options),
      machines_(store, options.interpreter),
      committer_(store, options.commit),
      timers_(
          store, clock,
          [this](const std::string& arn, int64_t id) {
            Send(arn, TimerFiredEvent{id},
                 [this, arn, id](absl::Status) { timers_.Done(arn, id); });
          },
          options.timer_horizon),
      activities_(store, clock, options.activity_lease),
      liveness_(std::make_shared<Liveness>()) {
  liveness_->engine = this;
}

Engine::~Engine() { Shutdown(); }

absl::Status Engine::Start() {
  timers_.Start();
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  // Integration tasks scheduled before a crash and never answered run again
  // now, and then periodically for results that got lost.
  Redispatch();
  return absl::OkStatus();
}

void Engine::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
  }
  {
    std::lock_guard lock(liveness_->mu);
    liveness_->engine = nullptr;  // late handler callbacks find no engine
  }
  delayed_.Stop();
  cv_.notify_all();
  activities_.Close();
  timers_.Stop();
  for (std::thread& t : workers_) t.join();  // they drain the steps in flight
  workers_.clear();
  committer_.Stop();
}

EngineStats Engine::stats() const {
  return {steps_.load(), transitions_.load(), events_.load(), committer_.stats()};
}

int Engine::AddCommitObserver(CommitObserver observer) {
  std::lock_guard lock(observers_mu_);
  auto changed = std::make_shared<Observers>(*observers_);
  (*changed)[next_observer_] = std::make_shared<CommitObserver>(std::move(observer));
  observers_ = std::move(changed);
  return next_observer_++;
}

void Engine::RemoveCommitObserver(int id) {
  std::lock_guard lock(observers_mu_);
  auto changed = std::make_shared<Observers>(*observers_);
  changed->erase(id);
  observers_ = std::move(changed);
}

absl::Time Engine::Now() {
  // The store keeps microseconds: a row read back equals the row written.
  return absl::FromUnixMicros(absl::ToUnixMicros(clock_.Now()));
}

void Engine::Notify(const store::ExecutionRecord& row) {
  // Observers are called without the lock: one may remove itself.
  std::shared_ptr<const Observers> observers;
  {
    std::lock_guard lock(observers_mu_);
    observers = observers_;
  }
  for (const auto& [id, observer] : *observers) (*observer)(row);
}

void Engine::AfterCommit(const std::string& arn, std::shared_ptr<const store::ExecutionRecord> row,
                         std::vector<Command> commands) {
  bool dispatches = std::any_of(commands.begin(), commands.end(), [](const Command& c) {
    return std::holds_alternative<DispatchTask>(c) || std::holds_alternative<CancelTask>(c);
  });
  if (!dispatches) {
    Perform(arn, commands);
    return Notify(*row);
  }
  auto shared = std::make_shared<std::vector<Command>>(std::move(commands));
  Post([this, arn, row, shared] {
    Perform(arn, *shared);
    Notify(*row);
  });
}

void Engine::Committed(uint64_t transitions, int64_t events) {
  ++steps_;
  transitions_ += transitions;
  events_ += events;
}

bool Engine::AlreadyCommitted(const std::string& arn, const std::string& step_id) {
  auto row = WithBackoff([&] { return store_.GetExecution(arn); });
  return row.ok() && row->step_id == step_id;
}

void Engine::StartExecution(StartRequest request, StartCallback done) {
  {
    std::unique_lock lock(mu_);
    if (stopping_) {
      lock.unlock();  // `done` may call back into the engine
      return done(absl::UnavailableError("the engine is shutting down"));
    }
    ++steps_in_flight_;
  }
  auto finish = [this, done = std::move(done)](absl::StatusOr<store::ExecutionRecord> result) {
    done(std::move(result));
    std::lock_guard lock(mu_);
    --steps_in_flight_;
    if (stopping_) cv_.notify_all();  // workers wait for the last one at shutdown
  };
  auto interpreter = machines_.Get(request.definition_id);
  if (!interpreter.ok()) return finish(interpreter.status());
  json::ValuePtr input = std::move(request.parsed_input);
  if (!input) {
    auto parsed = json::Parse(request.input);
    if (!parsed.ok()) return finish(absl::InvalidArgumentError(parsed.status().message()));
    input = json::Share(std::move(*parsed));
  }

  absl::Time now = Now();
  auto state = std::make_shared<ExecutionState>();
  ExecutionIdentity identity{request.name, request.machine_name, RandomSeed()};
  Decision decision = (*interpreter)->Start(*state, identity, std::move(input), now);

  store::ExecutionRecord row;
  row.arn = state->execution_id;
  row.machine_arn = request.machine_arn;
  row.name = request.name;
  row.definition_id = request.definition_id;
  row.version_arn = request.version_arn;
  row.alias_arn = request.alias_arn;
  row.input = request.input;
  row.start = now;
  row.partition = store::PartitionOf(row.arn);
  auto record = std::make_shared<StepRecord>(std::move(row), 0);
  record->Add(decision, now);
  store::Transition transition = record->Finish(*state, now);
  auto committed_row = RowWithoutState(transition.execution);
  committed_row->version = 1;
  // Settling reads the store when the insert met an existing row; that read
  // runs on a worker, never on the committer's threads.
  auto settle = [this, record, committed_row, request,
                 done = std::move(finish)](absl::Status status) {
    if (status.code() == absl::StatusCode::kAlreadyExists &&
        AlreadyCommitted(committed_row->arn, committed_row->step_id)) {
      status = absl::OkStatus();  // our own insert, from a commit whose outcome was unknown
    }
    if (status.ok()) {
      Committed(record->transitions(), record->events());
      AfterCommit(committed_row->arn, committed_row, std::move(record->commands()));
      return done(*committed_row);
    }
    if (status.code() != absl::StatusCode::kAlreadyExists) return done(status);
    // The name is taken: the same start again is answered with that execution.
    auto existing = store_.GetExecution(committed_row->arn);
    if (existing.ok() && existing->status == store::ExecutionStatus::kRunning &&
        existing->input == request.input && existing->machine_arn == request.machine_arn) {
      return done(*existing);
    }
    done(absl::AlreadyExistsError(StrCat("ExecutionAlreadyExists: execution ", committed_row->arn,
                                         " already exists with another input or has ended")));
  };
  committer_.Submit(std::move(transition), [this, settle](absl::Status status) {
    if (status.code() == absl::StatusCode::kAlreadyExists) {
      Post([settle, status] { settle(status); });
    } else {
      settle(status);
    }
  });
}

void Engine::Send(const std::string& execution_arn, Event event, StatusCallback done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      Mailbox& box = boxes_[execution_arn];
      box.pending.push_back({std::move(event), std::move(done)});
      if (!box.scheduled) {
        box.scheduled = true;
        runnable_.push_back(execution_arn);
        cv_.notify_one();  // one unit of work: wake one worker, not all
      }
      return;
    }
  }
  // Not applied; the caller may retry against the next process.
  done(absl::UnavailableError("the engine is shutting down"));
}

void Engine::Post(std::function<void()> job) {
  std::lock_guard lock(mu_);
  jobs_.push_back(std::move(job));
  cv_.notify_one();
}

void Engine::WorkerLoop() {
  while (true) {
    std::string arn;
    std::vector<Mail> mails;
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      // At shutdown, workers stay until the steps in flight have committed
      // and their follow-up work has run.
      cv_.wait(lock, [this] {
        return !jobs_.empty() || !runnable_.empty() || (stopping_ && steps_in_flight_ == 0);
      });
      if (!jobs_.empty()) {
        job = std::move(jobs_.front());
        jobs_.pop_front();
      } else if (!runnable_.empty()) {
        arn = std::move(runnable_.front());
        runnable_.pop_front();
        Mailbox& box = boxes_[arn];
        mails.assign(std::make_move_iterator(box.pending.begin()),
                     std::make_move_iterator(box.pending.end()));
        box.pending.clear();
      } else {
        return;
      }
    }
    if (job) {
      job();
    } else {
      RunStep(arn, std::move(mails));
    }
  }
}

void Engine::Reschedule(const std::string& arn, std::vector<Mail> retry) {
  std::lock_guard lock(mu_);
  auto it = boxes_.find(arn);
  Mailbox& box = it->second;
  for (auto m = retry.rbegin(); m != retry.rend(); ++m) box.pending.push_front(std::move(*m));
  if (box.pending.empty()) {
    boxes_.erase(it);  // nothing to do: the execution leaves memory
  } else {
    runnable_.push_back(arn);
    cv_.notify_one();
  }
}

void Engine::RunStep(const std::string& arn, std::vector<Mail> mails) {
  auto fail_all = [&](const absl::Status& status) {
    for (Mail& m : mails) m.done(status);
    Reschedule(arn);
  };
  auto row = WithBackoff([&] { return store_.GetExecution(arn); });
  if (!row.ok()) return fail_all(row.status());
  auto interpreter = machines_.Get(row->definition_id);
  if (!interpreter.ok()) {
    if (Transient(interpreter.status())) return fail_all(interpreter.status());
    return Quarantine(std::move(*row), interpreter.status(), std::move(mails));
  }
  auto decoded = DecodeState(row->state);
  if (!decoded.ok()) return Quarantine(std::move(*row), decoded.status(), std::move(mails));
  ExecutionState& state = *decoded;

  absl::Time now = Now();
  int64_t version = row->version;
  store::ExecutionStatus status_before = row->status;
  auto record = std::make_shared<StepRecord>(std::move(*row), version);
  std::vector<absl::Status> outcomes(mails.size());
  bool changed = false;
  bool redriven = false;
  for (size_t i = 0; i < mails.size(); ++i) {
    const Event& event = mails[i].event;
    if (const auto* timer = std::get_if<TimerFiredEvent>(&event)) {
      record->ConsumeTimer(timer->timer_id);  // stale or not, the row goes
      changed = true;
    } else if (const std::string* token = TokenOf(event)) {
      if (state.status != ExecutionStatus::kRunning || !state.tasks.count(*token)) {
        outcomes[i] = absl::FailedPreconditionError(
            StrCat("TaskTimedOut: task ", *token, " is no longer awaited"));
        continue;
      }
      if (EndsTask(event)) record->ConsumeTask(*token);
      if (const auto* started = std::get_if<TaskStartedEvent>(&event);
          started && started->taken_until != absl::InfinitePast()) {
        record->LeaseTask(*token, started->taken_until);
        changed = true;
      }
      if (std::holds_alternative<TaskHeartbeatEvent>(event)) {
        record->LeaseTask(*token, now + options_.activity_lease);  // a live worker keeps it
        changed = true;
      }
    } else if (std::holds_alternative<AbortEvent>(event) &&
               state.status != ExecutionStatus::kRunning) {
      continue;  // stopping an ended execution changes nothing
    } else if (const auto* redrive = std::get_if<RedriveEvent>(&event)) {
      if (SeenRedriveToken(state, redrive->client_token, now)) {
        continue;  // a repeated request: the first one redrove it
      }
      if (std::string blocker = RedriveBlocker(state); !blocker.empty()) {
        outcomes[i] = absl::FailedPreconditionError(StrCat("ExecutionNotRedrivable: ", blocker));
        continue;
      }
      Decision decision = (*interpreter)->Redrive(state, now);
      KeepRedriveToken(state, redrive->client_token, now);
      redriven = true;
      changed = true;
      record->Add(decision, now);
      continue;
    }
    Decision decision = (*interpreter)->Handle(state, event, now);
    if (!decision.history.empty() || !decision.commands.empty()) changed = true;
    record->Add(decision, now);
  }
  if (!changed) {
    for (size_t i = 0; i < mails.size(); ++i) mails[i].done(outcomes[i]);
    return Reschedule(arn);
  }
  store::Transition transition = record->Finish(state, now);
  if (absl::Status allowed =
          CheckStatusChange(status_before, transition.execution.status, redriven);
      !allowed.ok()) {
    Log(LogLevel::kError, "a step breaks the execution lifecycle; not committed",
        {{"execution", arn}, {"status", std::string(allowed.ToString())}});
    return fail_all(absl::InternalError(allowed.message()));
  }
  auto committed_row = RowWithoutState(transition.execution);
  committed_row->version = version + 1;
  auto pending = std::make_shared<std::vector<Mail>>(std::move(mails));
  {
    std::lock_guard lock(mu_);
    ++steps_in_flight_;
  }
  // A lost race (kAborted) is settled by reading the row, on a worker, never
  // on the committer's thread.
  auto settle = [this, arn, record, committed_row, pending, outcomes](absl::Status status) {
    if (status.code() == absl::StatusCode::kAborted &&
        AlreadyCommitted(arn, committed_row->step_id)) {
      status = absl::OkStatus();  // the commit's outcome was unknown, and it happened
    }
    if (status.code() == absl::StatusCode::kAborted) {
      // Another process moved the row: apply the same events to the fresh row.
      Reschedule(arn, std::move(*pending));
    } else {
      for (size_t i = 0; i < pending->size(); ++i) {
        (*pending)[i].done(status.ok() ? outcomes[i] : status);
      }
      if (status.ok()) {
        Committed(record->transitions(), record->events());
        AfterCommit(arn, committed_row, std::move(record->commands()));
      }
      Reschedule(arn);
    }
    std::lock_guard lock(mu_);
    --steps_in_flight_;
    if (stopping_) cv_.notify_all();  // workers wait for the last one at shutdown
  };
  committer_.Submit(std::move(transition), [this, settle](absl::Status status) {
    if (status.code() == absl::StatusCode::kAborted) {
      Post([settle, status] { settle(status); });
    } else {
      settle(status);
    }
  });
}

void Engine::Quarantine(store::ExecutionRecord row, const absl::Status& why,
                        std::vector<Mail> mails) {
  if (row.status != store::ExecutionStatus::kRunning) {
    // An ended execution needs no interpreter: nothing applies to it.
    for (Mail& m : mails) {
      if (std::holds_alternative<AbortEvent>(m.event)) {
        m.done(absl::OkStatus());
      } else if (std::holds_alternative<RedriveEvent>(m.event)) {
        m.done(absl::FailedPreconditionError(StrCat(
            "ExecutionNotRedrivable: Execution cannot run in this engine: ", why.message())));
      } else {
        m.done(absl::FailedPreconditionError("TaskTimedOut: the execution has ended"));
      }
    }
    return Reschedule(row.arn);
  }
  Log(LogLevel::kError, "execution cannot run; it fails",
      {{"execution", row.arn}, {"status", std::string(why.ToString())}});
  absl::Time now = Now();
  int64_t version = row.version;
  store::Transition t;
  t.expected_version = version;
  t.clear_timers_and_tasks = true;
  json::Object event;
  int64_t id = row.last_event_id + 1;
  event["id"] = id;
  event["previousEventId"] = row.last_event_id;
  event["timestamp"] = FormatTimestamp(now);
  event["type"] = "ExecutionFailed";
  json::Object details;
  details["error"] = "Fleetflow.EngineError";
  details["cause"] = std::string(why.message());
  event["executionFailedEventDetails"] = std::move(details);
  t.history.push_back({id, id, StrCat("[", json::Serialize(event), "]")});
  row.status = store::ExecutionStatus::kFailed;
  row.error = "Fleetflow.EngineError";
  row.cause = std::string(why.message());
  row.stop = now;
  row.last_event_id = id;
  row.step_id = StrCat("quarantine-", id);
  t.execution = std::move(row);
  auto pending = std::make_shared<std::vector<Mail>>(std::move(mails));
  std::string arn = t.execution.arn;
  {
    std::lock_guard lock(mu_);
    ++steps_in_flight_;
  }
  auto committed_row = RowWithoutState(t.execution);
  committed_row->version = version + 1;
  committer_.Submit(std::move(t), [this, arn, pending, committed_row](absl::Status status) {
    if (status.code() == absl::StatusCode::kAborted) {
      Reschedule(arn, std::move(*pending));
    } else {
      for (Mail& m : *pending) {
        m.done(status.ok() ? absl::FailedPreconditionError("TaskTimedOut: the execution failed")
                           : status);
      }
      if (status.ok()) Post([this, committed_row] { Notify(*committed_row); });
      Reschedule(arn);
    }
    std::lock_guard lock(mu_);
    --steps_in_flight_;
    if (stopping_) cv_.notify_all();  // workers wait for the last one at shutdown
  });
}

void Engine::Perform(const std::string& arn, std::vector<Command>& commands) {
  for (const Command& c : commands) {
    if (const auto* task = std::get_if<DispatchTask>(&c)) {
      Dispatch(arn, *task);
    } else if (const auto* arm = std::get_if<ArmTimer>(&c)) {
      timers_.Arm(arn, arm->timer_id, arm->due);
    } else if (const auto* cancel = std::get_if<CancelTimer>(&c)) {
      timers_.Cancel(arn, cancel->timer_id);
    } else if (const auto* cancel_task = std::get_if<CancelTask>(&c)) {
      {
        std::lock_guard lock(mu_);
        dispatched_.erase(cancel_task->token);
      }
      resources_.Cancel(cancel_task->token);
    }
  }
}

void Engine::Dispatch(const std::string& arn, const DispatchTask& task) {
  std::string activity = ActivityArnOf(task.resource);
  if (!activity.empty()) return activities_.Notify(activity);
  // A callback task's handler only delivers the token; the task ends when
  // SendTaskSuccess/Failure names it. Once delivered, it is taken for good.
  bool callback = task.resource.ends_with(".waitForTaskToken");
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    dispatched_[task.token] = absl::Now();
  }
  if (!callback) SendInternal(arn, TaskStartedEvent{task.token});
  std::string token = task.token;
  std::shared_ptr<Liveness> liveness = liveness_;
  resources_.Dispatch(task, [liveness, arn, token, callback](TaskOutcome outcome) {
    std::lock_guard lock(liveness->mu);
    Engine* engine = liveness->engine;
    if (!engine) return;  // shut down: the task row stays and is dispatched again
    if (outcome.ok()) {
      if (callback) {
        engine->SendInternal(arn, TaskStartedEvent{token, absl::InfiniteFuture()});
      } else {
        engine->SendInternal(arn, TaskSucceededEvent{token, std::move(outcome).value()});
      }
    } else {
      Failure f = std::move(outcome).failure();
      engine->SendInternal(arn, TaskFailedEvent{token, std::move(f.error), std::move(f.cause)});
    }
  });
}

void Engine::SendInternal(const std::string& arn, Event event, int attempt) {
  std::string token;
  if (const std::string* t = TokenOf(event)) token = *t;
  bool ends =
      EndsTask(event) || (std::holds_alternative<TaskStartedEvent>(event) &&
                          std::get<TaskStartedEvent>(event).taken_until == absl::InfiniteFuture());
  auto copy = std::make_shared<Event>(event);
  Send(arn, std::move(event), [this, arn, token, ends, copy, attempt](absl::Status status) {
    if (Transient(status) && attempt < 20) {
      // The store was unavailable for longer than the committer waits:
      // try again later rather than lose the result.
      absl::Duration delay = absl::Milliseconds(100) * (1 << std::min(attempt, 6));
      delayed_.After(delay, [this, arn, copy, attempt] { SendInternal(arn, *copy, attempt + 1); });
      return;
    }
    if (ends) {
      std::lock_guard lock(mu_);
      dispatched_.erase(token);  // done here; a lost one is left to Redispatch
    }
  });
}

void Engine::Redispatch() {
  absl::Time cutoff = absl::Now() - options_.redispatch_every;
  std::string after;
  while (true) {
    auto tasks = store_.PendingIntegrationTasks(after, 1000);
    if (!tasks.ok()) {
      LogWarning("cannot list pending tasks; will retry", tasks.status());
      break;
    }
    for (const store::TaskRecord& row : *tasks) {
      {
        std::lock_guard lock(mu_);
        auto it = dispatched_.find(row.token);
        // In flight in this process and not overdue: leave it alone.
        if (it != dispatched_.end() && it->second > cutoff) continue;
      }
      DispatchTask task;
      task.token = row.token;
      task.resource = row.resource;
      task.state_name = row.state_name;
      task.attempt = row.attempt;
      auto input = json::Parse(row.input);
      task.input = json::Share(input.ok() ? std::move(*input) : json::Value());
      task.timeout_seconds = row.timeout_seconds;
      task.heartbeat_seconds = row.heartbeat_seconds;
      Dispatch(row.execution_arn, task);
    }
    if (tasks->size() < 1000) break;
    after = tasks->back().token;
  }
  delayed_.After(options_.redispatch_every, [this] { Redispatch(); });
}

uint64_t Engine::PollActivity(const std::string& activity_arn, const std::string& worker_name,
                              absl::Duration wait, ActivityHub::PollDone done) {
  return activities_.Poll(activity_arn, worker_name, wait,
                          [this, done = std::move(done)](ActivityHub::PollResult task) {
                            if (task.ok() && *task) {
                              Send((*task)->execution_arn, TaskStartedEvent{(*task)->token},
                                   [](absl::Status) {});
                            }
                            done(std::move(task));
                          });
}

void Engine::CancelActivityPoll(uint64_t poll) { activities_.Cancel(poll); }

ActivityHub::PollResult Engine::PollActivity(const std::string& activity_arn,
                                             const std::string& worker_name, absl::Duration wait) {
  std::promise<ActivityHub::PollResult> answer;
  uint64_t poll =
      PollActivity(activity_arn, worker_name, wait,
                   [&answer](ActivityHub::PollResult task) { answer.set_value(std::move(task)); });
  if (poll == 0) return absl::UnavailableError("the engine is shutting down");
  return answer.get_future().get();
}

}  // namespace fleetflow::runtime::durable
