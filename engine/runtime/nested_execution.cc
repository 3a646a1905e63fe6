#include "engine/runtime/nested_execution.h"

#include "engine/common/strings.h"
#include "engine/json/codec.h"

namespace fleetflow::runtime {

namespace {

Failure Invalid(const char* aws_name, const DispatchTask& task, std::string_view what) {
  return Failure{StrCat("StepFunctions.", aws_name),
                 StrCat("state '", task.state_name, "': ", what)};
}

json::Value Millis(absl::Time t) { return json::Value(absl::ToUnixMillis(t)); }

// The child's input or output as the parent sees it: JSON (.sync:2) or the
// JSON text itself (.sync).
json::Value Payload(NestedMode mode, const std::string& text) {
  if (mode == NestedMode::kSync) return json::Value(text);
  auto parsed = json::Parse(text);
  return parsed.ok() ? *std::move(parsed) : json::Value(text);
}

json::Object Description(NestedMode mode, const ChildExecution& child) {
  json::Object d;
  d["ExecutionArn"] = child.arn;
  d["StateMachineArn"] = child.machine_arn;
  d["Name"] = child.name;
  d["Status"] = child.status;
  d["StartDate"] = Millis(child.start);
  if (child.stop != absl::InfinitePast()) d["StopDate"] = Millis(child.stop);
  d["Input"] = Payload(mode, child.input);
  d["InputDetails"] = json::Object{{"Included", true}};
  if (child.status == "SUCCEEDED") {
    d["Output"] = Payload(mode, child.output);
    d["OutputDetails"] = json::Object{{"Included", true}};
  } else {
    if (!child.error.empty()) d["Error"] = child.error;
    if (!child.cause.empty()) d["Cause"] = child.cause;
  }
  return d;
}

}  // namespace

bool IsNestedExecution(std::string_view resource) {
  if (!resource.starts_with(kStartExecutionResource)) return false;
  std::string_view suffix = resource.substr(kStartExecutionResource.size());
  return suffix.empty() || suffix == ".sync" || suffix == ".sync:2" ||
         suffix == ".waitForTaskToken";
}

Result<NestedStart> ReadNestedStart(const DispatchTask& task) {
  NestedStart start;
  std::string_view suffix = std::string_view(task.resource).substr(kStartExecutionResource.size());
  if (suffix == ".sync") start.mode = NestedMode::kSync;
  if (suffix == ".sync:2") start.mode = NestedMode::kSyncJson;
  if (suffix == ".waitForTaskToken") start.mode = NestedMode::kCallback;

  const json::Object* params = task.input ? task.input->if_object() : nullptr;
  if (params == nullptr) {
    return Invalid("InvalidArn", task,
                   "the task's parameters must be an object with StateMachineArn");
  }
  const json::Value* arn = params->if_contains("StateMachineArn");
  if (arn == nullptr || !arn->is_string() || MachineNameOfArn(arn->get_string()).empty()) {
    return Invalid("InvalidArn", task,
                   "StateMachineArn must be a state machine ARN "
                   "(arn:...:stateMachine:NAME, optionally :VERSION or :ALIAS)");
  }
  start.machine_arn = std::string(arn->get_string());
  if (const json::Value* name = params->if_contains("Name")) {
    if (!name->is_string()) return Invalid("InvalidName", task, "Name must be a string");
    start.name = std::string(name->get_string());
  }
  const json::Value* input = params->if_contains("Input");
  if (input == nullptr) {
    start.input = "{}";
  } else if (input->is_string()) {
    // Input given as text is the child's input as it stands; it must be JSON.
    std::string text(input->get_string());
    if (!json::Parse(text).ok()) {
      return Invalid("InvalidExecutionInput", task, "Input is a string that is not JSON text");
    }
    start.input = std::move(text);
  } else {
    start.input = json::Serialize(*input);
  }
  return start;
}

std::string MachineNameOfArn(std::string_view arn) {
  constexpr std::string_view kMarker = ":stateMachine:";
  if (!arn.starts_with("arn:")) return "";
  size_t at = arn.find(kMarker);
  if (at == std::string_view::npos) return "";
  std::string_view rest = arn.substr(at + kMarker.size());
  std::string_view name = rest.substr(0, rest.find(':'));
  return std::string(name);
}

std::string DerivedChildName(const std::string& task_token) {
  // 32 hex digits of the token's digest, as a UUID: the shape AWS gives a
  // child started without a name.
  std::string hex = json::HexDigest("SHA-256", task_token).value_or(std::string(64, '0'));
  return StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4), "-",
                hex.substr(16, 4), "-", hex.substr(20, 12));
}

json::Value StartedResult(const std::string& execution_arn, absl::Time start) {
  return json::Object{{"ExecutionArn", execution_arn}, {"StartDate", Millis(start)}};
}

TaskOutcome EndedOutcome(NestedMode mode, const ChildExecution& child) {
  json::Object description = Description(mode, child);
  if (child.status == "SUCCEEDED") return json::Value(std::move(description));
  return Failure{"States.TaskFailed", json::Serialize(json::Value(std::move(description)))};
}

}  // namespace fleetflow::runtime
