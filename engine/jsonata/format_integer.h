#pragma once
// XPath F&O 3.1 integer pictures (fn:format-integer): decimal digit patterns
// with grouping ("#,##0", any Unicode digit family), roman numerals ("I"),
// letters ("A"), English words ("w", "W", "Ww") and ordinals (";o").
// Shared by $formatInteger, $parseInteger and the date/time pictures.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fleetflow::jsonata::internal {

// Throws D3130 (unsupported picture) or D3131 (mixed digit families).
std::string FormatInteger(double value, std::string_view picture, int position);

// The inverse; nullopt when `text` does not fit the picture.
std::optional<double> ParseInteger(std::string_view text, std::string_view picture, int position);

std::string IntegerToWords(double value, bool ordinal);
std::string IntegerToRoman(long long value);
std::string IntegerToLetters(long long value, bool upper);

// The zero of the Unicode decimal digit family `cp` belongs to, or 0.
uint32_t DigitZero(uint32_t cp);

}  // namespace fleetflow::jsonata::internal
