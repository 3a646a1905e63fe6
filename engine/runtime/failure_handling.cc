// Retry, Catch, and the shared completion of Task/Parallel/Map states.

#include <algorithm>
#include <cmath>

#include "engine/runtime/data_flow.h"
#include "engine/runtime/error_matching.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

namespace {

// IntervalSeconds × BackoffRate^(attempt-1), capped by MaxDelaySeconds, then
// FULL jitter draws uniformly from [0, delay].
absl::Duration RetryDelay(const def::Retrier& r, int attempt, uint64_t random) {
  double delay = r.interval_seconds * std::pow(r.backoff_rate, attempt - 1);
  if (r.max_delay_seconds) delay = std::min(delay, *r.max_delay_seconds);
  delay = std::min(delay, 99999999.0);  // BackoffRate^n can overflow; cap it
  if (r.jitter_full) delay *= static_cast<double>(random >> 11) * 0x1.0p-53;
  return absl::Milliseconds(std::llround(delay * 1000));
}

}  // namespace

void Step::FailState(int frame_id, Failure failure) {
  Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  if (!IsTerminalError(failure.error)) {
    for (size_t i = 0; i < st.retry.size(); ++i) {
      const def::Retrier& r = st.retry[i];
      if (!ErrorMatches(r.errors, failure.error)) continue;
      if (f.retrier_attempts[i] >= r.max_attempts) break;  // exhausted: on to Catch
      int attempt = ++f.retrier_attempts[i];
      ++f.retry_count;
      // The whole state runs again: nothing below it is redriven, and a
      // Parallel/Map starts its branches afresh.
      s_.unwound.clear();
      f.fan_out = FanOut();
      absl::Duration delay = RetryDelay(r, attempt, r.jitter_full ? NextRandom() : 0);
      f.status = FrameStatus::kWaitingTimer;
      ArmTimer(frame_id, now_ + delay, Frame::TimerKind::kRetry);
      return;
    }
    for (const def::Catcher& c : st.catchers) {
      if (!ErrorMatches(c.errors, failure.error)) continue;
      ApplyCatch(frame_id, c, failure);  // clears ExecutionState::unwound if it succeeds
      return;
    }
  }
  FailFrame(frame_id, std::move(failure));
}

void Step::ApplyCatch(int frame_id, const def::Catcher& catcher, const Failure& failure) {
  if (StateOf(frame(frame_id)).is_jsonata()) return ApplyJsonataCatch(frame_id, catcher, failure);
  Frame& f = frame(frame_id);
  json::Object error_output;
  error_output["Error"] = failure.error;
  error_output["Cause"] = failure.cause;
  json::Value error_value(std::move(error_output));
  json::Object assigned;
  if (catcher.assign) {
    StateScope scope(*this, frame_id, error_value);
    Result<json::Object> values = EvaluateAssign(*catcher.assign, scope);
    if (!values.ok()) {
      FailFrame(frame_id, StateFailure(f, values.failure().error, values.failure().cause));
      return;
    }
    assigned = std::move(values).value();
  }
  Result<json::ValuePtr> output =
      ApplyResultPath(catcher.result_path, f.input, json::Share(std::move(error_value)));
  if (!output.ok()) {
    FailFrame(frame_id, StateFailure(f, output.failure().error, output.failure().cause));
    return;
  }
  for (auto& kv : assigned) frame(frame_id).variables[kv.key()] = std::move(kv.value());
  s_.unwound.clear();  // handled: nothing below this state is redriven
  GoTo(frame_id, catcher.next, std::move(output).value());
}

json::ValuePtr Step::AssignAndOutput(int frame_id, const json::PayloadTemplate* assign,
                                     const json::ValuePtr& data, StateScope& scope) {
  json::Object assigned;
  if (assign != nullptr) {
    Result<json::Object> values = EvaluateAssign(*assign, scope);
    if (!values.ok()) {
      FailState(frame_id,
                StateFailure(frame(frame_id), values.failure().error, values.failure().cause));
      return nullptr;
    }
    assigned = std::move(values).value();
  }
  Result<json::ValuePtr> output =
      ApplyFilterPath(StateOf(frame(frame_id)).output_path, data, scope);
  if (!output.ok()) {
    FailState(frame_id,
              StateFailure(frame(frame_id), output.failure().error, output.failure().cause));
    return nullptr;
  }
  for (auto& kv : assigned) frame(frame_id).variables[kv.key()] = std::move(kv.value());
  return std::move(output).value();
}

void Step::CompleteWithResult(int frame_id, json::ValuePtr result) {
  const def::State& st = StateOf(frame(frame_id));
  if (st.is_jsonata()) return CompleteJsonataResult(frame_id, std::move(result));
  StateScope scope(*this, frame_id, *result);
  if (st.result_selector) {
    Result<json::Value> selected = st.result_selector->Evaluate(scope);
    if (!selected.ok()) {
      FailState(frame_id,
                StateFailure(frame(frame_id), selected.failure().error, selected.failure().cause));
      return;
    }
    result = json::Share(std::move(selected).value());
    scope.set_input(*result);
  }
  json::Object assigned;
  if (st.assign) {
    Result<json::Object> values = EvaluateAssign(*st.assign, scope);
    if (!values.ok()) {
      FailState(frame_id,
                StateFailure(frame(frame_id), values.failure().error, values.failure().cause));
      return;
    }
    assigned = std::move(values).value();
  }
  Frame& f = frame(frame_id);
  Result<json::ValuePtr> placed = ApplyResultPath(st.result_path, f.input, result);
  if (!placed.ok()) {
    FailState(frame_id, StateFailure(f, placed.failure().error, placed.failure().cause));
    return;
  }
  Result<json::ValuePtr> output = ApplyFilterPath(st.output_path, placed.value(), scope);
  if (!output.ok()) {
    FailState(frame_id,
              StateFailure(frame(frame_id), output.failure().error, output.failure().cause));
    return;
  }
  for (auto& kv : assigned) frame(frame_id).variables[kv.key()] = std::move(kv.value());
  Transition(frame_id, std::move(output).value());
}

}  // namespace fleetflow::runtime
