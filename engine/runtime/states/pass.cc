#include "engine/runtime/data_flow.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

void Step::RunPass(int frame_id) {
  if (StateOf(frame(frame_id)).is_jsonata()) return RunJsonataPass(frame_id);
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  StateScope scope(*this, frame_id, *f.input);
  Result<json::ValuePtr> effective = EffectiveInput(st, f.input, scope);
  if (!effective.ok()) {
    FailState(frame_id, StateFailure(f, effective.failure().error, effective.failure().cause));
    return;
  }
  const auto& spec = st.As<def::PassSpec>();
  CompleteWithResult(frame_id, spec.result ? spec.result : effective.value());
}

}  // namespace fleetflow::runtime
