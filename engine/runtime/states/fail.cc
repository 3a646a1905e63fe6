#include "engine/common/strings.h"
#include "engine/runtime/data_flow.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

namespace {

// ErrorPath / CausePath: a reference path or an intrinsic yielding a string.
Result<std::string> Resolve(const json::PayloadTemplate::Node& node, StateScope& scope) {
  json::Value value;
  if (node.kind == json::PayloadTemplate::Node::Kind::kIntrinsic) {
    FF_TRY_ASSIGN(value, json::EvaluateIntrinsic(*node.call, scope));
  } else {
    const json::Value* root = scope.RootOf(*node.path);
    const json::Value* found = root ? node.path->Find(*root) : nullptr;
    if (found == nullptr) {
      return Failure{"States.Runtime",
                     StrCat("The JSONPath '", node.path->text(), "' specified for the field '",
                            node.source_key, "' could not be found in the input '",
                            json::Serialize(scope.Input()), "'")};
    }
    value = *found;
  }
  if (!value.is_string()) {
    return Failure{"States.Runtime", StrCat("The value of the field '", node.source_key,
                                            "' must be a string, not ", json::KindName(value))};
  }
  return std::string(value.get_string());
}

}  // namespace

void Step::RunFail(int frame_id) {
  if (StateOf(frame(frame_id)).is_jsonata()) return RunJsonataFail(frame_id);
  const Frame& f = frame(frame_id);
  const auto& spec = StateOf(f).As<def::FailSpec>();
  StateScope scope(*this, frame_id, *f.input);
  Failure failure{spec.error.value_or(""), spec.cause.value_or("")};
  if (spec.error_path) {
    Result<std::string> r = Resolve(*spec.error_path, scope);
    if (!r.ok()) return FailFrame(frame_id, StateFailure(f, r.failure().error, r.failure().cause));
    failure.error = std::move(r).value();
  }
  if (spec.cause_path) {
    Result<std::string> r = Resolve(*spec.cause_path, scope);
    if (!r.ok()) return FailFrame(frame_id, StateFailure(f, r.failure().error, r.failure().cause));
    failure.cause = std::move(r).value();
  }
  FailFrame(frame_id, std::move(failure));
}

}  // namespace fleetflow::runtime
