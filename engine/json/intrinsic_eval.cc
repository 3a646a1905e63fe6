// Evaluation of the intrinsic functions, with AWS's argument rules.

#include <cmath>
#include <cstdio>

#include "engine/common/strings.h"
#include "engine/json/codec.h"
#include "engine/json/intrinsic.h"

namespace fleetflow::json {

namespace {

constexpr size_t kMaxInputChars = 10000;  // Base64Encode, Base64Decode, Hash
constexpr int64_t kMaxRangeItems = 1000;

Failure Fail(const IntrinsicCall& call, std::string_view what) {
  return Failure{"States.IntrinsicFailure", StrCat("Invalid arguments in ", call.name, ": ", what)};
}

Result<Value> EvalArg(const IntrinsicArg& arg, EvalScope& scope) {
  switch (arg.kind) {
    case IntrinsicArg::Kind::kLiteral:
      return arg.literal;
    case IntrinsicArg::Kind::kCall:
      return EvaluateIntrinsic(*arg.call, scope);
    case IntrinsicArg::Kind::kPath: {
      const Value* root = scope.RootOf(*arg.path);
      Value out;
      if (root == nullptr || !arg.path->Select(*root, out)) {
        return Failure{"States.Runtime",
                       StrCat("The JsonPath argument '", arg.path->text(),
                              "' of an intrinsic function could not be found in the input")};
      }
      return out;
    }
  }
  return Value();
}

// Format arguments print as AWS prints them: strings raw, others as JSON.
std::string FormatArg(const Value& v) {
  if (const String* s = v.if_string()) return std::string(*s);
  return Serialize(v);
}

Result<Value> Format(const IntrinsicCall& call, const std::vector<Value>& args) {
  const IntrinsicArg& first = call.args[0];
  if (!args[0].is_string()) return Fail(call, "the first argument must be a string");
  // The template keeps its escapes so that \{ and \} stay literal braces.
  const std::string& raw =
      first.kind == IntrinsicArg::Kind::kLiteral ? first.raw : std::string(args[0].get_string());
  std::string out;
  size_t next = 1;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size() && first.kind == IntrinsicArg::Kind::kLiteral) {
      out += raw[++i];
    } else if (c == '{' && i + 1 < raw.size() && raw[i + 1] == '}') {
      if (next >= args.size()) {
        return Fail(call, "the format string has more '{}' than there are arguments");
      }
      const Value& a = args[next++];
      if (a.is_object() || a.is_array()) {
        return Fail(call, "arguments to format must be strings, numbers, booleans or null");
      }
      out += FormatArg(a);
      ++i;
    } else {
      out += c;
    }
  }
  if (next != args.size())
    return Fail(call, "the format string has fewer '{}' than there are arguments");
  return Value(out);
}

// An integer argument; AWS rounds non-integers as Java's Math.round does
// (half up: 2.5 -> 3, -2.5 -> -2).
bool AsInteger(const Value& v, int64_t& out) {
  if (v.is_int64()) {
    out = v.get_int64();
    return true;
  }
  if (!IsNumber(v)) return false;
  double d = std::floor(AsDouble(v) + 0.5);
  if (!(d >= -9.2e18 && d <= 9.2e18)) return false;
  out = static_cast<int64_t>(d);
  return true;
}

Result<Value> ArrayRange(const IntrinsicCall& call, const std::vector<Value>& a) {
  int64_t start, end, step;
  if (!AsInteger(a[0], start) || !AsInteger(a[1], end) || !AsInteger(a[2], step)) {
    return Fail(call, "start, end and step must be integers");
  }
  if (step == 0) return Fail(call, "step must not be 0");
  Array out;
  for (int64_t i = start; step > 0 ? i <= end : i >= end;) {
    if (static_cast<int64_t>(out.size()) >= kMaxRangeItems) {
      return Fail(call, StrCat("the range would have more than ", kMaxRangeItems, " items"));
    }
    out.emplace_back(i);
    if (__builtin_add_overflow(i, step, &i)) break;
  }
  return Value(std::move(out));
}

Result<Value> ArrayPartition(const IntrinsicCall& call, const std::vector<Value>& a) {
  int64_t size;
  if (!a[0].is_array()) return Fail(call, "the first argument must be an array");
  if (!AsInteger(a[1], size) || size <= 0)
    return Fail(call, "the chunk size must be a positive integer");
  Array out;
  const Array& in = a[0].get_array();
  for (size_t i = 0; i < in.size(); i += static_cast<size_t>(size)) {
    Array chunk;
    for (size_t j = i; j < in.size() && j < i + static_cast<size_t>(size); ++j)
      chunk.push_back(in[j]);
    out.emplace_back(std::move(chunk));
  }
  return Value(std::move(out));
}

Result<Value> ArrayUnique(const std::vector<Value>& a) {
  Array out;
  for (const Value& v : a[0].get_array()) {
    bool seen = false;
    for (const Value& o : out) seen = seen || Equal(o, v);
    if (!seen) out.push_back(v);
  }
  return Value(std::move(out));
}

Result<Value> MathRandom(const IntrinsicCall& call, const std::vector<Value>& a, EvalScope& scope) {
  int64_t start, end;
  if (!AsInteger(a[0], start) || !AsInteger(a[1], end)) {
    return Fail(call, "start and end must be integers");
  }
  if (end <= start) return Fail(call, "end must be greater than start");
  uint64_t r;
  if (a.size() == 3) {
    int64_t seed;
    if (!AsInteger(a[2], seed)) return Fail(call, "the seed must be an integer");
    uint64_t state = static_cast<uint64_t>(seed);
    r = SplitMix64(state);
  } else {
    r = scope.NextRandom();
  }
  uint64_t span = static_cast<uint64_t>(end) - static_cast<uint64_t>(start);
  // Unsigned arithmetic: start + r % span cannot overflow, and converting the
  // result back to int64 is well defined (C++20).
  return Value(static_cast<int64_t>(static_cast<uint64_t>(start) + r % span));
}

Result<Value> MathAdd(const IntrinsicCall& call, const std::vector<Value>& a) {
  int64_t x, y;
  if (!AsInteger(a[0], x) || !AsInteger(a[1], y)) {
    return Fail(call, "both arguments must be numbers");
  }
  // AWS documents the arguments as 32-bit integers.
  for (int64_t v : {x, y}) {
    if (v < INT32_MIN || v > INT32_MAX) {
      return Fail(call, StrCat(v, " is outside the range -2147483648..2147483647"));
    }
  }
  return Value(x + y);
}

Result<Value> StringSplit(const IntrinsicCall& call, const std::vector<Value>& a) {
  if (!a[0].is_string() || !a[1].is_string()) return Fail(call, "both arguments must be strings");
  std::string_view s = a[0].get_string();
  std::string_view delimiters = a[1].get_string();
  Array out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || delimiters.find(s[i]) != std::string_view::npos) {
      if (i > start) out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return Value(std::move(out));
}

Value Uuid(EvalScope& scope) {
  uint64_t hi = scope.NextRandom(), lo = scope.NextRandom();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return Value(buf);
}

Result<Value> Apply(const IntrinsicCall& call, std::vector<Value>& a, EvalScope& scope) {
  switch (call.function) {
    case Intrinsic::kFormat:
      return Format(call, a);
    case Intrinsic::kStringToJson: {
      if (!a[0].is_string()) return Fail(call, "the argument must be a string");
      auto parsed = Parse(a[0].get_string());
      if (!parsed.ok())
        return Fail(call, StrCat("the string is not JSON: ", parsed.status().message()));
      return *std::move(parsed);
    }
    case Intrinsic::kJsonToString:
      return Value(Serialize(a[0]));
    case Intrinsic::kArray: {
      Array out;
      out.reserve(a.size());
      for (Value& v : a) out.push_back(std::move(v));
      return Value(std::move(out));
    }
    case Intrinsic::kArrayPartition:
      return ArrayPartition(call, a);
    case Intrinsic::kArrayContains: {
      if (!a[0].is_array()) return Fail(call, "the first argument must be an array");
      for (const Value& v : a[0].get_array()) {
        if (Equal(v, a[1])) return Value(true);
      }
      return Value(false);
    }
    case Intrinsic::kArrayRange:
      return ArrayRange(call, a);
    case Intrinsic::kArrayGetItem: {
      int64_t index;
      if (!a[0].is_array()) return Fail(call, "the first argument must be an array");
      if (!AsInteger(a[1], index) || index < 0)
        return Fail(call, "the index must be a non-negative integer");
      const Array& arr = a[0].get_array();
      if (static_cast<uint64_t>(index) >= arr.size()) {
        return Fail(call, StrCat("index ", index, " is out of bounds for an array of ", arr.size(),
                                 " items"));
      }
      return arr[static_cast<size_t>(index)];
    }
    case Intrinsic::kArrayLength:
      if (!a[0].is_array()) return Fail(call, "the argument must be an array");
      return Value(static_cast<int64_t>(a[0].get_array().size()));
    case Intrinsic::kArrayUnique:
      if (!a[0].is_array()) return Fail(call, "the argument must be an array");
      return ArrayUnique(a);
    case Intrinsic::kBase64Encode:
      if (!a[0].is_string()) return Fail(call, "the argument must be a string");
      if (a[0].get_string().size() > kMaxInputChars)
        return Fail(call, "the input is longer than 10000 characters");
      return Value(Base64Encode(a[0].get_string()));
    case Intrinsic::kBase64Decode: {
      if (!a[0].is_string()) return Fail(call, "the argument must be a string");
      if (a[0].get_string().size() > kMaxInputChars)
        return Fail(call, "the input is longer than 10000 characters");
      auto decoded = Base64Decode(a[0].get_string());
      if (!decoded) return Fail(call, "the argument is not valid Base64");
      return Value(*decoded);
    }
    case Intrinsic::kHash: {
      if (!a[0].is_string() || !a[1].is_string())
        return Fail(call, "both arguments must be strings");
      if (a[0].get_string().size() > kMaxInputChars) {
        return Fail(call, "the input is longer than 10000 characters");
      }
      auto digest = HexDigest(a[1].get_string(), a[0].get_string());
      if (!digest) {
        return Fail(call, StrCat("unknown algorithm '", std::string_view(a[1].get_string()),
                                 "'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"));
      }
      return Value(*digest);
    }
    case Intrinsic::kJsonMerge: {
      if (!a[0].is_object() || !a[1].is_object())
        return Fail(call, "the first two arguments must be objects");
      if (!a[2].is_bool()) return Fail(call, "the third argument must be a boolean");
      if (a[2].get_bool()) return Fail(call, "deep merge is not supported; pass false");
      Object out = a[0].get_object();
      for (const auto& kv : a[1].get_object()) out[kv.key()] = kv.value();
      return Value(std::move(out));
    }
    case Intrinsic::kMathRandom:
      return MathRandom(call, a, scope);
    case Intrinsic::kMathAdd:
      return MathAdd(call, a);
    case Intrinsic::kStringSplit:
      return StringSplit(call, a);
    case Intrinsic::kUuid:
      return Uuid(scope);
  }
  return Value();
}

}  // namespace

Result<Value> EvaluateIntrinsic(const IntrinsicCall& call, EvalScope& scope) {
  std::vector<Value> args;
  args.reserve(call.args.size());
  for (const IntrinsicArg& arg : call.args) {
    Result<Value> v = EvalArg(arg, scope);
    if (!v.ok()) return std::move(v).failure();
    args.push_back(std::move(v).value());
  }
  return Apply(call, args, scope);
}

}  // namespace fleetflow::json
