#include "engine/runtime/data_flow.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

void Step::RunParallel(int frame_id) {
  if (StateOf(frame(frame_id)).is_jsonata()) return RunJsonataParallel(frame_id);
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  StateScope scope(*this, frame_id, *f.input);
  Result<json::ValuePtr> input = EffectiveInput(st, f.input, scope);
  if (!input.ok())
    return FailState(frame_id, StateFailure(f, input.failure().error, input.failure().cause));
  const auto& branches = st.As<def::ParallelSpec>().branches;
  Emit(frame_id, EventType::kParallelStateStarted);
  Frame& fr = frame(frame_id);
  fr.status = FrameStatus::kWaitingChildren;
  fr.fan_out = FanOut();
  fr.fan_out.effective_input = input.value();
  fr.fan_out.total = branches.size();
  fr.fan_out.running = branches.size();
  fr.fan_out.results.resize(branches.size());
  for (size_t i = 0; i < branches.size(); ++i) {
    int child = NewFrame(frame_id, branches[i], input.value(), static_cast<int64_t>(i));
    EnterState(child, machine_.graphs[static_cast<size_t>(branches[i])].start, input.value());
  }
}

}  // namespace fleetflow::runtime
