#include "engine/definition/load_context.h"

namespace fleetflow::definition {

void LoadPass(const StateInput& in, State& state) {
  CheckAllowedFields(in, "Pass",
                     {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters",
                      "Result", "Assign", "Output"});
  LoadTransition(in, state);
  if (in.jsonata) {
    auto f = std::make_shared<JsonataFields>();
    LoadJsonataOutputAndAssign(in, *f);
    state.jsonata = std::move(f);
    state.spec = PassSpec{};
    return;
  }
  LoadInputOutputPaths(in, state);
  state.result_path = LoadResultPath(in, in.At("ResultPath"), in.object.if_contains("ResultPath"));
  state.parameters = LoadTemplate(in, "Parameters");
  state.assign = LoadAssign(in, in.object.if_contains("Assign"), in.At("Assign"));
  PassSpec spec;
  if (const json::Value* r = in.object.if_contains("Result")) spec.result = json::Share(*r);
  state.spec = std::move(spec);
}

}  // namespace fleetflow::definition
