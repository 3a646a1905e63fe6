#pragma once
// RFC 3339 timestamps as ASL uses them: an uppercase 'T', and 'Z' or a
// numeric offset; up to 9 fractional digits.

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace fleetflow {

std::optional<absl::Time> ParseRfc3339(std::string_view text);

// "2026-11-27T07:13:22.500Z": UTC, milliseconds (left out when zero:
// "2026-11-27T07:13:22Z"), as Step Functions prints context-object times.
std::string FormatTimestamp(absl::Time t);
void AppendTimestamp(std::string& out, absl::Time t);

}  // namespace fleetflow
