#pragma once
// Date/time formatting and parsing with XPath F&O 3.1 picture strings
// ("[Y0001]-[M01]-[D01]"), as $fromMillis and $toMillis use them.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace fleetflow::jsonata::internal {

// `picture` empty: ISO 8601 with milliseconds ("...T10:33:36.617Z", or
// "+05:30" at the end in another time zone). `timezone` "+hhmm" or "hhmm";
// UTC when empty or malformed. nullopt for a time outside JavaScript's Date
// range (8.64e15 ms either side of the epoch). Throws the picture errors of
// AnalysePicture.
std::optional<std::string> FormatDateTime(double millis, std::string_view picture,
                                          std::string_view timezone, int position);

// ISO 8601 timestamp to milliseconds; D3110 when malformed, NaN when it has
// the shape but impossible values (as JavaScript's Date.parse).
std::optional<double> ParseIsoDateTime(std::string_view text, int position);

// Parses `text` against `picture` (datetime_parse.cc). Components the
// picture leaves out are taken from `now` when they are larger than every
// component it gives (the year and month of "[D]/[H]") and are the smallest
// value when they are smaller (the seconds of "[H]:[m]"). nullopt when the
// text does not match the picture, names an impossible date or time, or the
// picture gives no date or time component at all. Throws the picture errors
// of AnalysePicture, and D3136 when the components given do not fix an
// instant (a gap such as "[Y]-[D]", a week date, "[h]" without "[P]").
// `tick` is called at every matching step (the caller's deadline check).
std::optional<double> ParseDateTime(std::string_view text, std::string_view picture, absl::Time now,
                                    int position, const std::function<void()>& tick = {});

}  // namespace fleetflow::jsonata::internal
