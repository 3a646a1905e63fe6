#pragma once
// The error names ASL reserves ("States.ALL", "States.Timeout", ...): the
// only "States." names a Retry or Catch may match.

#include <span>
#include <string_view>

namespace fleetflow::definition {

std::span<const std::string_view> PredefinedErrorNames();
bool IsPredefinedError(std::string_view name);

}  // namespace fleetflow::definition
