#include "engine/definition/load_context.h"

namespace fleetflow::definition {

void LoadSucceed(const StateInput& in, State& state) {
  CheckAllowedFields(in, "Succeed", {"InputPath", "OutputPath", "Output"});
  if (in.jsonata) {
    auto f = std::make_shared<JsonataFields>();
    if (const json::Value* o = in.object.if_contains("Output")) {
      f->output = LoadJsonataTemplate(in, *o, in.At("Output"));
    }
    state.jsonata = std::move(f);
  } else {
    LoadInputOutputPaths(in, state);
  }
  state.end = true;
  state.spec = std::monostate{};
}

}  // namespace fleetflow::definition
