#include "engine/jsonata/format_integer.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {
namespace {

constexpr const char* kSmall[] = {"zero",    "one",     "two",       "three",    "four",
                                  "five",    "six",     "seven",     "eight",    "nine",
                                  "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                  "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr const char* kTens[] = {"twenty", "thirty",  "forty",  "fifty",
                                 "sixty",  "seventy", "eighty", "ninety"};
constexpr const char* kMagnitudes[] = {"thousand", "million", "billion", "trillion"};

std::string Words(double n, bool joined) {
  std::string out;
  if (n <= 19) {
    out = (joined ? " and " : "") + std::string(kSmall[static_cast<int>(n)]);
  } else if (n < 100) {
    int tens = static_cast<int>(n / 10);
    int rest = static_cast<int>(std::fmod(n, 10));
    out = (joined ? " and " : "") + std::string(kTens[tens - 2]);
    if (rest > 0) out += "-" + Words(rest, false);
  } else if (n < 1000) {
    int hundreds = static_cast<int>(n / 100);
    double rest = std::fmod(n, 100);
    out = (joined ? ", " : "") + std::string(kSmall[hundreds]) + " hundred";
    if (rest > 0) out += Words(rest, true);
  } else {
    int mag = static_cast<int>(std::floor(std::log10(n) / 3));
    if (mag > 4) mag = 4;
    double factor = std::pow(10.0, mag * 3);
    double mant = std::floor(n / factor);
    double rest = n - mant * factor;
    out = (joined ? ", " : "") + Words(mant, false) + " " + kMagnitudes[mag - 1];
    if (rest > 0) out += Words(rest, true);
  }
  return out;
}

std::string OrdinalWord(const std::string& word) {
  static const std::pair<const char*, const char*> kIrregular[] = {
      {"one", "first"},    {"two", "second"}, {"three", "third"},   {"five", "fifth"},
      {"eight", "eighth"}, {"nine", "ninth"}, {"twelve", "twelfth"}};
  for (auto [card, ord] : kIrregular)
    if (word == card) return ord;
  if (!word.empty() && word.back() == 'y') return word.substr(0, word.size() - 1) + "ieth";
  return word + "th";
}

bool IsDigitOfFamily(uint32_t cp, uint32_t zero) { return cp >= zero && cp <= zero + 9; }

std::string OrdinalSuffix(long long n) {
  long long last2 = n % 100;
  if (last2 >= 11 && last2 <= 13) return "th";
  switch (n % 10) {
    case 1:
      return "st";
    case 2:
      return "nd";
    case 3:
      return "rd";
    default:
      return "th";
  }
}

struct Picture {
  std::string primary;
  bool ordinal = false;
};

Picture Split(std::string_view picture) {
  Picture p;
  size_t semi = picture.rfind(';');
  p.primary = std::string(picture.substr(0, semi));
  if (semi != std::string_view::npos) {
    std::string_view mod = picture.substr(semi + 1);
    p.ordinal = !mod.empty() && mod[0] == 'o';
  }
  return p;
}

std::string FormatDecimal(double value, const std::string& pattern, bool ordinal, int position) {
  std::vector<uint32_t> cps;
  for (size_t pos = 0; pos < pattern.size();) cps.push_back(DecodeUtf8(pattern, pos));
  uint32_t zero = 0;
  int mandatory = 0;
  std::vector<std::pair<int, uint32_t>> separators;  // digit positions from the right
  int digits_seen = 0;
  for (size_t i = cps.size(); i-- > 0;) {
    uint32_t cp = cps[i];
    uint32_t z = DigitZero(cp);
    if (z) {
      if (zero && z != zero) Throw("D3131", position);
      zero = z;
      ++mandatory;
      ++digits_seen;
    } else if (cp == '#') {
      ++digits_seen;
    } else if (digits_seen > 0) {
      separators.emplace_back(digits_seen, cp);
    }
  }
  if (digits_seen == 0) Throw("D3130", position, "", pattern);
  if (!zero) zero = '0';
  // Regular grouping repeats the first interval if every separator is the
  // same character at a multiple of it.
  bool regular = !separators.empty();
  for (const auto& [at, cp] : separators)
    if (cp != separators[0].second || at % separators[0].first != 0) regular = false;
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(std::trunc(value)));
  std::string digits = buf;
  long long n = std::fabs(value) < 1e18 ? static_cast<long long>(std::fabs(std::trunc(value))) : 0;
  while (static_cast<int>(digits.size()) < mandatory) digits.insert(digits.begin(), '0');
  std::string out;
  int count = 0;
  size_t next_sep = 0;
  for (size_t i = digits.size(); i-- > 0;) {
    if (count > 0) {
      uint32_t sep = 0;
      if (regular) {
        if (count % separators[0].first == 0) sep = separators[0].second;
      } else if (next_sep < separators.size() && separators[next_sep].first == count) {
        sep = separators[next_sep++].second;
      }
      if (sep) {
        std::string s;
        AppendUtf8(s, sep);
        out.insert(0, s);
      }
    }
    std::string d;
    AppendUtf8(d, zero + static_cast<uint32_t>(digits[i] - '0'));
    out.insert(0, d);
    ++count;
  }
  if (value < 0 && n != 0) out.insert(0, "-");
  if (ordinal) out += OrdinalSuffix(n);
  return out;
}

std::string Capitalize(const std::string& words) {
  std::string out = words;
  bool start = true;
  for (size_t i = 0; i < out.size(); ++i) {
    if (start && out.compare(i, 4, "and ") != 0) out[i] = static_cast<char>(std::toupper(out[i]));
    start = out[i] == ' ' || out[i] == '-';
  }
  return out;
}

}  // namespace

uint32_t DigitZero(uint32_t cp) {
  static const uint32_t kZeros[] = {0x30,   0x660,  0x6F0,  0x7C0,  0x966,  0x9E6,  0xA66,  0xAE6,
                                    0xB66,  0xBE6,  0xC66,  0xCE6,  0xD66,  0xDE6,  0xE50,  0xED0,
                                    0xF20,  0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
                                    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900,
                                    0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};
  for (uint32_t z : kZeros)
    if (cp >= z && cp <= z + 9) return z;
  return 0;
}

std::string IntegerToWords(double value, bool ordinal) {
  std::string words = Words(std::fabs(value), false);
  if (ordinal) {
    size_t cut = words.find_last_of(" -");
    size_t start = cut == std::string::npos ? 0 : cut + 1;
    words = words.substr(0, start) + OrdinalWord(words.substr(start));
  }
  return value < 0 ? "-" + words : words;
}

std::string IntegerToRoman(long long n) {
  static const std::pair<int, const char*> kRoman[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string out;
  for (auto [v, s] : kRoman) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

std::string IntegerToLetters(long long n, bool upper) {
  std::string out;
  while (n > 0) {
    --n;
    out.insert(out.begin(), static_cast<char>((upper ? 'A' : 'a') + n % 26));
    n /= 26;
  }
  return out;
}

std::string FormatInteger(double value, std::string_view picture, int position) {
  Picture p = Split(picture);
  const std::string& prim = p.primary;
  double v = std::floor(value);
  std::string sign = v < 0 ? "-" : "";
  // Letters and roman numerals of huge numbers would be absurdly long.
  if ((prim == "A" || prim == "a" || prim == "I" || prim == "i") && std::fabs(v) > 1e9)
    Throw("D3130", position, "", prim);
  if (prim == "A" || prim == "a")
    return sign + IntegerToLetters(static_cast<long long>(std::fabs(v)), prim == "A");
  if (prim == "I" || prim == "i") {
    std::string r = sign + IntegerToRoman(static_cast<long long>(std::fabs(v)));
    if (prim == "i")
      for (char& c : r) c = static_cast<char>(std::tolower(c));
    return r;
  }
  if (prim == "w" || prim == "W" || prim == "Ww") {
    std::string words = IntegerToWords(v, p.ordinal);
    if (prim == "W")
      for (char& c : words) c = static_cast<char>(std::toupper(c));
    if (prim == "Ww") words = Capitalize(words);
    return words;
  }
  bool decimal = !prim.empty();
  for (size_t pos = 0; pos < prim.size();) {
    uint32_t cp = DecodeUtf8(prim, pos);
    if (!DigitZero(cp) && cp != '#' && (std::iswalnum(static_cast<wint_t>(cp)) || cp > 0x7F))
      decimal = false;
  }
  if (!decimal) Throw("D3130", position, "", prim);
  return FormatDecimal(value, prim, p.ordinal, position);
}

namespace {

std::optional<double> ParseWords(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(c));
    if (c == ',' || c == '-') c = ' ';
  }
  std::vector<std::pair<double, double>> parts;  // (amount, magnitude)
  double current = 0;
  size_t pos = 0;
  bool any = false;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty() || word == "and") continue;
    // Ordinals back to cardinals.
    static const std::pair<const char*, const char*> kIrregular[] = {
        {"first", "one"},    {"second", "two"}, {"third", "three"},   {"fifth", "five"},
        {"eighth", "eight"}, {"ninth", "nine"}, {"twelfth", "twelve"}};
    for (auto [ord, card] : kIrregular)
      if (word == ord) word = card;
    if (word.size() > 4 && word.compare(word.size() - 4, 4, "ieth") == 0)
      word = word.substr(0, word.size() - 4) + "y";
    else if (word.size() > 2 && word.compare(word.size() - 2, 2, "th") == 0 && word != "eighth")
      word = word.substr(0, word.size() - 2);
    any = true;
    bool found = false;
    for (int i = 0; i < 20 && !found; ++i)
      if (word == kSmall[i]) current += i, found = true;
    for (int i = 0; i < 8 && !found; ++i)
      if (word == kTens[i]) current += (i + 2) * 10, found = true;
    if (!found && word == "hundred") current *= 100, found = true;
    for (int i = 0; i < 4 && !found; ++i) {
      if (word != kMagnitudes[i]) continue;
      double mag = std::pow(10.0, 3 * (i + 1));
      double amount = current;
      while (!parts.empty() && parts.back().second <= mag) {
        amount += parts.back().first;
        parts.pop_back();
      }
      parts.emplace_back(amount * mag, mag);
      current = 0;
      found = true;
    }
    if (!found) return std::nullopt;
  }
  if (!any) return std::nullopt;
  for (auto& [amount, mag] : parts) current += amount;
  return current;
}

std::optional<double> ParseRoman(std::string_view text) {
  auto value = [](char c) {
    switch (std::toupper(c)) {
      case 'I':
        return 1;
      case 'V':
        return 5;
      case 'X':
        return 10;
      case 'L':
        return 50;
      case 'C':
        return 100;
      case 'D':
        return 500;
      case 'M':
        return 1000;
      default:
        return 0;
    }
  };
  double total = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    int v = value(text[i]);
    if (!v) return std::nullopt;
    int next = i + 1 < text.size() ? value(text[i + 1]) : 0;
    total += next > v ? -v : v;
  }
  return total;
}

}  // namespace

std::optional<double> ParseInteger(std::string_view text, std::string_view picture, int position) {
  Picture p = Split(picture);
  const std::string& prim = p.primary;
  if (prim == "A" || prim == "a") {
    double n = 0;
    for (char c : text) {
      int d = std::tolower(c) - 'a' + 1;
      if (d < 1 || d > 26) return std::nullopt;
      n = n * 26 + d;
    }
    return n;
  }
  if (prim == "I" || prim == "i") return ParseRoman(text);
  if (prim == "w" || prim == "W" || prim == "Ww") return ParseWords(std::string(text));
  uint32_t zero = 0;
  for (size_t pos = 0; pos < prim.size();) {
    uint32_t z = DigitZero(DecodeUtf8(prim, pos));
    if (z) zero = z;
  }
  if (!zero) Throw("D3130", position, "", prim);
  double n = 0;
  bool any = false;
  for (size_t pos = 0; pos < text.size();) {
    uint32_t cp = DecodeUtf8(text, pos);
    if (IsDigitOfFamily(cp, zero)) {
      n = n * 10 + (cp - zero);
      any = true;
    }
  }
  if (!any) return std::nullopt;
  return n;
}

}  // namespace fleetflow::jsonata::internal
