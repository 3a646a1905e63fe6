#include "engine/definition/load_context.h"

namespace fleetflow::definition {

void LoadSucceed(const StateInput& in, State& state) {
  CheckAllowedFields(in, "Succeed", {"InputPath", "OutputPath"});
  LoadInputOutputPaths(in, state);
  state.end = true;
  state.spec = std::monostate{};
}

}  // namespace fleetflow::definition
