#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

namespace {

// Credentials of a JSONata Task: {"RoleArn": "arn:..." or "{% ... %}"}; the
// JSONPath form "RoleArn.$" has no place there.
void LoadJsonataCredentials(const StateInput& in, const json::Value& c, JsonataFields& f) {
  if (!c.is_object()) {
    in.Error("Credentials", "Credentials must be an object with \"RoleArn\"");
    return;
  }
  std::string at = in.At("Credentials");
  const json::Object& obj = c.get_object();
  for (const auto& kv : obj) {
    std::string_view key = kv.key();
    if (key == "RoleArn") continue;
    in.diags().Add(StrCat(at, "/", EscapePointer(key)),
                   key == "RoleArn.$"
                       ? std::string("\"RoleArn.$\" is JSONPath; in a JSONata state give "
                                     "\"RoleArn\" as a string or a JSONata expression "
                                     "\"{% ... %}\"")
                       : StrCat("field \"", key,
                                "\" is not allowed in Credentials; expected "
                                "RoleArn"));
  }
  const json::Value* role = obj.if_contains("RoleArn");
  if (role == nullptr) {
    if (!obj.contains("RoleArn.$")) in.Error("Credentials", "Credentials needs \"RoleArn\"");
    return;
  }
  if (!role->is_string() || role->get_string().empty()) {
    in.diags().Add(StrCat(at, "/RoleArn"),
                   "RoleArn must be a role ARN string or a JSONata expression \"{% ... %}\"");
    return;
  }
  f.credentials = LoadJsonataTemplate(in, c, at);
}

}  // namespace

void LoadTask(const StateInput& in, State& state) {
  CheckAllowedFields(
      in, "Task",
      {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
       "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
       "HeartbeatSecondsPath", "Credentials", "Assign", "Arguments", "Output"});
  std::shared_ptr<JsonataFields> f;
  if (in.jsonata) f = std::make_shared<JsonataFields>();
  LoadTaskLikeFields(in, state, f.get());
  TaskSpec spec;
  const json::Value* resource = in.object.if_contains("Resource");
  if (resource == nullptr) {
    in.Error("", "a Task state needs \"Resource\", the URI of what it runs");
  } else if (!resource->is_string() || resource->get_string().empty()) {
    in.Error("Resource", "Resource must be a non-empty string (a URI)");
  } else {
    spec.resource = std::string(resource->get_string());
  }
  if (f) {
    LoadJsonataNumber(in, "TimeoutSeconds", true, 1, kMaxSeconds, spec.timeout_seconds,
                      f->timeout_seconds);
    LoadJsonataNumber(in, "HeartbeatSeconds", true, 1, kMaxSeconds, spec.heartbeat_seconds,
                      f->heartbeat_seconds);
  } else {
    spec.timeout_seconds =
        LoadNumberSource(in, "TimeoutSeconds", "TimeoutSecondsPath", true, 1, kMaxSeconds);
    spec.heartbeat_seconds =
        LoadNumberSource(in, "HeartbeatSeconds", "HeartbeatSecondsPath", true, 1, kMaxSeconds);
  }
  double timeout = spec.timeout_seconds.value.value_or(99999999);  // AWS's default
  bool timeout_dynamic = spec.timeout_seconds.path || (f && f->timeout_seconds);
  if (spec.heartbeat_seconds.value && !timeout_dynamic &&
      *spec.heartbeat_seconds.value >= timeout) {
    in.Error("HeartbeatSeconds", StrCat("HeartbeatSeconds (", *spec.heartbeat_seconds.value,
                                        ") must be smaller than TimeoutSeconds (", timeout, ")"));
  }
  if (const json::Value* c = in.object.if_contains("Credentials")) {
    spec.credentials = *c;
    if (f) LoadJsonataCredentials(in, *c, *f);
  }
  state.spec = std::move(spec);
  state.jsonata = std::move(f);
}

}  // namespace fleetflow::definition
