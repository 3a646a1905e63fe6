// $toMillis(text, picture): reading a timestamp with an XPath picture.
// F&O 3.1 only formats with pictures; JSONata reads with them too. Two steps:
// match the whole text against the picture (each marker reads a number, a
// name or an offset; where a marker could take more or less text, the
// longest reading that lets the rest match wins), then turn the components
// read into an instant (datetime_resolve.cc).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/time/civil_time.h"
#include "engine/jsonata/datetime.h"
#include "engine/jsonata/datetime_picture.h"
#include "engine/jsonata/datetime_resolve.h"
#include "engine/jsonata/format_integer.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {
namespace {

// A marker's reading: where it ends in the text, and the value read.
struct Reading {
  size_t end;
  int64_t value;
};

constexpr size_t kMaxNumberDigits = 9;     // no date field is longer
constexpr size_t kMaxFractionDigits = 30;  // only the first three count
constexpr int kMaxWords = 40;              // "two thousand, ... and ninety-ninth"
constexpr size_t kMaxRoman = 20;
constexpr size_t kMaxLetters = 6;  // "zzzzzz" is over 300 million

bool StartsWithIgnoringCase(std::string_view text, size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[pos + i])) !=
        std::tolower(static_cast<unsigned char>(word[i])))
      return false;
  return true;
}

void LongestFirst(std::vector<Reading>& readings) {
  std::stable_sort(readings.begin(), readings.end(),
                   [](const Reading& a, const Reading& b) { return a.end > b.end; });
}

// Every way each marker can read the text at a position.
class MarkerReader {
 public:
  MarkerReader(std::string_view text, int64_t now_year, int position)
      : text_(text), now_year_(now_year), position_(position) {}

  // `adjacent`: another marker follows with no literal between, so a number
  // must be read at a fixed width ("[Y0001][M01]" reads "201802").
  std::vector<Reading> Read(const DateMarker& m, bool adjacent, size_t pos) const {
    std::vector<Reading> out = ReadAny(m, adjacent, pos);
    std::pair<int64_t, int64_t> range = Range(m.component);
    std::erase_if(
        out, [&](const Reading& r) { return r.value < range.first || r.value > range.second; });
    return out;
  }

 private:
  // The values a component can take, whatever the rest of the date: a
  // reading outside them is no reading, so "[MW]-[DW]" finds where the
  // month's words end.
  static std::pair<int64_t, int64_t> Range(char component) {
    switch (component) {
      case 'M':
      case 'x':
        return {1, 12};
      case 'D':
        return {1, 31};
      case 'd':
        return {1, 366};
      case 'F':
        return {1, 7};
      case 'W':
        return {1, 53};
      case 'w':
        return {1, 5};
      case 'H':
        return {0, 23};
      case 'h':
        return {1, 12};
      case 'm':
      case 's':
        return {0, 59};
      default:
        return {INT64_MIN, INT64_MAX};
    }
  }

  std::vector<Reading> ReadAny(const DateMarker& m, bool adjacent, size_t pos) const {
    switch (m.presentation) {
      case Presentation::kDecimal:
      case Presentation::kFraction:
        return Digits(m, adjacent, pos);
      case Presentation::kRoman:
      case Presentation::kLetters:
        return Run(m, pos);
      case Presentation::kWords:
        return Words(pos);
      case Presentation::kTimezone:
        return Offset(m, pos);
      case Presentation::kName:
      case Presentation::kCalendar:
        return Names(m, pos);
    }
    return {};
  }

  struct DigitRun {
    std::vector<size_t> ends;  // ends[k]: where the (k+1)th digit ends
    std::vector<int> digits;
  };

  // The digits of the marker's family at `pos`, with the grouping separators
  // of its format between them ("2,018" for "[Y9,999]").
  DigitRun ScanDigits(const DateMarker& m, size_t pos, size_t limit) const {
    uint32_t zero = '0';
    std::u32string separators;
    for (size_t p = 0; p < m.format.size();) {
      uint32_t cp = DecodeUtf8(m.format, p);
      if (uint32_t z = DigitZero(cp)) {
        zero = z;
      } else if (cp != '#') {
        separators.push_back(cp);
      }
    }
    auto digit = [&](uint32_t cp) { return cp >= zero && cp <= zero + 9; };
    DigitRun run;
    for (size_t p = pos; p < text_.size() && run.digits.size() < limit;) {
      uint32_t cp = DecodeUtf8(text_, p);
      if (!run.digits.empty() && separators.find(cp) != std::u32string::npos && p < text_.size())
        cp = DecodeUtf8(text_, p);  // a separator counts only before a digit
      if (!digit(cp)) break;
      run.ends.push_back(p);
      run.digits.push_back(static_cast<int>(cp - zero));
    }
    return run;
  }

  std::vector<Reading> Digits(const DateMarker& m, bool adjacent, size_t pos) const {
    bool fraction = m.presentation == Presentation::kFraction;
    DigitRun run = ScanDigits(m, pos, fraction ? kMaxFractionDigits : kMaxNumberDigits);
    size_t lo = std::max(m.min_width, 1), hi = run.ends.size();
    if (adjacent) {
      lo = m.max_width ? m.max_width : m.min_width ? m.min_width : DigitPositions(m.format);
      hi = std::min(hi, lo);
    } else if (m.max_width && m.component != 'Y') {
      hi = std::min(hi, static_cast<size_t>(m.max_width));
    }
    std::vector<Reading> out;
    for (size_t k = hi; k >= lo && k > 0; --k) {
      size_t end = run.ends[k - 1];
      if (m.ordinal) {
        bool suffix = false;
        for (std::string_view s : {"st", "nd", "rd", "th"})
          suffix |= StartsWithIgnoringCase(text_, end, s);
        if (!suffix) continue;
        end += 2;
      }
      int64_t value = 0;
      for (size_t i = 0; i < (fraction ? 3 : k); ++i)
        value = value * 10 + (i < k ? run.digits[i] : 0);
      if (m.component == 'Y' && m.max_width > 0 && m.max_width < 4 &&
          k <= static_cast<size_t>(m.max_width))
        value = NearestYear(value, m.max_width);
      out.push_back({end, value});
    }
    return out;
  }

  // A year given by its last `digits` digits ("[Y01]": "18") is the one
  // with those digits nearest to now, ties to the past: in 2026, "18" is
  // 2018, "76" 1976, "75" 2075.
  int64_t NearestYear(int64_t last_digits, int digits) const {
    int64_t base = digits == 1 ? 10 : digits == 2 ? 100 : 1000;
    int64_t year = now_year_ - ((now_year_ % base) + base) % base + last_digits;
    if (2 * (year - now_year_) >= base) year -= base;
    if (2 * (now_year_ - year) > base) year += base;
    return year;
  }

  // Roman numerals and letters, either case.
  std::vector<Reading> Run(const DateMarker& m, size_t pos) const {
    bool roman = m.presentation == Presentation::kRoman;
    size_t n = 0;
    while (pos + n < text_.size() && n < (roman ? kMaxRoman : kMaxLetters)) {
      char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text_[pos + n])));
      if (roman ? std::string_view("IVXLCDM").find(c) == std::string_view::npos
                : (c < 'A' || c > 'Z'))
        break;
      ++n;
    }
    std::vector<Reading> out;
    for (size_t k = n; k > 0; --k) {
      std::optional<double> v = ParseInteger(text_.substr(pos, k), m.format, position_);
      if (v) out.push_back({pos + k, static_cast<int64_t>(*v)});
    }
    return out;
  }

  // English number words separated by " ", "-" or ", ": "twenty-first",
  // "one thousand, nine hundred and eighty-four", in any case. Two words
  // under a hundred follow each other only as tens and units, so
  // "fifty-eight-twenty" ends after "eight".
  std::vector<Reading> Words(size_t pos) const {
    std::vector<Reading> out;
    size_t p = pos;
    int64_t previous = 0;  // the last word's value when under a hundred
    for (int words = 0; words < kMaxWords; ++words) {
      size_t start = p;
      while (p < text_.size() && std::isalpha(static_cast<unsigned char>(text_[p]))) ++p;
      std::string_view word = text_.substr(start, p - start);
      bool is_and = word.size() == 3 && StartsWithIgnoringCase(word, 0, "and");
      std::optional<double> alone = is_and ? 0.0 : ParseInteger(word, "w", position_);
      if (word.empty() || !alone) break;
      int64_t small = *alone >= 1 && *alone < 100 ? static_cast<int64_t>(*alone) : 0;
      if (previous && small && !(previous % 10 == 0 && previous >= 20 && small < 10)) break;
      previous = is_and ? 0 : small;
      std::optional<double> v = ParseInteger(text_.substr(pos, p - pos), "w", position_);
      if (!v || !(*v < 1e15)) break;
      if (!is_and) out.push_back({p, static_cast<int64_t>(*v)});
      size_t next = p;
      if (next < text_.size() && text_[next] == ',') ++next;
      if (next < text_.size() && (text_[next] == ' ' || text_[next] == '-')) ++next;
      if (next == p) break;
      p = next;
    }
    LongestFirst(out);
    return out;
  }

  // "+05:30", "-0500", "+5", "GMT-05:00", and "Z" for [Z].
  std::vector<Reading> Offset(const DateMarker& m, size_t pos) const {
    std::vector<Reading> out;
    if (StartsWithIgnoringCase(text_, pos, "GMT")) pos += 3;
    if (m.component == 'Z' && pos < text_.size() && text_[pos] == 'Z') out.push_back({pos + 1, 0});
    if (pos >= text_.size() || (text_[pos] != '+' && text_[pos] != '-')) return out;
    int sign = text_[pos] == '-' ? -1 : 1;
    size_t p = pos + 1;
    std::string digits;
    while (p + digits.size() < text_.size() && digits.size() < 4 &&
           std::isdigit(static_cast<unsigned char>(text_[p + digits.size()])))
      digits.push_back(text_[p + digits.size()]);
    auto add = [&](size_t end, int hours, int minutes) {
      if (hours <= 23 && minutes <= 59) out.push_back({end, sign * (hours * 60 + minutes)});
    };
    auto number = [&](size_t from, size_t n) { return std::stoi(digits.substr(from, n)); };
    size_t k = digits.size();
    if (k >= 3) add(p + k, number(0, k - 2), number(k - 2, 2));
    size_t colon = p + k;
    if (k >= 1 && k <= 2 && colon + 2 < text_.size() && text_[colon] == ':' &&
        std::isdigit(static_cast<unsigned char>(text_[colon + 1])) &&
        std::isdigit(static_cast<unsigned char>(text_[colon + 2])))
      add(colon + 3, number(0, k), std::stoi(std::string(text_.substr(colon + 1, 2))));
    for (size_t n = std::min<size_t>(k, 2); n >= 1; --n) add(p + n, number(0, n), 0);
    LongestFirst(out);
    return out;
  }

  // Month and day names, am/pm, the calendar: in any case, whole or cut to
  // the marker's maximum width ("[MNn,*-3]": "Feb").
  std::vector<Reading> Names(const DateMarker& m, size_t pos) const {
    std::vector<std::pair<std::string_view, int64_t>> names;
    if (m.presentation == Presentation::kCalendar) {
      names = {{"ISO", 0}};
    } else if (m.component == 'P') {
      names = {{"am", 0}, {"pm", 1}};
    } else if (m.component == 'F') {
      for (int d = 1; d <= 7; ++d) names.emplace_back(DayName(d), d);
    } else {
      for (int mo = 1; mo <= 12; ++mo) names.emplace_back(MonthName(mo), mo);
    }
    std::vector<Reading> out;
    for (auto [name, value] : names) {
      if (StartsWithIgnoringCase(text_, pos, name)) out.push_back({pos + name.size(), value});
      size_t cut = static_cast<size_t>(m.max_width);
      if (cut > 0 && cut < name.size() && StartsWithIgnoringCase(text_, pos, name.substr(0, cut)))
        out.push_back({pos + cut, value});
    }
    LongestFirst(out);
    return out;
  }

  std::string_view text_;
  int64_t now_year_;
  int position_;
};

// Matches the whole text against the picture; the value each part read
// (literals read 0). Backtracks with an explicit stack, remembering the
// (part, position) pairs that cannot lead to a match, so the work is bounded
// by parts x positions x readings and deep pictures cannot exhaust the stack.
std::optional<std::vector<int64_t>> Match(const std::vector<PicturePart>& parts,
                                          std::string_view text, const MarkerReader& reader,
                                          const std::function<void()>& tick) {
  struct Frame {
    size_t part;
    std::vector<Reading> options;
    size_t next = 0;
  };
  auto options = [&](size_t part, size_t pos) -> std::vector<Reading> {
    if (part == parts.size()) return {};
    const PicturePart& p = parts[part];
    if (!p.marker) {
      if (text.substr(pos).substr(0, p.literal.size()) != p.literal) return {};
      return {{pos + p.literal.size(), 0}};
    }
    bool adjacent = part + 1 < parts.size() && parts[part + 1].marker.has_value();
    return reader.Read(*p.marker, adjacent, pos);
  };
  absl::flat_hash_set<std::pair<size_t, size_t>> dead;
  std::vector<Frame> stack;
  std::vector<size_t> positions{0};  // positions[i]: where part i starts
  stack.push_back({0, options(0, 0)});
  while (!stack.empty()) {
    if (tick) tick();
    Frame& top = stack.back();
    if (top.next == top.options.size()) {
      dead.insert({top.part, positions.back()});
      stack.pop_back();
      positions.pop_back();
      continue;
    }
    size_t end = top.options[top.next++].end;
    size_t part = top.part + 1;
    if (part == parts.size()) {
      if (end != text.size()) continue;
      std::vector<int64_t> values;
      for (const Frame& f : stack) values.push_back(f.options[f.next - 1].value);
      return values;
    }
    if (dead.contains({part, end})) continue;
    positions.push_back(end);
    stack.push_back({part, options(part, end)});
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> ParseDateTime(std::string_view text, std::string_view picture, absl::Time now,
                                    int position, const std::function<void()>& tick) {
  std::vector<PicturePart> parts = AnalysePicture(picture, position);
  std::string given;
  for (const PicturePart& p : parts)
    if (p.marker) given.push_back(p.marker->component);
  CheckComponents(given, position);
  if (given.find_first_of("YMDdHPmsf") == std::string::npos) return std::nullopt;
  MarkerReader reader(text, absl::ToCivilSecond(now, absl::UTCTimeZone()).year(), position);
  std::optional<std::vector<int64_t>> values = Match(parts, text, reader, tick);
  if (!values) return std::nullopt;
  std::map<char, int64_t> components;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].marker) continue;
    auto [it, added] = components.emplace(parts[i].marker->component, (*values)[i]);
    if (!added && it->second != (*values)[i]) return std::nullopt;  // "[Y] ... [Y]" disagree
  }
  return Resolve(components, now);
}

}  // namespace fleetflow::jsonata::internal
