#pragma once
// UTF-8 helpers. Strings are UTF-8 inside the engine; JSONata counts
// characters as Unicode code points ($length, $substring). Lone UTF-16
// surrogates from "\ud800" escapes are kept as 3-byte sequences (WTF-8).

#include <cstdint>
#include <string>
#include <string_view>

namespace fleetflow::jsonata::internal {

void AppendUtf8(std::string& out, uint32_t cp);

// Decodes the code point at `pos` and advances `pos` (invalid bytes decode as
// themselves, one byte each).
uint32_t DecodeUtf8(std::string_view s, size_t& pos);

size_t CodePointCount(std::string_view s);

// Byte offset of code point `index` (s.size() when past the end).
size_t ByteOffsetOfCodePoint(std::string_view s, size_t index);

// Number of UTF-16 units before byte offset `pos` (JavaScript string index).
size_t Utf16Index(std::string_view s, size_t pos);

}  // namespace fleetflow::jsonata::internal
