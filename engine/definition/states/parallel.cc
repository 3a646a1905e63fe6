#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

void LoadParallel(const StateInput& in, State& state) {
  CheckAllowedFields(
      in, "Parallel",
      {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
       "Retry", "Catch", "Branches", "Assign", "Arguments", "Output"});
  std::shared_ptr<JsonataFields> f;
  if (in.jsonata) f = std::make_shared<JsonataFields>();
  LoadTaskLikeFields(in, state, f.get());
  state.jsonata = std::move(f);
  ParallelSpec spec;
  const json::Value* branches = in.object.if_contains("Branches");
  if (branches == nullptr || !branches->is_array() || branches->get_array().empty()) {
    in.Error(branches ? "Branches" : "",
             "a Parallel state needs \"Branches\": a non-empty array of {StartAt, States}");
  } else {
    const json::Array& arr = branches->get_array();
    for (size_t i = 0; i < arr.size(); ++i) {
      std::string at = StrCat(in.At("Branches"), "/", i);
      if (!arr[i].is_object()) {
        in.diags().Add(at, "a branch must be an object with StartAt and States");
        continue;
      }
      spec.branches.push_back(in.ctx.LoadGraph(arr[i].get_object(), at, in.graph, in.index, {}));
    }
  }
  state.spec = std::move(spec);
}

}  // namespace fleetflow::definition
