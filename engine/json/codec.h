#pragma once
// Byte codecs the intrinsic functions need: Base64 and message digests.

#include <optional>
#include <string>
#include <string_view>

namespace fleetflow::json {

std::string Base64Encode(std::string_view bytes);
// nullopt when `text` is not valid Base64.
std::optional<std::string> Base64Decode(std::string_view text);

// Lowercase hex digest; `algorithm` is MD5, SHA-1, SHA-256, SHA-384 or SHA-512.
// nullopt for any other algorithm name.
std::optional<std::string> HexDigest(std::string_view algorithm, std::string_view data);

}  // namespace fleetflow::json
