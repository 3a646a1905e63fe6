// The interpreter's loop and the life of frames. Each state kind's evaluator
// lives in its own file (pass.cc, task.cc, ...).

#include "engine/runtime/interpreter.h"

#include "engine/common/strings.h"
#include "engine/json/eval_scope.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

const char* ExecutionStatusName(ExecutionStatus s) {
  switch (s) {
    case ExecutionStatus::kRunning:
      return "RUNNING";
    case ExecutionStatus::kSucceeded:
      return "SUCCEEDED";
    case ExecutionStatus::kFailed:
      return "FAILED";
    case ExecutionStatus::kTimedOut:
      return "TIMED_OUT";
    case ExecutionStatus::kAborted:
      return "ABORTED";
  }
  return "UNKNOWN";
}

Interpreter::Interpreter(definition::MachinePtr machine, InterpreterOptions options)
    : machine_(std::move(machine)), options_(options) {}

Decision Interpreter::Start(ExecutionState& s, const ExecutionIdentity& identity,
                            const json::ValuePtr& input, absl::Time now) const {
  s = ExecutionState();
  s.name = identity.name;
  s.machine_name = identity.machine_name;
  s.machine_id = StrCat("arn:fleetflow:states:local:stateMachine:", identity.machine_name);
  s.execution_id =
      StrCat("arn:fleetflow:states:local:execution:", identity.machine_name, ":", identity.name);
  s.input = input;
  s.start_time = now;
  s.random_state = identity.seed;
  uint64_t salt_source = identity.seed ^ 0x5bd1e9955bd1e995ull;
  s.token_salt = json::SplitMix64(salt_source);
  Decision d;
  d.history.reserve(256);  // a start usually runs many states at once
  Step step(*machine_, s, d, now, options_);
  if (HistoryEvent* e = step.Emit(-1, EventType::kExecutionStarted)) e->payload = input;
  if (machine_->timeout_seconds) {
    s.execution_timer_id =
        step.ArmTimer(-1, now + absl::Seconds(*machine_->timeout_seconds), Frame::TimerKind::kNone);
  }
  int root = step.NewFrame(-1, 0, input, 0);
  step.EnterState(root, machine_->top().start, input);
  step.RunReady();
  return d;
}

Decision Interpreter::Handle(ExecutionState& s, const Event& event, absl::Time now) const {
  Decision d;
  if (s.status != ExecutionStatus::kRunning) return d;
  Step step(*machine_, s, d, now, options_);
  if (const auto* started = std::get_if<TaskStartedEvent>(&event)) {
    auto it = s.tasks.find(started->token);
    if (it == s.tasks.end()) return d;
    Frame& f = step.frame(it->second);
    if (f.task_started) return d;  // a task dispatched again after a crash
    f.task_started = true;
    if (HistoryEvent* e = step.Emit(it->second, EventType::kTaskStarted)) {
      e->resource = step.StateOf(step.frame(it->second)).As<definition::TaskSpec>().resource;
    }
  } else if (const auto* ok = std::get_if<TaskSucceededEvent>(&event)) {
    auto it = s.tasks.find(ok->token);
    if (it == s.tasks.end()) return d;
    int id = it->second;
    s.tasks.erase(it);
    step.CancelFrameTimer(step.frame(id));
    if (HistoryEvent* e = step.Emit(id, EventType::kTaskSucceeded)) {
      e->payload = json::Share(ok->output);
      e->resource = step.StateOf(step.frame(id)).As<definition::TaskSpec>().resource;
    }
    step.CompleteTask(id, ok->output);
  } else if (const auto* failed = std::get_if<TaskFailedEvent>(&event)) {
    auto it = s.tasks.find(failed->token);
    if (it == s.tasks.end()) return d;
    int id = it->second;
    s.tasks.erase(it);
    step.CancelFrameTimer(step.frame(id));
    if (HistoryEvent* e = step.Emit(id, EventType::kTaskFailed)) {
      e->error = failed->error;
      e->cause = failed->cause;
      e->resource = step.StateOf(step.frame(id)).As<definition::TaskSpec>().resource;
    }
    step.FailState(id, Failure{failed->error, failed->cause});
  } else if (const auto* beat = std::get_if<TaskHeartbeatEvent>(&event)) {
    auto it = s.tasks.find(beat->token);
    if (it == s.tasks.end()) return d;
    Frame& f = step.frame(it->second);
    if (f.heartbeat_timer_id != 0) {
      s.timers.erase(f.heartbeat_timer_id);
      d.commands.push_back(CancelTimer{f.heartbeat_timer_id});
      // As evaluated at dispatch: HeartbeatSecondsPath and JSONata give it
      // from the data.
      double seconds =
          f.heartbeat_seconds > 0
              ? f.heartbeat_seconds
              : step.StateOf(f).As<definition::TaskSpec>().heartbeat_seconds.value.value_or(0);
      if (seconds > 0) {
        f.heartbeat_timer_id =
            step.ArmTimer(f.id, now + absl::Seconds(seconds), Frame::TimerKind::kHeartbeat);
      }
    }
  } else if (const auto* timer = std::get_if<TimerFiredEvent>(&event)) {
    step.OnTimer(timer->timer_id);
  } else if (const auto* abort = std::get_if<AbortEvent>(&event)) {
    step.FinishExecution(ExecutionStatus::kAborted, nullptr, Failure{abort->error, abort->cause});
  }
  step.RunReady();
  return d;
}

uint64_t Step::NextRandom() { return json::SplitMix64(s_.random_state); }

void Step::RunReady() {
  while (!s_.ready.empty() && s_.status == ExecutionStatus::kRunning) {
    ExecutionState::ReadyEntry entry = s_.ready.front();
    s_.ready.pop_front();
    int id = entry.frame;
    Frame& f = frame(id);
    if (!f.alive || f.generation != entry.generation || f.status != FrameStatus::kReady) continue;
    switch (StateOf(f).type) {
      case def::StateType::kPass:
        RunPass(id);
        break;
      case def::StateType::kTask:
        RunTask(id);
        break;
      case def::StateType::kChoice:
        RunChoice(id);
        break;
      case def::StateType::kWait:
        RunWait(id);
        break;
      case def::StateType::kSucceed:
        RunSucceed(id);
        break;
      case def::StateType::kFail:
        RunFail(id);
        break;
      case def::StateType::kParallel:
        RunParallel(id);
        break;
      case def::StateType::kMap:
        RunMap(id);
        break;
    }
  }
}

int Step::NewFrame(int parent, int graph, json::ValuePtr input, int64_t child_index) {
  int id;
  if (!s_.free_frames.empty()) {
    id = s_.free_frames.back();
    s_.free_frames.pop_back();
    uint32_t generation = s_.frames[static_cast<size_t>(id)].generation + 1;
    s_.frames[static_cast<size_t>(id)] = Frame();
    s_.frames[static_cast<size_t>(id)].generation = generation;
  } else {
    id = static_cast<int>(s_.frames.size());
    s_.frames.emplace_back();
  }
  Frame& f = frame(id);
  f.id = id;
  f.parent = parent;
  f.graph = graph;
  f.child_index = child_index;
  f.input = std::move(input);
  f.alive = true;
  // AWS gives the first state of an execution previousEventId 0.
  f.last_event_id = parent >= 0 ? frame(parent).last_event_id : 0;
  return id;
}

void Step::EnterState(int frame_id, int state_index, json::ValuePtr input) {
  if (s_.last_event_id >= options_.max_history_events) {
    FinishExecution(
        ExecutionStatus::kFailed, nullptr,
        Failure{"States.Runtime", StrCat("The execution reached the limit of ",
                                         options_.max_history_events, " history events")});
    s_.unwound.clear();  // AWS does not redrive an execution that hit the limit
    return;
  }
  Frame& f = frame(frame_id);
  if (f.fan_out.total > 0 || f.fan_out.items) f.fan_out = FanOut();  // the last Map/Parallel's
  f.state = state_index;
  f.input = std::move(input);
  f.status = FrameStatus::kReady;
  f.entered_time = now_;
  f.retry_count = 0;
  f.retrier_attempts.assign(StateOf(f).retry.size(), 0);
  ++s_.transitions;
  ++d_.transitions;
  HistoryEvent* e = Emit(frame_id, EventType::kStateEntered);
  if (e != nullptr) e->payload = f.input;
  f.entered_event_id = s_.last_event_id;
  s_.ready.push_back({frame_id, f.generation});
}

HistoryEvent* Step::Emit(int frame_id, EventType type) {
  int64_t id = ++s_.last_event_id;
  int64_t previous = frame_id >= 0 ? frame(frame_id).last_event_id : id - 1;
  if (frame_id >= 0) frame(frame_id).last_event_id = id;
  if (!options_.record_history) return nullptr;
  HistoryEvent& e = d_.history.emplace_back();
  e.id = id;
  e.previous_id = previous;
  e.timestamp = now_;
  e.type = type;
  if (frame_id >= 0) {
    const def::State& st = StateOf(frame(frame_id));
    e.name = &st.name;
    e.state_type = def::StateTypeName(st.type);
  }
  return &e;
}

int64_t Step::ArmTimer(int frame_id, absl::Time due, Frame::TimerKind kind) {
  int64_t id = s_.next_timer_id++;
  s_.timers[id] = frame_id;
  d_.commands.push_back(runtime::ArmTimer{id, due});
  if (frame_id >= 0) {
    Frame& f = frame(frame_id);
    if (kind == Frame::TimerKind::kHeartbeat) {
      f.heartbeat_timer_id = id;
    } else {
      f.timer_id = id;
      f.timer_kind = kind;
    }
  }
  return id;
}

void Step::CancelFrameTimer(Frame& f) {
  for (int64_t* id : {&f.timer_id, &f.heartbeat_timer_id}) {
    if (*id == 0) continue;
    s_.timers.erase(*id);
    d_.commands.push_back(CancelTimer{*id});
    *id = 0;
  }
  f.timer_kind = Frame::TimerKind::kNone;
}

void Step::OnTimer(int64_t timer_id) {
  auto it = s_.timers.find(timer_id);
  if (it == s_.timers.end()) return;
  int frame_id = it->second;
  s_.timers.erase(it);
  if (frame_id < 0) {
    std::string cause =
        StrCat("The execution timed out after ", *machine_.timeout_seconds, " seconds");
    FinishExecution(ExecutionStatus::kTimedOut, nullptr, Failure{"States.Timeout", cause});
    return;
  }
  Frame& f = frame(frame_id);
  bool heartbeat = timer_id == f.heartbeat_timer_id;
  Frame::TimerKind kind = heartbeat ? Frame::TimerKind::kHeartbeat : f.timer_kind;
  if (heartbeat)
    f.heartbeat_timer_id = 0;
  else
    f.timer_id = 0;
  switch (kind) {
    case Frame::TimerKind::kWait: {
      f.timer_kind = Frame::TimerKind::kNone;
      Transition(frame_id, f.wait_output);
      break;
    }
    case Frame::TimerKind::kRetry:
      f.timer_kind = Frame::TimerKind::kNone;
      f.status = FrameStatus::kReady;
      s_.ready.push_back({frame_id, f.generation});
      break;
    case Frame::TimerKind::kTaskTimeout:
    case Frame::TimerKind::kHeartbeat: {
      CancelFrameTimer(f);
      s_.tasks.erase(f.task_token);
      d_.commands.push_back(CancelTask{f.task_token});
      std::string error =
          kind == Frame::TimerKind::kHeartbeat ? "States.HeartbeatTimeout" : "States.Timeout";
      if (HistoryEvent* e = Emit(frame_id, EventType::kTaskTimedOut)) {
        e->error = error;
        e->resource = StateOf(frame(frame_id)).As<def::TaskSpec>().resource;
      }
      FailState(frame_id, Failure{error, ""});
      break;
    }
    case Frame::TimerKind::kNone:
      break;
  }
}

void Step::Transition(int frame_id, json::ValuePtr output) {
  Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  if (json::SerializedSize(*output, options_.max_payload_bytes) > options_.max_payload_bytes) {
    FailState(frame_id, Failure{"States.DataLimitExceeded",
                                StrCat("The state/task '", st.name,
                                       "' returned a result with a size exceeding the maximum "
                                       "number of bytes service limit.")});
    return;
  }
  if (HistoryEvent* e = Emit(frame_id, EventType::kStateExited)) e->payload = output;
  if (st.end || st.next < 0) {
    EndFrame(frame_id, std::move(output));
    return;
  }
  EnterState(frame_id, st.next, std::move(output));
}

void Step::GoTo(int frame_id, int next, json::ValuePtr output) {
  if (HistoryEvent* e = Emit(frame_id, EventType::kStateExited)) e->payload = output;
  EnterState(frame_id, next, std::move(output));
}

void Step::EndFrame(int frame_id, json::ValuePtr output) {
  Frame& f = frame(frame_id);
  f.status = FrameStatus::kDone;
  int parent = f.parent;
  if (parent < 0) {
    FinishExecution(ExecutionStatus::kSucceeded, std::move(output), Failure{});
    return;
  }
  OnChildDone(parent, frame_id, &output, nullptr);
}

void Step::FailFrame(int frame_id, Failure failure) {
  Frame& f = frame(frame_id);
  f.status = FrameStatus::kDone;
  int parent = f.parent;
  if (parent < 0) {
    FinishExecution(ExecutionStatus::kFailed, nullptr, std::move(failure));
    return;
  }
  OnChildDone(parent, frame_id, nullptr, &failure);
}

void Step::AbortFrame(int frame_id, bool emit) {
  for (Frame& child : s_.frames) {
    if (child.alive && child.parent == frame_id) AbortFrame(child.id, emit);
  }
  Frame& f = frame(frame_id);
  if (!f.alive) return;
  bool waiting_wait =
      f.status == FrameStatus::kWaitingTimer && f.timer_kind == Frame::TimerKind::kWait;
  bool waiting_children = f.status == FrameStatus::kWaitingChildren;
  CancelFrameTimer(f);
  bool had_task = !f.task_token.empty() && s_.tasks.erase(f.task_token) > 0;
  if (had_task) d_.commands.push_back(CancelTask{f.task_token});
  if (emit && s_.status == ExecutionStatus::kRunning) {
    if (had_task) {
      Emit(frame_id, EventType::kTaskStateAborted);
    } else if (waiting_wait) {
      Emit(frame_id, EventType::kWaitStateAborted);
    } else if (waiting_children) {
      bool is_map = StateOf(frame(frame_id)).type == def::StateType::kMap;
      Emit(frame_id, is_map ? EventType::kMapStateAborted : EventType::kParallelStateAborted);
    }
  }
  // Where a redrive continues, unless a Retry or Catch clears it.
  Bury(frame_id, s_.status != ExecutionStatus::kSucceeded);
}

void Step::Bury(int frame_id, bool keep_for_redrive) {
  Frame& dead = frame(frame_id);
  dead.alive = false;
  s_.free_frames.push_back(frame_id);
  if (!keep_for_redrive) return;
  uint32_t generation = dead.generation;
  s_.unwound.push_back(std::move(dead));
  dead = Frame();  // the slot keeps only what reuse needs
  dead.id = frame_id;
  dead.generation = generation;
}

void Step::FinishExecution(ExecutionStatus status, json::ValuePtr output, Failure failure) {
  if (s_.status != ExecutionStatus::kRunning) return;
  EventType type = status == ExecutionStatus::kSucceeded  ? EventType::kExecutionSucceeded
                   : status == ExecutionStatus::kTimedOut ? EventType::kExecutionTimedOut
                   : status == ExecutionStatus::kAborted  ? EventType::kExecutionAborted
                                                          : EventType::kExecutionFailed;
  if (HistoryEvent* e = Emit(-1, type)) {
    e->payload = output;
    e->error = failure.error;
    e->cause = failure.cause;
  }
  s_.status = status;
  s_.output = std::move(output);
  s_.failure = std::move(failure);
  for (Frame& f : s_.frames) {
    if (f.alive) AbortFrame(f.id, false);
  }
  if (s_.execution_timer_id != 0 && s_.timers.erase(s_.execution_timer_id) > 0) {
    d_.commands.push_back(CancelTimer{s_.execution_timer_id});
  }
  s_.execution_timer_id = 0;
  s_.ready.clear();
  if (status == ExecutionStatus::kSucceeded) s_.unwound.clear();
}

Failure Step::StateFailure(const Frame& f, std::string error, std::string_view cause) const {
  return Failure{std::move(error),
                 StrCat("An error occurred while executing the state '", StateOf(f).name,
                        "' (entered at the event id #", f.entered_event_id, "). ", cause)};
}

}  // namespace fleetflow::runtime
