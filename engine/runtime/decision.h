#pragma once
// What goes into the interpreter (events) and what comes out (decisions:
// history to append and commands to perform once the step is committed).

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "engine/json/json.h"
#include "engine/runtime/history.h"

namespace fleetflow::runtime {

struct StartEvent {
  json::ValuePtr input;
};
// A worker or handler took the task (history: TaskStarted).
struct TaskStartedEvent {
  std::string token;
  // For the durable engine, not the interpreter: when set, the task's row is
  // marked taken until then (InfiniteFuture: for good; a callback task whose
  // message went out is not dispatched again).
  absl::Time taken_until = absl::InfinitePast();
};
struct TaskSucceededEvent {
  std::string token;
  json::Value output;
};
struct TaskFailedEvent {
  std::string token;
  std::string error, cause;
};
struct TaskHeartbeatEvent {
  std::string token;
};
struct TimerFiredEvent {
  int64_t timer_id;
};
struct AbortEvent {
  std::string error, cause;
};
// RedriveExecution. The engine applies it (Interpreter::Redrive), not Handle.
struct RedriveEvent {
  std::string client_token;  // a repeated token redrives only once
};

using Event = std::variant<StartEvent, TaskStartedEvent, TaskSucceededEvent, TaskFailedEvent,
                           TaskHeartbeatEvent, TimerFiredEvent, AbortEvent, RedriveEvent>;

// Run a task: the runtime finds the resource's handler and later feeds back
// TaskSucceeded/TaskFailed with the same token. (execution, state, attempt)
// is the idempotency key.
struct DispatchTask {
  std::string token;
  std::string resource;
  std::string state_name;
  int attempt = 0;
  json::ValuePtr input;
  std::optional<json::Value> credentials;
  double timeout_seconds = 0;    // 0: none
  double heartbeat_seconds = 0;  // 0: none
};
struct ArmTimer {
  int64_t timer_id;
  absl::Time due;
};
struct CancelTimer {
  int64_t timer_id;
};
struct CancelTask {
  std::string token;
};

using Command = std::variant<DispatchTask, ArmTimer, CancelTimer, CancelTask>;

struct Decision {
  std::vector<HistoryEvent> history;
  std::vector<Command> commands;
  uint64_t transitions = 0;  // states entered during this step
};

}  // namespace fleetflow::runtime
