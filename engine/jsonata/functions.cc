// The registry of built-in functions and helpers the families share.
#include "engine/jsonata/functions.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>

#include "absl/container/flat_hash_map.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {
namespace {

struct Registry {
  std::deque<Builtin> builtins;
  absl::flat_hash_map<std::string_view, const Builtin*> by_name;
};

const Registry& GetRegistry() {
  static const Registry* registry = [] {
    std::vector<BuiltinSpec> specs;
    AddStringFunctions(specs);
    AddNumericFunctions(specs);
    AddAggregateFunctions(specs);
    AddArrayFunctions(specs);
    AddObjectFunctions(specs);
    AddHigherOrderFunctions(specs);
    AddRegexFunctions(specs);
    AddDateTimeFunctions(specs);
    AddFormatFunctions(specs);
    AddEncodingFunctions(specs);
    auto* r = new Registry;
    for (const BuiltinSpec& spec : specs) {
      Builtin& b = r->builtins.emplace_back();
      b.name = std::string(spec.name);
      b.signature = ParseSignature(spec.signature, -1);
      b.fn = spec.fn;
      b.awaits = AwaitsInReference(b.name);
      b.function.kind = FunctionKind::kBuiltin;
      b.function.builtin = &b;
      b.function.signature = &b.signature;
      b.function.name = b.name;
      for (const auto& p : b.signature.params)
        if (!p.optional) ++b.function.arity;
      r->by_name[b.name] = &b;
    }
    return r;
  }();
  return *registry;
}

// Shortest round-trip digits and decimal exponent of |d| (d finite, != 0):
// d = 0.DIGITS * 10^point.
void ShortestDigits(double d, std::string& digits, int& point) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  std::string_view s(buf, res.ptr - buf);
  size_t e = s.find('e');
  digits.clear();
  for (char c : s.substr(0, e))
    if (c != '.') digits.push_back(c);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  point = std::atoi(std::string(s.substr(e + 1)).c_str()) + 1;
}

void AppendQuotedJs(std::string& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else if (c == 0xED && i + 2 < s.size() &&
                   (static_cast<unsigned char>(s[i + 1]) & 0xE0) == 0xA0) {
          // A lone surrogate kept as WTF-8: JSON.stringify escapes it.
          size_t pos = i;
          uint32_t cp = DecodeUtf8(s, pos);
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", cp);
          out += buf;
          i = pos - 1;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

double Round15(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.14e", d);
  return std::strtod(buf, nullptr);
}

void Stringify(Evaluator& ev, std::string& out, const Value& v, bool pretty, int indent) {
  auto newline = [&](int level) {
    if (!pretty) return;
    out.push_back('\n');
    out.append(static_cast<size_t>(level) * 2, ' ');
  };
  switch (v.kind()) {
    case Kind::kNull:
      out += "null";
      return;
    case Kind::kBool:
      out += v.boolean() ? "true" : "false";
      return;
    case Kind::kNumber:
      if (!std::isfinite(v.number())) {
        Throw("D1001", -1, "", FormatJsNumber(v.number()));
      } else {
        double d = v.number();
        out += FormatJsNumber(std::floor(d) == d ? d : Round15(d));
      }
      return;
    case Kind::kString:
      AppendQuotedJs(out, v.str());
      return;
    case Kind::kFunction:
      out += "\"\"";
      return;
    case Kind::kArray: {
      size_t n = ArraySize(v);
      if (n == 0) {
        out += "[]";
        return;
      }
      out.push_back('[');
      bool first = true;
      for (size_t i = 0; i < n; ++i) {
        Value item = ArrayAt(v, i);
        if (!first) out.push_back(',');
        first = false;
        newline(indent + 1);
        if (item.undefined()) {
          out += "null";
        } else {
          Stringify(ev, out, item, pretty, indent + 1);
        }
      }
      newline(indent);
      out.push_back(']');
      return;
    }
    case Kind::kObject: {
      bool first = true;
      out.push_back('{');
      ForEachEntry(v, [&](std::string_view k, Value item) {
        if (item.undefined()) return;
        if (!first) out.push_back(',');
        first = false;
        newline(indent + 1);
        AppendQuotedJs(out, k);
        out.push_back(':');
        if (pretty) out.push_back(' ');
        Stringify(ev, out, item, pretty, indent + 1);
      });
      if (!first) newline(indent);
      out.push_back('}');
      return;
    }
    default:
      return;
  }
}

}  // namespace

const Builtin* FindBuiltin(std::string_view name) {
  const Registry& r = GetRegistry();
  auto it = r.by_name.find(name);
  return it == r.by_name.end() ? nullptr : it->second;
}

std::string FormatJsNumber(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";
  std::string digits;
  int n = 0;
  ShortestDigits(d, digits, n);
  int k = static_cast<int>(digits.size());
  std::string out = d < 0 ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<size_t>(n));
    out += '.';
    out += digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? "+" : "-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

std::string StringOf(Evaluator& ev, const Value& v, bool pretty) {
  if (v.is_string()) return std::string(v.str());
  if (v.is_function() || v.undefined()) return "";
  if (v.is_number()) {
    if (!std::isfinite(v.number())) Throw("D3001", -1, "", FormatJsNumber(v.number()));
    double d = v.number();
    return FormatJsNumber(std::floor(d) == d ? d : Round15(d));
  }
  std::string out;
  Stringify(ev, out, v, pretty, 0);
  return out;
}

Value Append(Evaluator& ev, Value a, Value b) {
  if (a.undefined()) return b;
  if (b.undefined()) return a;
  ArrayData* out = ev.NewArray();
  ForEachItem(a, [&](const Value& v) { out->items.push_back(v); });
  ForEachItem(b, [&](const Value& v) { out->items.push_back(v); });
  return Value::Array(out);
}

int FunctionArity(const Value& fn) { return fn.is_function() ? fn.function()->arity : 0; }

Value CallWithArity(CallContext& call, Value fn, std::initializer_list<Value> args) {
  size_t n = std::max<size_t>(1, std::min<size_t>(args.size(), FunctionArity(fn)));
  // The reference awaits the closure it wrapped `fn` in, which awaits apply.
  Await closure(call.ev.clock(), 2);
  return call.ev.Apply(fn, std::span<const Value>(args.begin(), n), call.context, call.position);
}

Value MakeArray(Evaluator& ev, ValueVector items) {
  ArrayData* a = ev.NewArray();
  a->items = std::move(items);
  return Value::Array(a);
}

}  // namespace fleetflow::jsonata::internal
