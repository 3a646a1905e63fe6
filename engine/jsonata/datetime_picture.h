#pragma once
// The analysed form of an XPath F&O 3.1 date/time picture (section 9.8.4):
// literal text and variable markers such as "[Y0001]", "[MNn,*-3]", "[D1o]".
// $fromMillis formats with it (datetime.cc), $toMillis parses with it
// (datetime_parse.cc), so both read a picture the same way.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fleetflow::jsonata::internal {

// How a marker's value is written.
enum class Presentation {
  kDecimal,   // a digit pattern: "1", "01", "#1", in any Unicode digit family
  kRoman,     // "I", "i"
  kLetters,   // "A", "a": 1 = a, 27 = aa
  kWords,     // "w", "W", "Ww": English words
  kName,      // "N", "n", "Nn": month and day names, am/pm
  kTimezone,  // [Z] and [z]: "01:01", "0001", a trailing "t" writes UTC as "Z"
  kFraction,  // [f]: the digits of the fractional second
  kCalendar,  // [C] and [E]: calendar and era, always "ISO"
};

struct DateMarker {
  char component = 0;  // one of "YMDdFWwXxHhPmsfZzCE"
  Presentation presentation = Presentation::kDecimal;
  std::string format;    // the presentation token, defaults applied ("1", "01", "Nn")
  bool ordinal = false;  // the "o" modifier: 1st, first
  int min_width = 0;     // from the width modifier; 0 = none
  // For names the longest abbreviation; for [Y] the number of digits the year
  // is cut to ("[Y01]", "[Y,2]", "[Y,*-2]"); 0 = none.
  int max_width = 0;
};

// One piece of a picture: a marker, or literal text ("[[" and "]]" already
// turned into "[" and "]").
struct PicturePart {
  std::optional<DateMarker> marker;
  std::string literal;
};

// Throws D3135 (a "[" without "]"), D3132 (unknown component), D3133 (a name
// for a component that has none), D3134 (a timezone pattern of more than four
// digits), D3130 (an unusable presentation, or a width over 1,000).
std::vector<PicturePart> AnalysePicture(std::string_view picture, int position);

// Month 1-12; weekday 1-7 from Monday.
std::string_view MonthName(int month);
std::string_view DayName(int weekday);

// The digits and '#' of a decimal format ("#01" has 3).
int DigitPositions(std::string_view format);

}  // namespace fleetflow::jsonata::internal
