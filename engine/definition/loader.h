#pragma once
// Loads an Amazon States Language definition (JSON or YAML) into a MachineDef,
// validating all of it first. Either a machine or every error found, each
// with a JSON pointer and a message; never half a machine.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/definition/diagnostics.h"
#include "engine/definition/machine_def.h"
#include "engine/json/json.h"

namespace fleetflow::definition {

struct LoadResult {
  MachinePtr machine;  // set when errors is empty
  std::vector<Diagnostic> errors;
  bool ok() const { return errors.empty(); }
};

// `text` is JSON when it starts with '{', YAML otherwise.
LoadResult LoadAsl(std::string_view text);
LoadResult LoadAslDocument(const json::Value& document);

// YAML to the JSON value it denotes (plain scalars typed as YAML 1.2 core).
absl::StatusOr<json::Value> ParseYaml(std::string_view text);

}  // namespace fleetflow::definition
