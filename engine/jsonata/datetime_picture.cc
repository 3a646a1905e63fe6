#include "engine/jsonata/datetime_picture.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/format_integer.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {
namespace {

constexpr std::string_view kMonths[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
constexpr std::string_view kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};

constexpr int kMaxWidth = 1000;

// The presentation a marker gets when its picture gives none (F&O 9.8.4.2).
// [f] defaults to milliseconds, as jsonata-js writes it.
std::string_view DefaultFormat(char component) {
  switch (component) {
    case 'F':
    case 'P':
      return "n";
    case 'm':
    case 's':
      return "01";
    case 'f':
      return "001";
    default:
      return "1";
  }
}

// A decimal digit pattern: digits of one family, '#', and separators.
bool IsDecimalFormat(std::string_view format) {
  bool digit = false;
  for (size_t pos = 0; pos < format.size();) {
    uint32_t cp = DecodeUtf8(format, pos);
    if (DigitZero(cp)) {
      digit = true;
    } else if (cp != '#' && (cp > 0x7F || std::isalnum(static_cast<int>(cp)))) {
      return false;
    }
  }
  return digit;
}

void SetTimezoneFormat(DateMarker& m, std::string_view p, int position) {
  m.presentation = Presentation::kTimezone;
  m.format = p.empty() ? "01:01" : std::string(p);
  std::string_view body = p;
  if (!body.empty() && body.back() == 't') body.remove_suffix(1);
  int digits = 0;
  for (char c : body) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ':') {
      Throw("D3134", position);
    }
  }
  if (digits > 4) Throw("D3134", position);
}

void SetPresentation(DateMarker& m, std::string_view p, int position) {
  char c = m.component;
  if (c == 'C' || c == 'E') {
    m.presentation = Presentation::kCalendar;
    m.format = "n";
    return;
  }
  if (c == 'Z' || c == 'z') return SetTimezoneFormat(m, p, position);
  if (p.size() >= 2 && (p.back() == 'o' || p.back() == 'c')) {
    m.ordinal = p.back() == 'o';
    p.remove_suffix(1);
  }
  if (p.empty()) p = DefaultFormat(c);
  m.format = std::string(p);
  if (p == "N" || p == "n" || p == "Nn") {
    if (!std::strchr("MFxP", c)) Throw("D3133", position, "", std::string(1, c));
    m.presentation = Presentation::kName;
  } else if (c == 'P') {
    m.presentation = Presentation::kName;  // am/pm has no numeric form
    m.format = "n";
  } else if (p == "I" || p == "i") {
    m.presentation = Presentation::kRoman;
  } else if (p == "A" || p == "a") {
    m.presentation = Presentation::kLetters;
  } else if (p == "w" || p == "W" || p == "Ww") {
    m.presentation = Presentation::kWords;
  } else if (IsDecimalFormat(p)) {
    m.presentation = c == 'f' ? Presentation::kFraction : Presentation::kDecimal;
  } else {
    Throw("D3130", position, "", p);
  }
  if (c == 'f' && m.presentation != Presentation::kFraction) Throw("D3130", position, "", p);
}

// "*" and anything not a number mean "no limit".
int WidthNumber(std::string_view text, std::string_view modifier, int position) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return 0;
  if (text.size() > 4 || std::stoi(std::string(text)) > kMaxWidth)
    Throw("D3130", position, "", "," + std::string(modifier));
  return std::stoi(std::string(text));
}

void SetWidth(DateMarker& m, std::string_view width, int position) {
  size_t dash = width.find('-');
  m.min_width = WidthNumber(width.substr(0, dash), width, position);
  if (dash != std::string_view::npos)
    m.max_width = WidthNumber(width.substr(dash + 1), width, position);
}

DateMarker AnalyseMarker(std::string_view spec, int position) {
  std::string text;  // white space inside a marker is insignificant
  for (char c : spec)
    if (!std::isspace(static_cast<unsigned char>(c))) text.push_back(c);
  if (text.empty() || !std::strchr("YMDdFWwXxHhPmsfZzCE", text[0]))
    Throw("D3132", position, "", text.substr(0, 1));
  DateMarker m;
  m.component = text[0];
  std::string_view rest = std::string_view(text).substr(1);
  std::string_view width;
  if (size_t comma = rest.rfind(','); comma != std::string_view::npos) {
    width = rest.substr(comma + 1);
    rest = rest.substr(0, comma);
  }
  SetPresentation(m, rest, position);
  if (!width.empty()) SetWidth(m, width, position);
  // A year is cut to its maximum width: the width modifier's, else the larger
  // of its minimum and the digits of the presentation when that is two or
  // more ("[Y01]", "[Y,2]" and "[Y,*-2]" are two-digit years, "[Y0001,2]" is
  // not).
  if (m.component == 'Y' && m.presentation == Presentation::kDecimal && m.max_width == 0) {
    int digits = std::max(m.min_width, DigitPositions(m.format));
    if (digits >= 2) m.max_width = digits;
  }
  return m;
}

}  // namespace

std::vector<PicturePart> AnalysePicture(std::string_view picture, int position) {
  // Brackets first, so that an unclosed marker is reported before anything
  // wrong inside an earlier one.
  std::vector<std::pair<bool, std::string>> pieces;  // (is marker, text)
  for (size_t i = 0; i < picture.size(); ++i) {
    char c = picture[i];
    bool doubled = i + 1 < picture.size() && picture[i + 1] == c;
    if ((c == '[' || c == ']') && doubled) {
      if (pieces.empty() || pieces.back().first) pieces.emplace_back(false, "");
      pieces.back().second.push_back(c);
      ++i;
    } else if (c == '[') {
      size_t end = picture.find(']', i);
      if (end == std::string_view::npos) Throw("D3135", position);
      pieces.emplace_back(true, std::string(picture.substr(i + 1, end - i - 1)));
      i = end;
    } else {
      if (pieces.empty() || pieces.back().first) pieces.emplace_back(false, "");
      pieces.back().second.push_back(c);
    }
  }
  std::vector<PicturePart> parts;
  for (auto& [is_marker, text] : pieces) {
    PicturePart part;
    if (is_marker) {
      part.marker = AnalyseMarker(text, position);
    } else {
      part.literal = std::move(text);
    }
    parts.push_back(std::move(part));
  }
  return parts;
}

std::string_view MonthName(int month) { return kMonths[(month - 1) % 12]; }

std::string_view DayName(int weekday) { return kDays[(weekday - 1) % 7]; }

int DigitPositions(std::string_view format) {
  int n = 0;
  for (size_t pos = 0; pos < format.size();) {
    uint32_t cp = DecodeUtf8(format, pos);
    if (cp == '#' || DigitZero(cp)) ++n;
  }
  return n;
}

}  // namespace fleetflow::jsonata::internal
