#pragma once
// Date/time formatting and parsing with XPath F&O 3.1 picture strings
// ("[Y0001]-[M01]-[D01]"), as $fromMillis and $toMillis use them.

#include <optional>
#include <string>
#include <string_view>

namespace fleetflow::jsonata::internal {

// `picture` empty: ISO 8601 with milliseconds ("...T10:33:36.617Z", or
// "+05:30" at the end in another time zone). `timezone` "+hhmm" or "hhmm";
// UTC when empty or malformed. Throws the picture errors of AnalysePicture.
std::string FormatDateTime(double millis, std::string_view picture, std::string_view timezone,
                           int position);

// ISO 8601 timestamp to milliseconds; D3110 when malformed, NaN when it has
// the shape but impossible values (as JavaScript's Date.parse).
std::optional<double> ParseIsoDateTime(std::string_view text, int position);

// Parses `text` against `picture`; nullopt when it does not match.
std::optional<double> ParseDateTime(std::string_view text, std::string_view picture, int position);

}  // namespace fleetflow::jsonata::internal
