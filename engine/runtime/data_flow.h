#pragma once
// The data flow of a state, in AWS's order: InputPath, Parameters, (the
// result), ResultSelector, ResultPath, OutputPath; plus Assign.

#include "engine/common/failure.h"
#include "engine/definition/machine_def.h"
#include "engine/runtime/state_scope.h"

namespace fleetflow::runtime {

// InputPath or OutputPath applied to `data`. Shares `data` when the path is $.
Result<json::ValuePtr> ApplyFilterPath(const definition::FilterPath& path,
                                       const json::ValuePtr& data, StateScope& scope);

// InputPath then Parameters: the effective input.
Result<json::ValuePtr> EffectiveInput(const definition::State& state, const json::ValuePtr& raw,
                                      StateScope& scope);

// Places `result` into `raw` as ResultPath says.
// Shares `result` when it replaces the input.
Result<json::ValuePtr> ApplyResultPath(const definition::ResultPath& path,
                                       const json::ValuePtr& raw, const json::ValuePtr& result);

// Evaluates an Assign template ($ = `input`) to the new values.
Result<json::Object> EvaluateAssign(const json::PayloadTemplate& assign, StateScope& scope);

// Jayway's message for a path that matched nothing, as AWS prints it.
std::string NoResultsMessage(const json::Path& path);

}  // namespace fleetflow::runtime
