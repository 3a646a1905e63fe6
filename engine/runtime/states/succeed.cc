#include "engine/runtime/data_flow.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

void Step::RunSucceed(int frame_id) {
  if (StateOf(frame(frame_id)).is_jsonata()) return RunJsonataSucceed(frame_id);
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  StateScope scope(*this, frame_id, *f.input);
  Result<json::ValuePtr> input = ApplyFilterPath(st.input_path, f.input, scope);
  if (!input.ok()) {
    FailState(frame_id, StateFailure(f, input.failure().error, input.failure().cause));
    return;
  }
  Result<json::ValuePtr> output = ApplyFilterPath(st.output_path, input.value(), scope);
  if (!output.ok()) {
    FailState(frame_id, StateFailure(f, output.failure().error, output.failure().cause));
    return;
  }
  Transition(frame_id, std::move(output).value());
}

}  // namespace fleetflow::runtime
