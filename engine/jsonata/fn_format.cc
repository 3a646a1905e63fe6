// $formatNumber, $formatBase, $formatInteger, $parseInteger.
#include <cmath>

#include "engine/jsonata/format_integer.h"
#include "engine/jsonata/format_number.h"
#include "engine/jsonata/functions.h"

namespace fleetflow::jsonata::internal {
namespace {

Value FnFormatBase(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  double radix = Arg(args, 1).undefined() ? 10 : std::trunc(Arg(args, 1).number());
  if (radix < 2 || radix > 36) Throw("D3100", call.position, call.name, FormatJsNumber(radix));
  double rounded = std::round(v.number());
  double n = std::fabs(rounded);
  std::string out;
  do {
    int d = static_cast<int>(std::fmod(n, radix));
    out.insert(out.begin(), static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10));
    n = std::floor(n / radix);
  } while (n >= 1);
  if (rounded < 0) out.insert(out.begin(), '-');
  return call.ev.StringValue(out);
}

Value FnFormatInteger(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  return call.ev.StringValue(FormatInteger(v.number(), Arg(args, 1).str(), call.position));
}

Value FnParseInteger(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  auto n = ParseInteger(v.str(), Arg(args, 1).str(), call.position);
  return n ? Value::Number(*n) : Value();
}

Value FnFormatNumber(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  return call.ev.StringValue(
      FormatNumber(call.ev, v.number(), Arg(args, 1).str(), Arg(args, 2), call.position));
}

}  // namespace

void AddFormatFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"formatBase", "<n-n?:s>", FnFormatBase},
                            {"formatInteger", "<n-s:s>", FnFormatInteger},
                            {"parseInteger", "<s-s:n>", FnParseInteger},
                            {"formatNumber", "<n-so?:s>", FnFormatNumber},
                        });
}

}  // namespace fleetflow::jsonata::internal
