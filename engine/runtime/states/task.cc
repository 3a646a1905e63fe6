#include <cstdio>

#include "engine/common/strings.h"
#include "engine/runtime/data_flow.h"
#include "engine/runtime/jsonata_env.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

namespace {

// TimeoutSeconds / HeartbeatSeconds, inline or from the input; 0: none.
Result<double> Seconds(const def::NumberSource& src, StateScope& scope, const char* field) {
  if (src.value) return *src.value;
  if (!src.path) return 0.0;
  const json::Value* root = scope.RootOf(*src.path);
  const json::Value* v = root ? src.path->Find(*root) : nullptr;
  if (v == nullptr) return Failure{"States.Runtime", NoResultsMessage(*src.path)};
  if (!json::IsNumber(*v) || !json::IsIntegral(*v) || json::AsDouble(*v) <= 0 ||
      json::AsDouble(*v) > 99999999) {
    return Failure{"States.Runtime",
                   StrCat("The ", field, " parameter must be an integer from 1 to 99999999: ",
                          src.path->text(), " == ", json::Serialize(*v))};
  }
  return json::AsDouble(*v);
}

// Arguments of a JSONata Task: the task's input (the state input without).
Result<json::ValuePtr> JsonataArguments(JsonataEnv& env, const def::State& st,
                                        const json::ValuePtr& input) {
  if (!st.jsonata->arguments) return input;
  FF_TRY_ASSIGN(json::Value v, env.Evaluate(*st.jsonata->arguments, "Arguments"));
  return json::Share(std::move(v));
}

// TimeoutSeconds / HeartbeatSeconds of a JSONata Task: a literal or an
// expression yielding an integer from 1 to 99999999; 0: none.
Result<double> JsonataSeconds(JsonataEnv& env, const def::NumberSource& src,
                              const std::optional<def::JsonataTemplate>& expr, const char* field) {
  if (!expr) return src.value.value_or(0);
  FF_TRY_ASSIGN(json::Value v, env.Evaluate(*expr, field));
  if (!json::IsNumber(v) || !json::IsIntegral(v) || json::AsDouble(v) < 1 ||
      json::AsDouble(v) > 99999999) {
    return JsonataEnv::Unexpected(*expr, field, "an integer from 1 to 99999999", v);
  }
  return json::AsDouble(v);
}

}  // namespace

void Step::RunTask(int frame_id) {
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  const auto& spec = st.As<def::TaskSpec>();
  uint64_t seq = s_.next_task_seq++;
  uint64_t mixed = s_.token_salt + seq;
  char secret[17];
  std::snprintf(secret, sizeof secret, "%016llx",
                static_cast<unsigned long long>(json::SplitMix64(mixed)));
  std::string token = StrCat(s_.execution_id, "#", seq, "#", secret);
  StateScope scope(*this, frame_id, *f.input);
  scope.SetTaskToken(token);
  std::optional<JsonataEnv> env;
  if (st.is_jsonata()) {
    env.emplace(*this, frame_id, scope);
    env->set_input(f.input.get());
  }
  Result<json::ValuePtr> params =
      env ? JsonataArguments(*env, st, f.input) : EffectiveInput(st, f.input, scope);
  if (!params.ok())
    return FailState(frame_id, StateFailure(f, params.failure().error, params.failure().cause));
  scope.set_input(*f.input);
  Result<double> timeout = env ? JsonataSeconds(*env, spec.timeout_seconds,
                                                st.jsonata->timeout_seconds, "TimeoutSeconds")
                               : Seconds(spec.timeout_seconds, scope, "TimeoutSecondsPath");
  if (!timeout.ok())
    return FailState(frame_id, StateFailure(f, timeout.failure().error, timeout.failure().cause));
  Result<double> heartbeat = env ? JsonataSeconds(*env, spec.heartbeat_seconds,
                                                  st.jsonata->heartbeat_seconds, "HeartbeatSeconds")
                                 : Seconds(spec.heartbeat_seconds, scope, "HeartbeatSecondsPath");
  if (!heartbeat.ok())
    return FailState(frame_id,
                     StateFailure(f, heartbeat.failure().error, heartbeat.failure().cause));
  std::optional<json::Value> credentials = spec.credentials;
  if (env && st.jsonata->credentials) {
    Result<json::Value> c = env->EvaluateCredentials(*st.jsonata->credentials);
    if (!c.ok()) return FailState(frame_id, StateFailure(f, c.failure().error, c.failure().cause));
    credentials = std::move(c).value();
  }
  if (json::SerializedSize(*params.value(), options_.max_payload_bytes) >
      options_.max_payload_bytes) {
    return FailState(
        frame_id,
        StateFailure(f, "States.DataLimitExceeded",
                     st.is_jsonata()
                         ? "The state input after Arguments exceeds the maximum number of bytes "
                           "service limit."
                         : "The state input after Parameters exceeds the maximum number of "
                           "bytes service limit."));
  }
  DispatchTask task;
  task.token = token;
  task.resource = spec.resource;
  task.state_name = st.name;
  task.attempt = f.retry_count;
  task.input = params.value();
  task.credentials = std::move(credentials);
  task.timeout_seconds = timeout.value();
  task.heartbeat_seconds = heartbeat.value();
  if (HistoryEvent* e = Emit(frame_id, EventType::kTaskScheduled)) {
    e->resource = spec.resource;
    e->payload = task.input;
    e->timeout_seconds = task.timeout_seconds;
    e->heartbeat_seconds = task.heartbeat_seconds;
  }
  Frame& fr = frame(frame_id);
  fr.status = FrameStatus::kWaitingTask;
  fr.task_token = token;
  fr.task_started = false;
  s_.tasks[token] = frame_id;
  if (task.timeout_seconds > 0) {
    ArmTimer(frame_id, now_ + absl::Seconds(task.timeout_seconds), Frame::TimerKind::kTaskTimeout);
  }
  fr.heartbeat_seconds = task.heartbeat_seconds;
  if (task.heartbeat_seconds > 0) {
    ArmTimer(frame_id, now_ + absl::Seconds(task.heartbeat_seconds), Frame::TimerKind::kHeartbeat);
  }
  d_.commands.push_back(std::move(task));
}

void Step::CompleteTask(int frame_id, json::Value result) {
  Frame& f = frame(frame_id);
  f.task_token.clear();
  f.status = FrameStatus::kReady;
  if (json::SerializedSize(result, options_.max_payload_bytes) > options_.max_payload_bytes) {
    FailState(frame_id, Failure{"States.DataLimitExceeded",
                                StrCat("The state/task '", StateOf(f).name,
                                       "' returned a result with a size exceeding the maximum "
                                       "number of bytes service limit.")});
    return;
  }
  CompleteWithResult(frame_id, json::Share(std::move(result)));
}

}  // namespace fleetflow::runtime
