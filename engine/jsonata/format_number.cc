#include "engine/jsonata/format_number.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/utf8.h"
#include "engine/jsonata/value.h"

namespace fleetflow::jsonata::internal {
namespace {

using Chars = std::vector<uint32_t>;

Chars Decode(std::string_view s) {
  Chars out;
  for (size_t pos = 0; pos < s.size();) out.push_back(DecodeUtf8(s, pos));
  return out;
}

std::string Encode(const Chars& cps) {
  std::string out;
  for (uint32_t c : cps) AppendUtf8(out, c);
  return out;
}

struct Format {
  uint32_t decimal = '.', grouping = ',', exponent = 'e', zero = '0', digit = '#', pattern = ';';
  std::string percent = "%", per_mille = "\u2030", minus = "-", infinity = "Infinity", nan = "NaN";
};

Format ReadFormat(const Value& options) {
  Format f;
  if (!options.is_object()) return f;
  auto one = [&](std::string_view key, uint32_t& out) {
    Value v = ObjectGet(options, key);
    if (v.is_string() && !v.str().empty()) {
      size_t pos = 0;
      out = DecodeUtf8(v.str(), pos);
    }
  };
  auto str = [&](std::string_view key, std::string& out) {
    Value v = ObjectGet(options, key);
    if (v.is_string()) out = std::string(v.str());
  };
  one("decimal-separator", f.decimal);
  one("grouping-separator", f.grouping);
  one("exponent-separator", f.exponent);
  one("zero-digit", f.zero);
  one("digit", f.digit);
  one("pattern-separator", f.pattern);
  str("percent", f.percent);
  str("per-mille", f.per_mille);
  str("minus-sign", f.minus);
  str("infinity", f.infinity);
  str("NaN", f.nan);
  return f;
}

struct SubPicture {
  std::string prefix, suffix;
  std::vector<int> int_groups;   // separator positions, digits to the right
  std::vector<int> frac_groups;  // separator positions, digits to the left
  int min_int = 0, max_int = 0;
  int min_frac = 0, max_frac = 0;
  int min_exp = 0;
  bool exponent = false;
  bool percent = false, per_mille = false;
  bool int_has_optional = false;
};

size_t Count(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return 0;
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string_view::npos;
       p = hay.find(needle, p + needle.size()))
    ++n;
  return n;
}

SubPicture Analyze(const Format& f, std::string_view text, int position) {
  Chars pic = Decode(text);
  auto is_digit = [&](uint32_t c) { return c >= f.zero && c <= f.zero + 9; };
  auto mantissa_active = [&](uint32_t c) {
    return is_digit(c) || c == f.digit || c == f.decimal || c == f.grouping;
  };
  // Where the exponent separator is (followed by a digit, after the mantissa).
  long exp_at = -1;
  for (size_t i = 1; i + 1 < pic.size(); ++i) {
    if (pic[i] == f.exponent && is_digit(pic[i + 1]) && mantissa_active(pic[i - 1])) {
      exp_at = static_cast<long>(i);
      break;
    }
  }
  auto active = [&](size_t i) { return mantissa_active(pic[i]) || static_cast<long>(i) == exp_at; };
  long first = -1, last = -1;
  for (size_t i = 0; i < pic.size(); ++i) {
    if (!active(i)) continue;
    if (first < 0) first = static_cast<long>(i);
    last = static_cast<long>(i);
  }
  if (first < 0 && !pic.empty()) Throw("D3086", position);
  size_t decimals = 0;
  for (uint32_t c : pic) decimals += c == f.decimal;
  if (decimals > 1) Throw("D3081", position);
  size_t percents = Count(text, f.percent), per_milles = Count(text, f.per_mille);
  if (percents > 1) Throw("D3082", position);
  if (per_milles > 1) Throw("D3083", position);
  if (percents && per_milles) Throw("D3084", position);
  SubPicture sp;
  sp.percent = percents > 0;
  sp.per_mille = per_milles > 0;
  if (first < 0) {
    if (!pic.empty()) Throw("D3086", position);
    Throw("D3085", position);
  }
  sp.prefix = Encode(Chars(pic.begin(), pic.begin() + first));
  sp.suffix = Encode(Chars(pic.begin() + last + 1, pic.end()));
  Chars mid(pic.begin() + first, pic.begin() + last + 1);
  long mid_exp = exp_at < 0 ? -1 : exp_at - first;
  Chars mantissa(mid.begin(), mid_exp < 0 ? mid.end() : mid.begin() + mid_exp);
  Chars exponent;
  if (mid_exp >= 0) exponent.assign(mid.begin() + mid_exp + 1, mid.end());
  bool any_digit = false;
  for (uint32_t c : mantissa) any_digit |= is_digit(c) || c == f.digit;
  if (!any_digit) Throw("D3085", position);
  for (size_t i = 0; i < mid.size(); ++i)
    if (!mantissa_active(mid[i]) && static_cast<long>(i) != mid_exp) Throw("D3086", position);
  size_t dot = 0;
  while (dot < mantissa.size() && mantissa[dot] != f.decimal) ++dot;
  Chars integer(mantissa.begin(), mantissa.begin() + dot);
  Chars fraction;
  if (dot < mantissa.size()) fraction.assign(mantissa.begin() + dot + 1, mantissa.end());
  for (size_t i = 0; i < mantissa.size(); ++i) {
    if (mantissa[i] != f.grouping) continue;
    if ((i > 0 && mantissa[i - 1] == f.decimal) ||
        (i + 1 < mantissa.size() && mantissa[i + 1] == f.decimal))
      Throw("D3087", position);
    if (i + 1 < mantissa.size() && mantissa[i + 1] == f.grouping) Throw("D3089", position);
  }
  if (!integer.empty() && integer.back() == f.grouping) Throw("D3088", position);
  for (size_t i = 0; i + 1 < integer.size(); ++i)
    if (is_digit(integer[i]) && integer[i + 1] == f.digit) Throw("D3090", position);
  for (size_t i = 0; i + 1 < fraction.size(); ++i)
    if (fraction[i] == f.digit && is_digit(fraction[i + 1])) Throw("D3091", position);
  if (mid_exp >= 0) {
    if (sp.percent || sp.per_mille) Throw("D3092", position);
    for (uint32_t c : exponent)
      if (!is_digit(c)) Throw("D3093", position);
  }
  int digits_right = 0;
  for (size_t i = integer.size(); i-- > 0;) {
    if (integer[i] == f.grouping) {
      sp.int_groups.push_back(digits_right);
    } else {
      ++digits_right;
      if (is_digit(integer[i])) ++sp.min_int;
      if (integer[i] == f.digit) sp.int_has_optional = true;
    }
  }
  sp.max_int = digits_right;
  int digits_left = 0;
  for (uint32_t c : fraction) {
    if (c == f.grouping) {
      sp.frac_groups.push_back(digits_left);
    } else {
      ++digits_left;
      if (is_digit(c)) ++sp.min_frac;
    }
  }
  sp.max_frac = digits_left;
  sp.exponent = mid_exp >= 0;
  sp.min_exp = static_cast<int>(exponent.size());
  if (sp.min_int == 0 && sp.max_frac == 0) {
    if (sp.exponent) {
      sp.min_frac = sp.max_frac = 1;
    } else {
      sp.min_int = 1;
    }
  }
  return sp;
}

// Repeats the grouping if the positions are regular (multiples of the first
// and each multiple present).
std::vector<int> Grouping(const SubPicture& sp, int digits) {
  if (sp.int_groups.empty()) return {};
  int g = sp.int_groups[0];
  for (int p : sp.int_groups) g = std::min(g, p);
  bool regular = g > 0;
  for (int p : sp.int_groups) regular = regular && p % g == 0;
  for (int m = g; regular && m < sp.max_int; m += g)
    regular = std::find(sp.int_groups.begin(), sp.int_groups.end(), m) != sp.int_groups.end();
  if (!regular) return sp.int_groups;
  std::vector<int> out;
  for (int m = g; m < digits; m += g) out.push_back(m);
  return out;
}

}  // namespace

std::string FormatNumber(Evaluator&, double value, std::string_view picture, const Value& options,
                         int position) {
  Format f = ReadFormat(options);
  std::vector<std::string_view> parts;
  {
    std::string pattern_sep;
    AppendUtf8(pattern_sep, f.pattern);
    size_t start = 0;
    for (size_t p = picture.find(pattern_sep); p != std::string_view::npos;
         p = picture.find(pattern_sep, start)) {
      parts.push_back(picture.substr(start, p - start));
      start = p + pattern_sep.size();
    }
    parts.push_back(picture.substr(start));
  }
  if (parts.size() > 2) Throw("D3080", position);
  std::vector<SubPicture> subs;
  for (std::string_view p : parts) subs.push_back(Analyze(f, p, position));
  if (std::isnan(value)) return f.nan;
  bool negative = value < 0;
  const SubPicture& sp = negative && subs.size() > 1 ? subs[1] : subs[0];
  std::string prefix = sp.prefix;
  if (negative && subs.size() == 1) prefix = f.minus + prefix;
  double v = std::fabs(value);
  if (std::isinf(v)) return prefix + f.infinity + sp.suffix;
  if (sp.percent) v *= 100;
  if (sp.per_mille) v *= 1000;
  int exponent = 0;
  if (sp.exponent && v != 0) {
    // Scale so the mantissa has min_int integer digits (or is below 1).
    int magnitude = static_cast<int>(std::floor(std::log10(v))) + 1;
    exponent = magnitude - sp.min_int;
    v = v / std::pow(10.0, exponent);
  }
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", sp.max_frac, v);
  std::string fixed = buf;
  size_t point = fixed.find('.');
  std::string int_digits = fixed.substr(0, point);
  std::string frac_digits = point == std::string::npos ? "" : fixed.substr(point + 1);
  while (!int_digits.empty() && int_digits[0] == '0') int_digits.erase(0, 1);
  while (static_cast<int>(int_digits.size()) < sp.min_int) int_digits.insert(0, "0");
  while (static_cast<int>(frac_digits.size()) > sp.min_frac && frac_digits.back() == '0')
    frac_digits.pop_back();
  if (sp.exponent && int_digits.empty() && sp.int_has_optional) int_digits = "0";
  auto digit = [&](char c) {
    std::string s;
    AppendUtf8(s, f.zero + static_cast<uint32_t>(c - '0'));
    return s;
  };
  std::string sep;
  AppendUtf8(sep, f.grouping);
  std::string out;
  std::vector<int> groups = Grouping(sp, static_cast<int>(int_digits.size()));
  for (size_t i = 0; i < int_digits.size(); ++i) {
    int right = static_cast<int>(int_digits.size() - i);
    if (i > 0 && std::find(groups.begin(), groups.end(), right) != groups.end()) out += sep;
    out += digit(int_digits[i]);
  }
  if (!frac_digits.empty()) {
    AppendUtf8(out, f.decimal);
    for (size_t i = 0; i < frac_digits.size(); ++i) {
      if (i > 0 && std::find(sp.frac_groups.begin(), sp.frac_groups.end(), static_cast<int>(i)) !=
                       sp.frac_groups.end())
        out += sep;
      out += digit(frac_digits[i]);
    }
  }
  if (sp.exponent) {
    AppendUtf8(out, f.exponent);
    if (exponent < 0) out += f.minus;
    std::string e = std::to_string(std::abs(exponent));
    while (static_cast<int>(e.size()) < sp.min_exp) e.insert(0, "0");
    for (char c : e) out += digit(c);
  }
  return prefix + out + sp.suffix;
}

}  // namespace fleetflow::jsonata::internal
