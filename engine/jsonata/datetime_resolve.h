#pragma once
// The second half of $toMillis(text, picture): from the components a picture
// gives and the values read for them to an instant (datetime_parse.cc does
// the reading).

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

#include "absl/time/time.h"

namespace fleetflow::jsonata::internal {

// Throws D3136 unless the components `given` (their letters, "YMD" for
// "[Y]-[M]-[D]") fix an instant: the date as year, month, day or as year,
// day of year, the time as hour ([H], or [P] with [h]), minute, second,
// fraction, each without a gap, and a date joined to a time only through its
// day and hour. Week dates ([X] [W] [x] [w] without a calendar date) are not
// resolved; [F] and week components beside a calendar date are read but not
// checked.
void CheckComponents(std::string_view given, int position);

// The instant, in milliseconds since the epoch, that the values read name
// (component letter to value: month 1-12, [P] 0 am / 1 pm, [f] milliseconds,
// [Z]/[z] offset minutes). Units larger than every one given come from `now`
// in the given offset; smaller ones are their least value. nullopt when the
// values name an impossible date or time (30 February, 24:00).
std::optional<double> Resolve(const std::map<char, int64_t>& values, absl::Time now);

}  // namespace fleetflow::jsonata::internal
