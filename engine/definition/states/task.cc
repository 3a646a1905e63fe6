#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

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
  if (const json::Value* c = in.object.if_contains("Credentials")) spec.credentials = *c;
  state.spec = std::move(spec);
  state.jsonata = std::move(f);
}

}  // namespace fleetflow::definition
