#include "engine/runtime/state_scope.h"

#include "engine/common/timestamp.h"

namespace fleetflow::runtime {

const json::Value& StateScope::Context() const {
  if (context_) return *context_;
  ExecutionState& s = step_.state();
  const Frame& f = step_.frame(frame_id_);
  const def::State& st = step_.StateOf(f);
  json::Object execution;
  execution["Id"] = s.execution_id;
  execution["Input"] = *s.input;
  execution["Name"] = s.name;
  execution["StartTime"] = FormatTimestamp(s.start_time);
  execution["RedriveCount"] = s.redrive_count;
  if (s.redrive_count > 0) execution["RedriveTime"] = FormatTimestamp(s.redrive_time);
  json::Object state;
  state["EnteredTime"] = FormatTimestamp(f.entered_time);
  state["Name"] = st.name;
  state["RetryCount"] = f.retry_count;
  json::Object machine;
  machine["Id"] = s.machine_id;
  machine["Name"] = s.machine_name;
  json::Object ctx;
  ctx["Execution"] = std::move(execution);
  ctx["State"] = std::move(state);
  ctx["StateMachine"] = std::move(machine);
  if (task_token_ != nullptr) ctx["Task"] = json::Object{{"Token", *task_token_}};
  if (map_index_) {
    ctx["Map"] =
        json::Object{{"Item", json::Object{{"Index", *map_index_}, {"Value", *map_value_}}}};
  }
  context_ = json::Value(std::move(ctx));
  return *context_;
}

const json::Value* StateScope::Variable(std::string_view name) const {
  for (int id = frame_id_; id >= 0; id = step_.frame(id).parent) {
    if (const json::Value* v = step_.frame(id).variables.if_contains(name)) return v;
  }
  return nullptr;
}

}  // namespace fleetflow::runtime
