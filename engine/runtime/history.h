#pragma once
// Execution history, with Step Functions' event types and fields. Events hold
// shared payloads, so recording one costs no copy of the state's data.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "engine/json/json.h"

namespace fleetflow::runtime {

enum class EventType : uint8_t {
  kExecutionStarted,
  kExecutionSucceeded,
  kExecutionFailed,
  kExecutionTimedOut,
  kExecutionAborted,
  kExecutionRedriven,
  kStateEntered,
  kStateExited,  // typed by the state: PassStateEntered, TaskStateExited, ...
  kTaskScheduled,
  kTaskStarted,
  kTaskSucceeded,
  kTaskFailed,
  kTaskTimedOut,
  kTaskStateAborted,
  kWaitStateAborted,
  kParallelStateStarted,
  kParallelStateSucceeded,
  kParallelStateFailed,
  kParallelStateAborted,
  kMapStateStarted,
  kMapStateSucceeded,
  kMapStateFailed,
  kMapStateAborted,
  kMapIterationStarted,
  kMapIterationSucceeded,
  kMapIterationFailed,
  kMapIterationAborted,
};

struct HistoryEvent {
  int64_t id = 0;
  int64_t previous_id = 0;
  absl::Time timestamp;
  EventType type = EventType::kExecutionStarted;
  const char* state_type = nullptr;   // "Pass" for kStateEntered/Exited
  const std::string* name = nullptr;  // state name (owned by the MachineDef)
  json::ValuePtr payload;             // input or output
  std::string error, cause;
  std::string resource;
  int64_t index = -1;  // Map iteration index, Map length, or redrive count
  double timeout_seconds = 0, heartbeat_seconds = 0;
};

// "PassStateEntered", "TaskScheduled", ...
std::string EventTypeName(const HistoryEvent& e);

// The key of an event type's details object: "stateEnteredEventDetails" for
// "PassStateEntered", "taskScheduledEventDetails" for "TaskScheduled".
std::string EventDetailsKey(std::string_view type);

// One event as JSON text in the GetExecutionHistory shape, appended to `out`.
void AppendEventJson(std::string& out, const HistoryEvent& e);
// The same as a JSON value.
json::Value EventToJson(const HistoryEvent& e);

}  // namespace fleetflow::runtime
