// Numeric functions.
#include <cmath>
#include <cstdlib>
#include <random>

#include "engine/jsonata/functions.h"

namespace fleetflow::jsonata::internal {
namespace {

bool MatchesDecimal(std::string_view s) {
  size_t i = 0;
  auto digits = [&]() {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digits()) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

bool ParseRadixLiteral(std::string_view s, double& out) {
  if (s.size() < 3 || s[0] != '0') return false;
  int base = (s[1] == 'x' || s[1] == 'X')   ? 16
             : (s[1] == 'o' || s[1] == 'O') ? 8
             : (s[1] == 'b' || s[1] == 'B') ? 2
                                            : 0;
  if (!base) return false;
  double v = 0;
  for (char c : s.substr(2)) {
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : 99;
    if (d >= base) return false;
    v = v * base + d;
  }
  out = v;
  return true;
}

Value FnNumber(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined() || v.is_number()) return v;
  if (v.is(Kind::kBool)) return Value::Number(v.boolean() ? 1 : 0);
  if (v.is_string()) {
    std::string s(v.str());
    double d;
    if (MatchesDecimal(s)) {
      d = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(d)) return Value::Number(d);
    } else if (ParseRadixLiteral(s, d)) {
      return Value::Number(d);
    }
  }
  Throw("D3030", call.position, call.name, StringOf(call.ev, v));
}

Value FnAbs(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  return v.undefined() ? v : Value::Number(std::fabs(v.number()));
}
Value FnFloor(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  return v.undefined() ? v : Value::Number(std::floor(v.number()));
}
Value FnCeil(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  return v.undefined() ? v : Value::Number(std::ceil(v.number()));
}

// Shifts the decimal point of `d` by `places` exactly, through its decimal
// digits (multiplying by a power of ten would add binary error).
double ShiftDecimal(double d, int places) {
  std::string s = FormatJsNumber(d);
  size_t e = s.find('e');
  int exponent = 0;
  if (e != std::string::npos) {
    exponent = std::atoi(s.c_str() + e + 1);
    s.resize(e);
  }
  s += "e" + std::to_string(exponent + places);
  return std::strtod(s.c_str(), nullptr);
}

Value FnRound(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  int precision = Arg(args, 1).undefined() ? 0 : static_cast<int>(Arg(args, 1).number());
  double x = v.number();
  if (x == 0 || !std::isfinite(x)) return v;
  double shifted = precision ? ShiftDecimal(x, precision) : x;
  double r = std::floor(shifted);
  double diff = shifted - r;
  if (diff > 0.5 || (diff == 0.5 && std::fmod(r, 2) != 0)) r += 1;  // half to even
  double result = precision ? ShiftDecimal(r, -precision) : r;
  if (result == 0) result = 0;  // no negative zero
  return Value::Number(result);
}

Value FnPower(CallContext& call, std::span<const Value> args) {
  Value base = Arg(args, 0);
  if (base.undefined()) return base;
  double r = std::pow(base.number(), Arg(args, 1).number());
  if (!std::isfinite(r)) Throw("D3061", call.position, call.name, FormatJsNumber(base.number()));
  return Value::Number(r);
}

Value FnSqrt(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  if (v.number() < 0) Throw("D3060", call.position, call.name, FormatJsNumber(v.number()));
  return Value::Number(std::sqrt(v.number()));
}

Value FnRandom(CallContext&, std::span<const Value>) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return Value::Number(std::uniform_real_distribution<double>(0.0, 1.0)(rng));
}

// --- aggregation ---------------------------------------------------------------

Value FnSum(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  double total = 0;
  ForEachItem(v, [&](const Value& x) { total += x.number(); });
  return Value::Number(total);
}

Value Extreme(std::span<const Value> args, bool max) {
  Value v = Arg(args, 0);
  if (v.undefined() || ArraySize(v) == 0) return Value();
  double best = max ? -INFINITY : INFINITY;
  ForEachItem(v, [&](const Value& x) {
    best = max ? std::max(best, x.number()) : std::min(best, x.number());
  });
  return Value::Number(best);
}
Value FnMax(CallContext&, std::span<const Value> args) { return Extreme(args, true); }
Value FnMin(CallContext&, std::span<const Value> args) { return Extreme(args, false); }

Value FnAverage(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined() || ArraySize(v) == 0) return Value();
  double total = 0;
  ForEachItem(v, [&](const Value& x) { total += x.number(); });
  return Value::Number(total / static_cast<double>(ArraySize(v)));
}

}  // namespace

void AddNumericFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"number", "<(nsb)-:n>", FnNumber},
                            {"abs", "<n-:n>", FnAbs},
                            {"floor", "<n-:n>", FnFloor},
                            {"ceil", "<n-:n>", FnCeil},
                            {"round", "<n-n?:n>", FnRound},
                            {"power", "<n-n:n>", FnPower},
                            {"sqrt", "<n-:n>", FnSqrt},
                            {"random", "<:n>", FnRandom},
                        });
}

void AddAggregateFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"sum", "<a<n>:n>", FnSum},
                            {"max", "<a<n>:n>", FnMax},
                            {"min", "<a<n>:n>", FnMin},
                            {"average", "<a<n>:n>", FnAverage},
                        });
}

}  // namespace fleetflow::jsonata::internal
