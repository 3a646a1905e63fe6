#pragma once
// Date/time formatting and parsing with XPath F&O 3.1 picture strings
// ("[Y0001]-[M01]-[D01]"), as $fromMillis and $toMillis use them.

#include <optional>
#include <string>
#include <string_view>

namespace fleetflow::jsonata::internal {

// `picture` empty: ISO 8601 with milliseconds in UTC. `timezone` "+hhmm".
std::string FormatDateTime(double millis, std::string_view picture, std::string_view timezone,
                           int position);

// ISO 8601 timestamp to milliseconds; D3110 when malformed.
std::optional<double> ParseIsoDateTime(std::string_view text, int position);

// Parses `text` against `picture`; nullopt when it does not match.
std::optional<double> ParseDateTime(std::string_view text, std::string_view picture, int position);

}  // namespace fleetflow::jsonata::internal
