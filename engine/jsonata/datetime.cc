#include "engine/jsonata/datetime.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/time/civil_time.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/format_integer.h"

namespace fleetflow::jsonata::internal {

namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};

struct Parts {
  absl::CivilSecond cs;
  int millis;
  int offset_minutes;
};

int ParseOffset(std::string_view tz) {
  if (tz.size() < 5) return 0;
  int sign = tz[0] == '-' ? -1 : 1;
  int hh = (tz[1] - '0') * 10 + (tz[2] - '0');
  int mm = (tz[3] - '0') * 10 + (tz[4] - '0');
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

std::string Timezone(int offset, std::string_view presentation, bool z_name, int position) {
  if (z_name) presentation = "01:01";
  bool t = !presentation.empty() && presentation.back() == 't';
  if (t) presentation.remove_suffix(1);
  if (t && offset == 0) return "Z";
  std::string digits;
  for (char c : presentation)
    if (c >= '0' && c <= '9') digits.push_back(c);
  if (digits.size() > 4) Throw("D3134", position);
  int h = std::abs(offset) / 60, m = std::abs(offset) % 60;
  std::string sign = offset < 0 ? "-" : "+";
  std::string out;
  if (presentation.empty() || presentation == "01:01") {
    out = sign + Pad(std::to_string(h), 2) + ":" + Pad(std::to_string(m), 2);
  } else if (digits.size() <= 2) {
    out = sign + Pad(std::to_string(h), digits.size()) + (m ? ":" + Pad(std::to_string(m), 2) : "");
  } else {
    bool colon = presentation.find(':') != std::string_view::npos;
    out = sign + Pad(std::to_string(h), digits.size() - 2) + (colon ? ":" : "") +
          Pad(std::to_string(m), 2);
  }
  return z_name ? "GMT" + out : out;
}

std::string Component(const Parts& p, std::string_view spec, int position) {
  // spec: letter, presentation, optional ",min-max"
  std::string text;
  for (char c : spec)
    if (c != ' ' && c != '\t' && c != '\n') text.push_back(c);
  char letter = text[0];
  std::string rest = text.substr(1);
  std::string width;
  if (size_t comma = rest.rfind(','); comma != std::string::npos) {
    width = rest.substr(comma + 1);
    rest = rest.substr(0, comma);
  }
  int min_width = -1, max_width = -1;
  if (!width.empty()) {
    size_t dash = width.find('-');
    std::string lo = width.substr(0, dash);
    std::string hi = dash == std::string::npos ? "" : width.substr(dash + 1);
    if (!lo.empty() && lo != "*") min_width = std::atoi(lo.c_str());
    if (!hi.empty() && hi != "*") max_width = std::atoi(hi.c_str());
  }
  bool ordinal = false;
  if (!rest.empty() && (rest.back() == 'o' || rest.back() == 'c') && rest != "o" &&
      !(rest.size() >= 1 && (rest == "Nn" || rest == "n"))) {
    ordinal = rest.back() == 'o';
    rest.pop_back();
  }
  std::string pres = rest;
  if (letter == 'Z' || letter == 'z')
    return Timezone(p.offset_minutes, pres, letter == 'z', position);
  if (letter == 'E' || letter == 'C') return "ISO";
  double value = 0;
  bool name_ok = false;
  switch (letter) {
    case 'Y':
      value = static_cast<double>(p.cs.year());
      break;
    case 'M':
      value = p.cs.month();
      name_ok = true;
      break;
    case 'D':
      value = p.cs.day();
      break;
    case 'd':
      value = absl::GetYearDay(absl::CivilDay(p.cs));
      break;
    case 'F': {
      int wd = static_cast<int>(absl::GetWeekday(absl::CivilDay(p.cs)));  // Monday = 0
      value = wd + 1;
      name_ok = true;
      break;
    }
    case 'W':
    case 'X':
    case 'w':
    case 'x': {
      // ISO weeks start on Monday and belong to the year (month) holding
      // their Thursday.
      absl::CivilDay day(p.cs);
      int wd = static_cast<int>(absl::GetWeekday(day)) + 1;
      absl::CivilDay thursday = day + (4 - wd);
      if (letter == 'X') value = static_cast<double>(thursday.year());
      if (letter == 'W') value = (absl::GetYearDay(thursday) - 1) / 7 + 1;
      if (letter == 'w') value = (thursday.day() - 1) / 7 + 1;
      if (letter == 'x') {
        value = thursday.month();
        name_ok = true;
      }
      break;
    }
    case 'H':
      value = p.cs.hour();
      break;
    case 'h':
      value = p.cs.hour() % 12 == 0 ? 12 : p.cs.hour() % 12;
      break;
    case 'P': {
      std::string ap = p.cs.hour() < 12 ? "am" : "pm";
      return ApplyCase(ap, pres.empty() ? "n" : pres);
    }
    case 'm':
      value = p.cs.minute();
      if (pres.empty()) pres = "01";
      break;
    case 's':
      value = p.cs.second();
      if (pres.empty()) pres = "01";
      break;
    case 'f': {
      std::string digits = Pad(std::to_string(p.millis), 3);
      size_t want = 0;
      for (char c : pres) want += (c >= '0' && c <= '9') ? 1 : 0;
      if (want == 0) want = 3;
      while (digits.size() < want) digits += "0";
      return digits.substr(0, std::max(want, size_t{1}));
    }
    default:
      Throw("D3132", position, "", std::string(1, letter));
  }
  if (pres.empty()) pres = letter == 'F' ? "n" : "1";
  std::string out;
  if (pres == "N" || pres == "n" || pres == "Nn") {
    if (!name_ok) Throw("D3133", position, "", std::string(1, letter));
    std::string name = letter == 'M' || letter == 'x' ? kMonths[static_cast<int>(value) - 1]
                                                      : kDays[static_cast<int>(value) - 1];
    if (max_width > 0 && static_cast<int>(name.size()) > max_width)
      name = name.substr(0, max_width);
    if (pres == "N") return ApplyCase(name, "N");
    if (pres == "n") return ApplyCase(name, "n");
    return name;
  }
  std::string picture = pres + (ordinal ? ";o" : "");
  out = FormatInteger(value, picture, position);
  if (letter == 'Y' && max_width > 0 && static_cast<int>(out.size()) > max_width)
    out = out.substr(out.size() - max_width);
  if (min_width > 0 && static_cast<int>(out.size()) < min_width &&
      pres.find_first_of("0123456789#") != std::string::npos)
    out = Pad(out, min_width);
  if (letter == 'Y' && pres.size() == 2 && max_width < 0 &&
      pres.find_first_not_of("0123456789") == std::string::npos)
    out = out.substr(out.size() - 2);
  return out;
}

}  // namespace

std::string FormatDateTime(double millis, std::string_view picture, std::string_view timezone,
                           int position) {
  int offset = timezone.empty() ? 0 : ParseOffset(timezone);
  int64_t ms = static_cast<int64_t>(std::floor(millis)) + int64_t{offset} * 60000;
  absl::Time t = absl::FromUnixMillis(ms);
  Parts p{absl::ToCivilSecond(t, absl::UTCTimeZone()),
          static_cast<int>(((ms % 1000) + 1000) % 1000), offset};
  if (picture.empty()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  static_cast<long long>(p.cs.year()), p.cs.month(), p.cs.day(), p.cs.hour(),
                  p.cs.minute(), p.cs.second(), p.millis);
    return buf;
  }
  std::string out;
  for (size_t i = 0; i < picture.size(); ++i) {
    char c = picture[i];
    if (c == '[' && i + 1 < picture.size() && picture[i + 1] == '[') {
      out.push_back('[');
      ++i;
    } else if (c == ']' && i + 1 < picture.size() && picture[i + 1] == ']') {
      out.push_back(']');
      ++i;
    } else if (c == '[') {
      size_t end = picture.find(']', i);
      if (end == std::string_view::npos) Throw("D3135", position);
      out += Component(p, picture.substr(i + 1, end - i - 1), position);
      i = end;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<double> ParseIsoDateTime(std::string_view text, int position) {
  std::string t(text);
  int y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0, consumed = 0;
  double frac = 0;
  int n = std::sscanf(t.c_str(), "%d-%d-%d%n", &y, &mo, &d, &consumed);
  if (n < 1) Throw("D3110", position, "", t);
  if (n < 3) {
    consumed = 0;
    n = std::sscanf(t.c_str(), "%d-%d%n", &y, &mo, &consumed);
    if (n < 1 || consumed == 0) {
      n = std::sscanf(t.c_str(), "%d%n", &y, &consumed);
    }
  }
  size_t pos = static_cast<size_t>(consumed);
  if (pos < t.size() && (t[pos] == 'T' || t[pos] == ' ')) {
    int used = 0;
    if (std::sscanf(t.c_str() + pos + 1, "%d:%d%n", &h, &mi, &used) < 2)
      Throw("D3110", position, "", t);
    pos += 1 + static_cast<size_t>(used);
    if (pos < t.size() && t[pos] == ':') {
      if (std::sscanf(t.c_str() + pos + 1, "%d%n", &sec, &used) < 1)
        Throw("D3110", position, "", t);
      pos += 1 + static_cast<size_t>(used);
    }
    if (pos < t.size() && t[pos] == '.') {
      size_t start = pos;
      ++pos;
      while (pos < t.size() && std::isdigit(static_cast<unsigned char>(t[pos]))) ++pos;
      frac = std::strtod(t.substr(start, pos - start).c_str(), nullptr);
    }
  }
  int offset = 0;
  if (pos < t.size() && t[pos] == 'Z') {
    ++pos;
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    std::string digits;
    for (size_t k = pos + 1; k < t.size(); ++k)
      if (std::isdigit(static_cast<unsigned char>(t[k]))) digits.push_back(t[k]);
    if (digits.size() != 4) Throw("D3110", position, "", t);
    offset = (t[pos] == '-' ? -1 : 1) *
             (std::atoi(digits.substr(0, 2).c_str()) * 60 + std::atoi(digits.substr(2).c_str()));
    pos = t.size();
  }
  if (pos != t.size()) Throw("D3110", position, "", t);
  absl::CivilSecond cs(y, mo, d, h, mi, sec);
  absl::Time time = absl::FromCivil(cs, absl::UTCTimeZone());
  return static_cast<double>(absl::ToUnixMillis(time)) + std::round(frac * 1000) - offset * 60000.0;
}

std::optional<double> ParseDateTime(std::string_view text, std::string_view picture, int position) {
  (void)text;
  (void)picture;
  (void)position;
  return std::nullopt;
}

}  // namespace fleetflow::jsonata::internal
