#include "engine/runtime/history.h"

#include <charconv>

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
    case EventType::kExecutionRedriven:
      return "ExecutionRedriven";
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

namespace {

// Writes JSON members straight into the output: history is written for every
// step of every execution, so no JSON object is built on the way.
class EventWriter {
 public:
  explicit EventWriter(std::string& out) : out_(out) {}

  void Key(std::string_view key) {
    out_ += first_ ? "\"" : ",\"";
    first_ = false;
    out_ += key;
    out_ += "\":";
  }
  void Int(std::string_view key, int64_t value) {
    Key(key);
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
    out_.append(buf, end - buf);
  }
  void Str(std::string_view key, std::string_view value) {
    Key(key);
    json::AppendQuoted(out_, value);
  }
  // A payload as AWS prints it: the JSON text, as a string.
  void Payload(std::string_view key, const json::ValuePtr& payload) {
    if (!payload) return;
    thread_local std::string scratch;
    scratch.clear();
    json::AppendSerialized(scratch, *payload);
    Str(key, scratch);
  }
  void Open(std::string_view key) {
    Key(key);
    out_ += '{';
    first_ = true;
  }
  void Close() {
    out_ += '}';
    first_ = false;
  }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

void AppendEventJson(std::string& out, const HistoryEvent& e) {
  std::string type = EventTypeName(e);
  out += '{';
  EventWriter w(out);
  w.Int("id", e.id);
  w.Int("previousEventId", e.previous_id);
  w.Key("timestamp");
  out += '"';
  AppendTimestamp(out, e.timestamp);
  out += '"';
  w.Str("type", type);
  switch (e.type) {
    case EventType::kStateEntered:
      w.Open(EventDetailsKey(type));
      w.Str("name", *e.name);
      w.Payload("input", e.payload);
      w.Close();
      break;
    case EventType::kStateExited:
      w.Open(EventDetailsKey(type));
      w.Str("name", *e.name);
      w.Payload("output", e.payload);
      w.Close();
      break;
    case EventType::kMapIterationStarted:
    case EventType::kMapIterationSucceeded:
    case EventType::kMapIterationFailed:
    case EventType::kMapIterationAborted:
      w.Open(EventDetailsKey(type));
      w.Str("name", *e.name);
      w.Int("index", e.index);
      w.Close();
      break;
    case EventType::kMapStateStarted:
      w.Open(EventDetailsKey(type));
      w.Int("length", e.index);
      w.Close();
      break;
    case EventType::kExecutionRedriven:
      w.Open(EventDetailsKey(type));
      w.Int("redriveCount", e.index);
      w.Close();
      break;
    case EventType::kTaskScheduled:
      w.Open(EventDetailsKey(type));
      w.Str("resource", e.resource);
      w.Payload("parameters", e.payload);
      if (e.timeout_seconds > 0) w.Int("timeoutInSeconds", static_cast<int64_t>(e.timeout_seconds));
      if (e.heartbeat_seconds > 0) {
        w.Int("heartbeatInSeconds", static_cast<int64_t>(e.heartbeat_seconds));
      }
      w.Close();
      break;
    case EventType::kTaskStarted:
      w.Open(EventDetailsKey(type));
      w.Str("resource", e.resource);
      w.Close();
      break;
    case EventType::kTaskSucceeded:
      w.Open(EventDetailsKey(type));
      w.Str("resource", e.resource);
      w.Payload("output", e.payload);
      w.Close();
      break;
    case EventType::kTaskFailed:
    case EventType::kTaskTimedOut:
      w.Open(EventDetailsKey(type));
      w.Str("resource", e.resource);
      w.Str("error", e.error);
      if (!e.cause.empty()) w.Str("cause", e.cause);
      w.Close();
      break;
    case EventType::kExecutionStarted:
      w.Open(EventDetailsKey(type));
      w.Payload("input", e.payload);
      w.Close();
      break;
    case EventType::kExecutionSucceeded:
      w.Open(EventDetailsKey(type));
      w.Payload("output", e.payload);
      w.Close();
      break;
    case EventType::kExecutionFailed:
    case EventType::kExecutionTimedOut:
    case EventType::kExecutionAborted:
      w.Open(EventDetailsKey(type));
      w.Str("error", e.error);
      if (!e.cause.empty()) w.Str("cause", e.cause);  // AWS omits an absent cause
      w.Close();
      break;
    default:
      break;
  }
  out += '}';
}

json::Value EventToJson(const HistoryEvent& e) {
  std::string text;
  AppendEventJson(text, e);
  return *json::Parse(text);  // the writer's output is JSON by construction
}

}  // namespace fleetflow::runtime
