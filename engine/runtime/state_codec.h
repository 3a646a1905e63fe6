#pragma once
// ExecutionState to text and back, for the store. The text is JSON: a
// running execution can be read in the database by a person, and the format
// carries a version so that a later build can still read what this one wrote.

#include <string>

#include "absl/status/statusor.h"
#include "engine/runtime/execution_state.h"

namespace fleetflow::runtime {

std::string EncodeState(const ExecutionState& state);
// kDataLoss when the text is not a state this build can read.
absl::StatusOr<ExecutionState> DecodeState(std::string_view text);

}  // namespace fleetflow::runtime
