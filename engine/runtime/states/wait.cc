#include <cmath>

#include "engine/common/strings.h"
#include "engine/common/timestamp.h"
#include "engine/runtime/data_flow.h"
#include "engine/runtime/jsonata_env.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

namespace {

Result<absl::Time> DueTime(const def::WaitSpec& spec, const json::Value& input, StateScope& scope,
                           absl::Time now) {
  if (spec.seconds) return now + absl::Seconds(*spec.seconds);
  if (spec.timestamp) return *ParseRfc3339(*spec.timestamp);
  if (spec.seconds_path) {
    const json::Value* root = scope.RootOf(*spec.seconds_path);
    const json::Value* v = root ? spec.seconds_path->Find(*root) : nullptr;
    if (v == nullptr) return Failure{"States.Runtime", NoResultsMessage(*spec.seconds_path)};
    std::string shown = StrCat(spec.seconds_path->text(), " == ", json::Serialize(*v));
    if (!json::IsNumber(*v) || !json::IsIntegral(*v)) {
      return Failure{"States.Runtime",
                     StrCat("The SecondsPath parameter cannot be parsed as a long value: ", shown)};
    }
    if (json::AsDouble(*v) < 0) {
      return Failure{"States.Runtime",
                     StrCat("The SecondsPath parameter references a negative value: ", shown)};
    }
    return now + absl::Seconds(json::AsDouble(*v));
  }
  const json::Value* root = scope.RootOf(*spec.timestamp_path);
  const json::Value* v = root ? spec.timestamp_path->Find(*root) : nullptr;
  if (v == nullptr) return Failure{"States.Runtime", NoResultsMessage(*spec.timestamp_path)};
  std::optional<absl::Time> t = v->is_string() ? ParseRfc3339(v->get_string()) : std::nullopt;
  if (!t) {
    return Failure{"States.Runtime",
                   StrCat("The TimestampPath parameter does not reference a valid ISO-8601 "
                          "extended offset date-time format string: ",
                          spec.timestamp_path->text(), " == ", json::Serialize(*v))};
  }
  (void)input;
  return *t;
}

// Seconds / Timestamp of a JSONata Wait: literals or expressions.
Result<absl::Time> JsonataDueTime(const def::State& st, JsonataEnv& env, absl::Time now) {
  const auto& spec = st.As<def::WaitSpec>();
  if (spec.seconds) return now + absl::Seconds(*spec.seconds);
  if (spec.timestamp) return *ParseRfc3339(*spec.timestamp);
  if (const auto& expr = st.jsonata->seconds) {
    FF_TRY_ASSIGN(json::Value v, env.Evaluate(*expr, "Seconds"));
    if (!json::IsNumber(v) || !json::IsIntegral(v) || json::AsDouble(v) < 0 ||
        json::AsDouble(v) > 99999999) {
      return JsonataEnv::Unexpected(*expr, "Seconds", "an integer from 0 to 99999999", v);
    }
    return now + absl::Seconds(json::AsDouble(v));
  }
  const auto& expr = *st.jsonata->timestamp;
  FF_TRY_ASSIGN(json::Value v, env.Evaluate(expr, "Timestamp"));
  std::optional<absl::Time> t = v.is_string() ? ParseRfc3339(v.get_string()) : std::nullopt;
  if (!t) return JsonataEnv::Unexpected(expr, "Timestamp", "an RFC 3339 timestamp string", v);
  return *t;
}

}  // namespace

void Step::RunWait(int frame_id) {
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  if (st.is_jsonata()) {
    json::ValuePtr input = f.input;
    StateScope scope(*this, frame_id, *input);
    JsonataEnv env(*this, frame_id, scope);
    env.set_input(input.get());
    Result<absl::Time> due = JsonataDueTime(st, env, now_);
    if (!due.ok())
      return FailState(frame_id, StateFailure(f, due.failure().error, due.failure().cause));
    json::ValuePtr output =
        JsonataAssignAndOutput(frame_id, env, st.jsonata->assign ? &*st.jsonata->assign : nullptr,
                               st.jsonata->output ? &*st.jsonata->output : nullptr, input, "");
    if (!output) return;
    return WaitUntil(frame_id, due.value(), std::move(output));
  }
  StateScope scope(*this, frame_id, *f.input);
  Result<json::ValuePtr> input = ApplyFilterPath(st.input_path, f.input, scope);
  if (!input.ok())
    return FailState(frame_id, StateFailure(f, input.failure().error, input.failure().cause));
  scope.set_input(*input.value());
  Result<absl::Time> due = DueTime(st.As<def::WaitSpec>(), *input.value(), scope, now_);
  if (!due.ok())
    return FailState(frame_id, StateFailure(f, due.failure().error, due.failure().cause));
  json::ValuePtr output =
      AssignAndOutput(frame_id, st.assign ? &*st.assign : nullptr, input.value(), scope);
  if (!output) return;
  WaitUntil(frame_id, due.value(), std::move(output));
}

void Step::WaitUntil(int frame_id, absl::Time due, json::ValuePtr output) {
  if (due <= now_) {
    Transition(frame_id, std::move(output));
    return;
  }
  Frame& fr = frame(frame_id);
  fr.wait_output = std::move(output);
  fr.status = FrameStatus::kWaitingTimer;
  ArmTimer(frame_id, due, Frame::TimerKind::kWait);
}

}  // namespace fleetflow::runtime
