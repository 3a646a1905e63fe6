#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

void LoadTask(const StateInput& in, State& state) {
  CheckAllowedFields(
      in, "Task",
      {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
       "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
       "HeartbeatSecondsPath", "Credentials", "Assign"});
  LoadTaskLikeFields(in, state);
  TaskSpec spec;
  const json::Value* resource = in.object.if_contains("Resource");
  if (resource == nullptr) {
    in.Error("", "a Task state needs \"Resource\", the URI of what it runs");
  } else if (!resource->is_string() || resource->get_string().empty()) {
    in.Error("Resource", "Resource must be a non-empty string (a URI)");
  } else {
    spec.resource = std::string(resource->get_string());
  }
  spec.timeout_seconds =
      LoadNumberSource(in, "TimeoutSeconds", "TimeoutSecondsPath", true, 1, kMaxSeconds);
  spec.heartbeat_seconds =
      LoadNumberSource(in, "HeartbeatSeconds", "HeartbeatSecondsPath", true, 1, kMaxSeconds);
  double timeout = spec.timeout_seconds.value.value_or(99999999);  // AWS's default
  if (spec.heartbeat_seconds.value && !spec.timeout_seconds.path &&
      *spec.heartbeat_seconds.value >= timeout) {
    in.Error("HeartbeatSeconds", StrCat("HeartbeatSeconds (", *spec.heartbeat_seconds.value,
                                        ") must be smaller than TimeoutSeconds (", timeout, ")"));
  }
  if (const json::Value* c = in.object.if_contains("Credentials")) spec.credentials = *c;
  state.spec = std::move(spec);
}

}  // namespace fleetflow::definition
