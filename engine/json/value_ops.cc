#include <cmath>
#include <cstdint>

#include "engine/json/json.h"

namespace fleetflow::json {

bool IsNumber(const Value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

double AsDouble(const Value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

bool IsIntegral(const Value& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  if (!v.is_double()) return false;
  double d = v.get_double();
  return std::isfinite(d) && std::floor(d) == d;
}

int CompareNumbers(const Value& a, const Value& b) {
  if (!a.is_double() && !b.is_double()) {
    // Exact comparison of two integers, either of which may be unsigned.
    bool a_neg = a.is_int64() && a.get_int64() < 0;
    bool b_neg = b.is_int64() && b.get_int64() < 0;
    if (a_neg != b_neg) return a_neg ? -1 : 1;
    if (a_neg) {
      int64_t x = a.get_int64(), y = b.get_int64();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    uint64_t x = a.is_int64() ? static_cast<uint64_t>(a.get_int64()) : a.get_uint64();
    uint64_t y = b.is_int64() ? static_cast<uint64_t>(b.get_int64()) : b.get_uint64();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  double x = AsDouble(a), y = AsDouble(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool NumbersEqual(const Value& a, const Value& b) { return CompareNumbers(a, b) == 0; }

bool Equal(const Value& a, const Value& b) {
  if (IsNumber(a) && IsNumber(b)) return NumbersEqual(a, b);
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::array: {
      const Array& x = a.get_array();
      const Array& y = b.get_array();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!Equal(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::object: {
      const Object& x = a.get_object();
      const Object& y = b.get_object();
      if (x.size() != y.size()) return false;
      for (const auto& kv : x) {
        const Value* other = y.if_contains(kv.key());
        if (other == nullptr || !Equal(kv.value(), *other)) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

std::string EscapePointer(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

const char* KindName(const Value& v) {
  switch (v.kind()) {
    case Kind::null:
      return "null";
    case Kind::bool_:
      return "boolean";
    case Kind::int64:
    case Kind::uint64:
    case Kind::double_:
      return "number";
    case Kind::string:
      return "string";
    case Kind::array:
      return "array";
    case Kind::object:
      return "object";
  }
  return "unknown";
}

}  // namespace fleetflow::json
