// Base64 and URL encoding, with JavaScript's rules (encodeURIComponent and
// friends) since that is what JSONata calls.
#include <cstring>

#include "engine/jsonata/functions.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Value FnBase64Encode(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string_view in = v.str();
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<uint8_t>(in[i + 2]);
    out.push_back(kBase64[(n >> 18) & 63]);
    out.push_back(kBase64[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kBase64[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < in.size() ? kBase64[n & 63] : '=');
  }
  return call.ev.StringValue(out);
}

Value FnBase64Decode(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : v.str()) {
    const char* p = std::strchr(kBase64, c);
    if (c == '=' || !p || c == 0) continue;
    bits = (bits << 6) | static_cast<uint32_t>(p - kBase64);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return call.ev.StringValue(out);
}

bool Unreserved(char c, bool component) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  if (std::strchr("-_.!~*'()", c) && c != 0) return true;
  return !component && std::strchr(";,/?:@&=+$#", c) && c != 0;
}

Value Encode(CallContext& call, std::span<const Value> args, bool component) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string_view in = v.str();
  std::string out;
  size_t pos = 0;
  while (pos < in.size()) {
    size_t start = pos;
    uint32_t cp = DecodeUtf8(in, pos);
    if (cp >= 0xD800 && cp <= 0xDFFF) Throw("D3140", call.position, call.name, std::string(in));
    if (cp < 128 && Unreserved(static_cast<char>(cp), component)) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    for (size_t i = start; i < pos; ++i) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<uint8_t>(in[i]));
      out += buf;
    }
  }
  return call.ev.StringValue(out);
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Value Decode(CallContext& call, std::span<const Value> args, bool component) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string_view in = v.str();
  std::string out;
  auto malformed = [&]() { Throw("D3140", call.position, call.name, std::string(in)); };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    // One UTF-8 sequence of %XX escapes.
    auto byte_at = [&](size_t at) {
      if (at + 2 >= in.size() + 0 && at + 2 > in.size() - 1) malformed();
      if (in[at] != '%') malformed();
      int h = Hex(in[at + 1]), l = Hex(in[at + 2]);
      if (h < 0 || l < 0) malformed();
      return static_cast<uint8_t>(h * 16 + l);
    };
    if (i + 2 >= in.size()) malformed();
    uint8_t b0 = byte_at(i);
    int extra = b0 < 0x80 ? 0 : (b0 >> 5) == 6 ? 1 : (b0 >> 4) == 14 ? 2 : (b0 >> 3) == 30 ? 3 : -1;
    if (extra < 0) malformed();
    std::string bytes(1, static_cast<char>(b0));
    for (int k = 1; k <= extra; ++k) {
      size_t at = i + 3 * k;
      if (at + 2 >= in.size()) malformed();
      uint8_t b = byte_at(at);
      if ((b & 0xC0) != 0x80) malformed();
      bytes.push_back(static_cast<char>(b));
    }
    if (extra == 0 && !component && Unreserved(static_cast<char>(b0), false) &&
        std::strchr(";,/?:@&=+$#", static_cast<char>(b0))) {
      out += in.substr(i, 3);  // decodeURI keeps reserved characters escaped
    } else {
      out += bytes;
    }
    i += 3 * (extra + 1) - 1;
  }
  return call.ev.StringValue(out);
}

Value FnEncodeUrlComponent(CallContext& call, std::span<const Value> args) {
  return Encode(call, args, true);
}
Value FnEncodeUrl(CallContext& call, std::span<const Value> args) {
  return Encode(call, args, false);
}
Value FnDecodeUrlComponent(CallContext& call, std::span<const Value> args) {
  return Decode(call, args, true);
}
Value FnDecodeUrl(CallContext& call, std::span<const Value> args) {
  return Decode(call, args, false);
}

}  // namespace

void AddEncodingFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"base64encode", "<s-:s>", FnBase64Encode},
                            {"base64decode", "<s-:s>", FnBase64Decode},
                            {"encodeUrlComponent", "<s-:s>", FnEncodeUrlComponent},
                            {"encodeUrl", "<s-:s>", FnEncodeUrl},
                            {"decodeUrlComponent", "<s-:s>", FnDecodeUrlComponent},
                            {"decodeUrl", "<s-:s>", FnDecodeUrl},
                        });
}

}  // namespace fleetflow::jsonata::internal
