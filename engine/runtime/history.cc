#include "engine/runtime/history.h"

#include "engine/common/strings.h"
#include "engine/common/timestamp.h"

namespace fleetflow::runtime {

namespace {

const char* FixedName(EventType t) {
  switch (t) {
    case EventType::kExecutionStarted:
      return "ExecutionStarted";
    case EventType::kExecutionSucceeded:
      return "ExecutionSucceeded";
    case EventType::kExecutionFailed:
      return "ExecutionFailed";
    case EventType::kExecutionTimedOut:
      return "ExecutionTimedOut";
    case EventType::kExecutionAborted:
      return "ExecutionAborted";
    case EventType::kTaskScheduled:
      return "TaskScheduled";
    case EventType::kTaskStarted:
      return "TaskStarted";
    case EventType::kTaskSucceeded:
      return "TaskSucceeded";
    case EventType::kTaskFailed:
      return "TaskFailed";
    case EventType::kTaskTimedOut:
      return "TaskTimedOut";
    case EventType::kTaskStateAborted:
      return "TaskStateAborted";
    case EventType::kWaitStateAborted:
      return "WaitStateAborted";
    case EventType::kParallelStateStarted:
      return "ParallelStateStarted";
    case EventType::kParallelStateSucceeded:
      return "ParallelStateSucceeded";
    case EventType::kParallelStateFailed:
      return "ParallelStateFailed";
    case EventType::kParallelStateAborted:
      return "ParallelStateAborted";
    case EventType::kMapStateStarted:
      return "MapStateStarted";
    case EventType::kMapStateSucceeded:
      return "MapStateSucceeded";
    case EventType::kMapStateFailed:
      return "MapStateFailed";
    case EventType::kMapStateAborted:
      return "MapStateAborted";
    case EventType::kMapIterationStarted:
      return "MapIterationStarted";
    case EventType::kMapIterationSucceeded:
      return "MapIterationSucceeded";
    case EventType::kMapIterationFailed:
      return "MapIterationFailed";
    case EventType::kMapIterationAborted:
      return "MapIterationAborted";
    case EventType::kStateEntered:
    case EventType::kStateExited:
      return nullptr;
  }
  return "Unknown";
}

std::string Lower(const char* s) {
  std::string out(s);
  out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

}  // namespace

std::string EventTypeName(const HistoryEvent& e) {
  if (e.type == EventType::kStateEntered) return StrCat(e.state_type, "StateEntered");
  if (e.type == EventType::kStateExited) return StrCat(e.state_type, "StateExited");
  return FixedName(e.type);
}

std::string EventDetailsKey(std::string_view type) {
  if (type.ends_with("StateEntered")) return "stateEnteredEventDetails";
  if (type.ends_with("StateExited")) return "stateExitedEventDetails";
  return Lower(StrCat(type, "EventDetails").c_str());
}

json::Value EventToJson(const HistoryEvent& e) {
  json::Object out;
  std::string type = EventTypeName(e);
  out["id"] = e.id;
  out["previousEventId"] = e.previous_id;
  out["timestamp"] = FormatTimestamp(e.timestamp);
  out["type"] = type;
  json::Object details;
  std::string key;
  switch (e.type) {
    case EventType::kStateEntered:
      key = EventDetailsKey(type);
      details["name"] = *e.name;
      if (e.payload) details["input"] = json::Serialize(*e.payload);
      break;
    case EventType::kStateExited:
      key = EventDetailsKey(type);
      details["name"] = *e.name;
      if (e.payload) details["output"] = json::Serialize(*e.payload);
      break;
    case EventType::kMapIterationStarted:
    case EventType::kMapIterationSucceeded:
    case EventType::kMapIterationFailed:
    case EventType::kMapIterationAborted:
      key = EventDetailsKey(type);
      details["name"] = *e.name;
      details["index"] = e.index;
      break;
    case EventType::kMapStateStarted:
      key = EventDetailsKey(type);
      details["length"] = e.index;
      break;
    case EventType::kTaskScheduled:
      key = EventDetailsKey(type);
      details["resource"] = e.resource;
      if (e.payload) details["parameters"] = json::Serialize(*e.payload);
      if (e.timeout_seconds > 0) {
        details["timeoutInSeconds"] = static_cast<int64_t>(e.timeout_seconds);
      }
      if (e.heartbeat_seconds > 0) {
        details["heartbeatInSeconds"] = static_cast<int64_t>(e.heartbeat_seconds);
      }
      break;
    case EventType::kTaskStarted:
      key = EventDetailsKey(type);
      details["resource"] = e.resource;
      break;
    case EventType::kTaskSucceeded:
      key = EventDetailsKey(type);
      details["resource"] = e.resource;
      if (e.payload) details["output"] = json::Serialize(*e.payload);
      break;
    case EventType::kTaskFailed:
    case EventType::kTaskTimedOut:
      key = EventDetailsKey(type);
      details["resource"] = e.resource;
      details["error"] = e.error;
      if (!e.cause.empty()) details["cause"] = e.cause;
      break;
    case EventType::kExecutionStarted:
      key = EventDetailsKey(type);
      if (e.payload) details["input"] = json::Serialize(*e.payload);
      break;
    case EventType::kExecutionSucceeded:
      key = EventDetailsKey(type);
      if (e.payload) details["output"] = json::Serialize(*e.payload);
      break;
    case EventType::kExecutionFailed:
    case EventType::kExecutionTimedOut:
    case EventType::kExecutionAborted:
      key = EventDetailsKey(type);
      details["error"] = e.error;
      if (!e.cause.empty()) details["cause"] = e.cause;  // AWS omits an absent cause
      break;
    default:
      break;
  }
  if (!key.empty()) out[key] = std::move(details);
  return out;
}

}  // namespace fleetflow::runtime
