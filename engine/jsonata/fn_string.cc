// String functions. Lengths and offsets count Unicode code points, as
// JSONata does.
#include <cmath>

#include "engine/jsonata/functions.h"
#include "engine/jsonata/unicode_case.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {
namespace {

Value FnString(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  bool pretty = Arg(args, 1).is(Kind::kBool) && Arg(args, 1).boolean();
  if (v.is_string()) return v;
  return call.ev.StringValue(StringOf(call.ev, v, pretty));
}

Value FnLength(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  return Value::Number(static_cast<double>(CodePointCount(v.str())));
}

// JavaScript's ToIntegerOrInfinity clamped into [0, len] the way slice does.
size_t SliceIndex(double i, size_t len) {
  if (std::isnan(i)) return 0;
  i = std::trunc(i);
  if (i < 0) i = std::max(0.0, static_cast<double>(len) + i);
  return static_cast<size_t>(std::min(i, static_cast<double>(len)));
}

Value FnSubstring(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string_view s = v.str();
  size_t len = CodePointCount(s);
  double start = Arg(args, 1).number();
  if (static_cast<double>(len) + start < 0) start = 0;
  size_t from, to = len;
  if (!Arg(args, 2).undefined()) {
    double length = Arg(args, 2).number();
    if (length <= 0) return Value::String("");
    double end = start >= 0 ? start + length : static_cast<double>(len) + start + length;
    from = SliceIndex(start, len);
    to = SliceIndex(end, len);
  } else {
    from = SliceIndex(start, len);
  }
  if (to <= from) return Value::String("");
  size_t b = ByteOffsetOfCodePoint(s, from);
  size_t e = ByteOffsetOfCodePoint(s, to);
  return Value::String(s.substr(b, e - b));
  (void)call;
}

Value FnSubstringBefore(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string_view s = v.str();
  size_t pos = s.find(Arg(args, 1).str());
  return pos == std::string_view::npos ? v : Value::String(s.substr(0, pos));
}

Value FnSubstringAfter(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string_view s = v.str();
  std::string_view chars = Arg(args, 1).str();
  size_t pos = s.find(chars);
  return pos == std::string_view::npos ? v : Value::String(s.substr(pos + chars.size()));
}

Value ChangeCase(CallContext& call, std::span<const Value> args, bool upper) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  return call.ev.StringValue(upper ? ToUpperCase(v.str()) : ToLowerCase(v.str()));
}

Value FnUppercase(CallContext& call, std::span<const Value> args) {
  return ChangeCase(call, args, true);
}
Value FnLowercase(CallContext& call, std::span<const Value> args) {
  return ChangeCase(call, args, false);
}

Value FnTrim(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string out;
  bool space = false;
  for (char c : v.str()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return call.ev.StringValue(out);
}

Value FnPad(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  double width = Arg(args, 1).number();
  std::string_view pad = Arg(args, 2).undefined() || Arg(args, 2).str().empty()
                             ? std::string_view(" ")
                             : Arg(args, 2).str();
  size_t len = CodePointCount(v.str());
  double missing = std::fabs(std::trunc(width)) - static_cast<double>(len);
  if (missing <= 0 || pad.empty()) return v;
  if (missing > 1e7) Throw("U1001", call.position, "", "Evaluation exceeded its memory limit");
  size_t count = static_cast<size_t>(missing);
  std::string padding;
  size_t pad_len = CodePointCount(pad);
  while (CodePointCount(padding) < count) {
    padding += pad;
    if (pad_len == 0) break;
  }
  padding = padding.substr(0, ByteOffsetOfCodePoint(padding, count));
  std::string out = width > 0 ? std::string(v.str()) + padding : padding + std::string(v.str());
  return call.ev.StringValue(out);
}

Value FnJoin(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string_view sep = Arg(args, 1).undefined() ? std::string_view() : Arg(args, 1).str();
  std::string out;
  size_t n = ArraySize(v);
  for (size_t i = 0; i < n; ++i) {
    if (i) out += sep;
    out += ArrayAt(v, i).str();
  }
  return call.ev.StringValue(out);
}

}  // namespace

void AddStringFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"string", "<x-b?:s>", FnString},
                            {"length", "<s-:n>", FnLength},
                            {"substring", "<s-nn?:s>", FnSubstring},
                            {"substringBefore", "<s-s:s>", FnSubstringBefore},
                            {"substringAfter", "<s-s:s>", FnSubstringAfter},
                            {"uppercase", "<s-:s>", FnUppercase},
                            {"lowercase", "<s-:s>", FnLowercase},
                            {"trim", "<s-:s>", FnTrim},
                            {"pad", "<s-ns?:s>", FnPad},
                            {"join", "<a<s>s?:s>", FnJoin},
                        });
}

}  // namespace fleetflow::jsonata::internal
