#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include "engine/json/json.h"

namespace fleetflow::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Bytes that JSON requires escaped; everything else (UTF-8 included) is copied.
inline bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void AppendEscapedImpl(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!NeedsEscape(c)) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default: {
        char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(u, 6);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

// Doubles as Java's Double.toString prints them (AWS runs on the JVM):
// plain decimal for 1e-3 <= |d| < 1e7, else d.dddE±n; always a fraction digit.
void AppendDouble(std::string& out, double d) {
  if (!std::isfinite(d)) {  // JSON has no NaN/Infinity; AWS never produces them.
    out.append("null");
    return;
  }
  if (d == 0) {
    out.append(std::signbit(d) ? "-0.0" : "0.0");
    return;
  }
  char sci[32];
  auto res = std::to_chars(sci, sci + sizeof sci, d, std::chars_format::scientific);
  std::string_view s(sci, res.ptr - sci);
  bool negative = s[0] == '-';
  if (negative) s.remove_prefix(1);
  size_t e_pos = s.find('e');
  int exponent = 0;
  const char* exp_begin = s.data() + e_pos + 1;
  if (*exp_begin == '+') ++exp_begin;
  std::from_chars(exp_begin, s.data() + s.size(), exponent);
  std::string digits;
  digits.push_back(s[0]);
  if (e_pos > 2) digits.append(s.substr(2, e_pos - 2));
  if (negative) out.push_back('-');
  double magnitude = std::fabs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      size_t int_len = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= int_len) {
        out.append(digits).append(int_len - digits.size(), '0').append(".0");
      } else {
        out.append(digits, 0, int_len).push_back('.');
        out.append(digits, int_len);
      }
    } else {
      out.append("0.").append(static_cast<size_t>(-exponent - 1), '0').append(digits);
    }
    return;
  }
  out.push_back(digits[0]);
  out.push_back('.');
  if (digits.size() > 1) {
    out.append(digits, 1);
  } else {
    out.push_back('0');
  }
  out.push_back('E');
  out.append(std::to_string(exponent));
}

template <typename Int>
void AppendInt(std::string& out, Int i) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, res.ptr - buf);
}

}  // namespace

void AppendQuoted(std::string& out, std::string_view text) { AppendEscapedImpl(out, text); }

void AppendSerialized(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::null:
      out.append("null");
      break;
    case Kind::bool_:
      out.append(v.get_bool() ? "true" : "false");
      break;
    case Kind::int64:
      AppendInt(out, v.get_int64());
      break;
    case Kind::uint64:
      AppendInt(out, v.get_uint64());
      break;
    case Kind::double_:
      AppendDouble(out, v.get_double());
      break;
    case Kind::string:
      AppendEscapedImpl(out, v.get_string());
      break;
    case Kind::array: {
      out.push_back('[');
      bool first = true;
      for (const Value& e : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        AppendSerialized(out, e);
      }
      out.push_back(']');
      break;
    }
    case Kind::object:
      AppendSerialized(out, v.get_object());
      break;
  }
}

void AppendSerialized(std::string& out, const Object& o) {
  out.push_back('{');
  bool first = true;
  for (const auto& kv : o) {
    if (!first) out.push_back(',');
    first = false;
    AppendEscapedImpl(out, kv.key());
    out.push_back(':');
    AppendSerialized(out, kv.value());
  }
  out.push_back('}');
}

std::string Serialize(const Value& value) {
  std::string out;
  AppendSerialized(out, value);
  return out;
}

namespace {

size_t EscapedSize(std::string_view s) {
  size_t n = 2 + s.size();
  for (unsigned char c : s) {
    if (!NeedsEscape(c)) continue;
    bool short_form =
        c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f';
    n += short_form ? 1 : 5;
  }
  return n;
}

void AddSize(const Value& v, size_t limit, size_t& total) {
  if (total > limit) return;
  switch (v.kind()) {
    case Kind::null:
      total += 4;
      break;
    case Kind::bool_:
      total += v.get_bool() ? 4 : 5;
      break;
    case Kind::int64: {
      char buf[24];
      total += static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v.get_int64()).ptr - buf);
      break;
    }
    case Kind::uint64: {
      char buf[24];
      total += static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v.get_uint64()).ptr - buf);
      break;
    }
    case Kind::double_: {
      std::string s;  // rare enough not to matter
      AppendDouble(s, v.get_double());
      total += s.size();
      break;
    }
    case Kind::string:
      total += EscapedSize(v.get_string());
      break;
    case Kind::array: {
      const Array& a = v.get_array();
      total += 2 + (a.empty() ? 0 : a.size() - 1);
      for (const Value& e : a) AddSize(e, limit, total);
      break;
    }
    case Kind::object: {
      const Object& o = v.get_object();
      total += 2 + (o.empty() ? 0 : o.size() - 1);
      for (const auto& kv : o) {
        total += EscapedSize(kv.key()) + 1;
        AddSize(kv.value(), limit, total);
      }
      break;
    }
  }
}

}  // namespace

size_t SerializedSize(const Value& value, size_t limit) {
  size_t total = 0;
  AddSize(value, limit, total);
  return total;
}

}  // namespace fleetflow::json
