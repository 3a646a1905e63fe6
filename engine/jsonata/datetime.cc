#include "engine/jsonata/datetime.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "absl/time/civil_time.h"
#include "engine/jsonata/datetime_picture.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/format_integer.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {

namespace {

// JavaScript's Date range: 100 million days either side of the epoch.
constexpr double kMaxMillis = 8.64e15;

struct Parts {
  absl::CivilSecond cs;
  int millis;
  int offset_minutes;
};

// "+hhmm", "-hhmm" or "hhmm"; anything else is UTC.
int ParseOffset(std::string_view tz) {
  int sign = 1;
  if (!tz.empty() && (tz[0] == '+' || tz[0] == '-')) {
    sign = tz[0] == '-' ? -1 : 1;
    tz.remove_prefix(1);
  }
  if (tz.size() != 4 || tz.find_first_not_of("0123456789") != std::string_view::npos) return 0;
  int hh = (tz[0] - '0') * 10 + (tz[1] - '0');
  int mm = (tz[2] - '0') * 10 + (tz[3] - '0');
  return sign * (hh * 60 + mm);
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), '0') + s;
}

std::string ApplyCase(std::string s, std::string_view presentation) {
  if (presentation == "N" || presentation == "W")
    for (char& c : s) c = static_cast<char>(std::toupper(c));
  else if (presentation == "n" || presentation == "w")
    for (char& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

// [Z] "+01:00", [Z0001] "+0100", [Z1] "+1", [Z01:01t] "Z" for UTC; [z]
// prefixes "GMT".
std::string Timezone(int offset, const DateMarker& m) {
  std::string_view format = m.format;
  bool t = format.back() == 't';
  if (t) format.remove_suffix(1);
  if (t && offset == 0) return "Z";
  size_t digits = 0;
  for (char c : format) digits += (c >= '0' && c <= '9') ? 1 : 0;
  int h = std::abs(offset) / 60, mins = std::abs(offset) % 60;
  std::string out = offset < 0 ? "-" : "+";
  if (format.empty() || format == "01:01") {
    out += Pad(std::to_string(h), 2) + ":" + Pad(std::to_string(mins), 2);
  } else if (digits <= 2) {
    out += Pad(std::to_string(h), digits) + (mins ? ":" + Pad(std::to_string(mins), 2) : "");
  } else {
    bool colon = format.find(':') != std::string_view::npos;
    out += Pad(std::to_string(h), digits - 2) + (colon ? ":" : "") + Pad(std::to_string(mins), 2);
  }
  return m.component == 'z' ? "GMT" + out : out;
}

std::string Fraction(int millis, std::string_view format) {
  std::string digits = Pad(std::to_string(millis), 3);
  size_t want = std::max(static_cast<size_t>(DigitPositions(format)), size_t{1});
  while (digits.size() < want) digits += "0";
  return digits.substr(0, want);
}

// ISO weeks start on Monday and belong to the year (month) holding their
// Thursday.
int64_t WeekValue(absl::CivilDay day, char component) {
  int wd = static_cast<int>(absl::GetWeekday(day)) + 1;
  absl::CivilDay thursday = day + (4 - wd);
  switch (component) {
    case 'X':
      return thursday.year();
    case 'W':
      return (absl::GetYearDay(thursday) - 1) / 7 + 1;
    case 'w':
      return (thursday.day() - 1) / 7 + 1;
    default:  // 'x'
      return thursday.month();
  }
}

int64_t ComponentValue(const Parts& p, char component) {
  absl::CivilDay day(p.cs);
  switch (component) {
    case 'Y':
      return p.cs.year();
    case 'M':
      return p.cs.month();
    case 'D':
      return p.cs.day();
    case 'd':
      return absl::GetYearDay(day);
    case 'F':
      return static_cast<int>(absl::GetWeekday(day)) + 1;  // Monday = 1
    case 'H':
      return p.cs.hour();
    case 'h':
      return p.cs.hour() % 12 == 0 ? 12 : p.cs.hour() % 12;
    case 'm':
      return p.cs.minute();
    case 's':
      return p.cs.second();
    default:
      return WeekValue(day, component);
  }
}

// `formatted` from its `n`th digit from the right on ("2,018", 2: "18"),
// keeping a minus sign.
std::string LastDigits(const std::string& formatted, int n) {
  std::vector<size_t> digit_starts;
  for (size_t pos = 0; pos < formatted.size();) {
    size_t start = pos;
    if (DigitZero(DecodeUtf8(formatted, pos))) digit_starts.push_back(start);
  }
  if (static_cast<int>(digit_starts.size()) <= n) return formatted;
  std::string sign = formatted.starts_with('-') ? "-" : "";
  return sign + formatted.substr(digit_starts[digit_starts.size() - n]);
}

std::string FormatMarker(const Parts& p, const DateMarker& m, int position) {
  switch (m.presentation) {
    case Presentation::kTimezone:
      return Timezone(p.offset_minutes, m);
    case Presentation::kCalendar:
      return "ISO";
    case Presentation::kFraction:
      return Fraction(p.millis, m.format);
    default:
      break;
  }
  if (m.component == 'P') return ApplyCase(p.cs.hour() < 12 ? "am" : "pm", m.format);
  int64_t value = ComponentValue(p, m.component);
  if (m.presentation == Presentation::kName) {
    std::string name(m.component == 'F' ? DayName(static_cast<int>(value))
                                        : MonthName(static_cast<int>(value)));
    if (m.max_width > 0 && static_cast<int>(name.size()) > m.max_width) name.resize(m.max_width);
    return ApplyCase(name, m.format);
  }
  std::string out =
      FormatInteger(static_cast<double>(value), m.format + (m.ordinal ? ";o" : ""), position);
  if (m.presentation != Presentation::kDecimal) return out;
  if (m.component == 'Y' && m.max_width > 0) out = LastDigits(out, m.max_width);
  if (m.min_width > 0) out = Pad(out, m.min_width);
  return out;
}

const std::vector<PicturePart>& IsoPicture() {
  static const auto* parts = new std::vector<PicturePart>(
      AnalysePicture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]", 0));
  return *parts;
}

}  // namespace

std::optional<std::string> FormatDateTime(double millis, std::string_view picture,
                                          std::string_view timezone, int position) {
  const std::vector<PicturePart> analysed =
      picture.empty() ? IsoPicture() : AnalysePicture(picture, position);
  if (!(std::fabs(millis) <= kMaxMillis)) return std::nullopt;
  int offset = timezone.empty() ? 0 : ParseOffset(timezone);
  // Toward zero, as JavaScript's Date clips a time value.
  int64_t ms = static_cast<int64_t>(std::trunc(millis)) + int64_t{offset} * 60000;
  absl::Time t = absl::FromUnixMillis(ms);
  Parts p{absl::ToCivilSecond(t, absl::UTCTimeZone()),
          static_cast<int>(((ms % 1000) + 1000) % 1000), offset};
  std::string out;
  for (const PicturePart& part : analysed)
    out += part.marker ? FormatMarker(p, *part.marker, position) : part.literal;
  return out;
}

namespace {

// A cursor over an ISO 8601 timestamp; each step reads one fixed-width field.
class IsoReader {
 public:
  explicit IsoReader(std::string_view text) : text_(text) {}

  bool Done() const { return pos_ == text_.size(); }
  bool Take(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  // `width` digits, the first no greater than `first_max`.
  std::optional<int> Digits(size_t width, char first_max = '9') {
    if (text_.size() - pos_ < width) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < width; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > (i == 0 ? first_max : '9')) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos_ += width;
    return value;
  }
  // The fraction after '.', truncated to milliseconds.
  std::optional<int> Millis() {
    size_t start = pos_;
    int ms = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (pos_ - start < 3) ms = ms * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    for (size_t n = pos_ - start; n < 3; ++n) ms *= 10;
    return ms;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

// YYYY[-MM[-DD]][Thh:mm:ss[.fff]][Z|+hh:mm|+hhmm]. What does not have this
// shape is D3110; a shape with impossible values (month 13, 25:00, an offset
// without a time) is NaN, as JavaScript's Date.parse gives it; a day past the
// end of its month runs into the next, also as there.
std::optional<double> ParseIsoDateTime(std::string_view text, int position) {
  const double kInvalid = std::numeric_limits<double>::quiet_NaN();
  IsoReader r(text);
  auto fail = [&]() -> std::optional<double> { Throw("D3110", position, "", text); };
  std::optional<int> y = r.Digits(4), mo = 1, d = 1, h = 0, mi = 0, sec = 0, ms = 0;
  if (!y) return fail();
  bool month = r.Take('-');
  if (month && !(mo = r.Digits(2, '1'))) return fail();
  if (month && r.Take('-') && !(d = r.Digits(2, '3'))) return fail();
  bool time = r.Take('T');
  if (time) {
    if (!(h = r.Digits(2, '2')) || !r.Take(':') || !(mi = r.Digits(2, '5')) || !r.Take(':') ||
        !(sec = r.Digits(2, '5')))
      return fail();
    if (r.Take('.') && !(ms = r.Millis())) return fail();
  }
  int offset = 0;
  if (!r.Take('Z')) {
    bool minus = r.Take('-');
    if (minus || r.Take('+')) {
      std::optional<int> oh = r.Digits(2, '2');
      if (!oh) return fail();
      r.Take(':');
      std::optional<int> om = r.Digits(2, '5');
      if (!om) return fail();
      if (!time || *oh > 23) return kInvalid;
      offset = (minus ? -1 : 1) * (*oh * 60 + *om);
    }
  }
  if (!r.Done()) return fail();
  bool midnight = *h == 24 && *mi == 0 && *sec == 0 && *ms == 0;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 24 || (*h == 24 && !midnight))
    return kInvalid;
  absl::CivilSecond cs(*y, *mo, *d, *h, *mi, *sec);
  return static_cast<double>(absl::ToUnixMillis(absl::FromCivil(cs, absl::UTCTimeZone()))) + *ms -
         offset * 60000.0;
}

}  // namespace fleetflow::jsonata::internal
