// Date/time functions: $now, $millis, $fromMillis, $toMillis.
#include "engine/jsonata/datetime.h"
#include "engine/jsonata/functions.h"

namespace fleetflow::jsonata::internal {
namespace {

Value FnMillis(CallContext& call, std::span<const Value>) {
  return Value::Number(static_cast<double>(absl::ToUnixMillis(call.ev.now())));
}

Value FnNow(CallContext& call, std::span<const Value> args) {
  double millis = static_cast<double>(absl::ToUnixMillis(call.ev.now()));
  std::string picture = Arg(args, 0).undefined() ? "" : std::string(Arg(args, 0).str());
  std::string tz = Arg(args, 1).undefined() ? "" : std::string(Arg(args, 1).str());
  std::optional<std::string> out = FormatDateTime(millis, picture, tz, call.position);
  return out ? call.ev.StringValue(*out) : Value();
}

Value FnFromMillis(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::string picture = Arg(args, 1).undefined() ? "" : std::string(Arg(args, 1).str());
  std::string tz = Arg(args, 2).undefined() ? "" : std::string(Arg(args, 2).str());
  std::optional<std::string> out = FormatDateTime(v.number(), picture, tz, call.position);
  return out ? call.ev.StringValue(*out) : Value();  // outside JavaScript's Date range
}

Value FnToMillis(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  std::optional<double> ms;
  if (Arg(args, 1).undefined()) {
    ms = ParseIsoDateTime(v.str(), call.position);
  } else {
    ms = ParseDateTime(v.str(), Arg(args, 1).str(), call.ev.now(), call.position,
                       [&call] { call.ev.Tick(); });
  }
  if (!ms) return Value();
  return Value::Number(*ms);
}

}  // namespace

void AddDateTimeFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"millis", "<:n>", FnMillis},
                            {"now", "<s?s?:s>", FnNow},
                            {"fromMillis", "<n-s?s?:s>", FnFromMillis},
                            {"toMillis", "<s-s?:n>", FnToMillis},
                        });
}

}  // namespace fleetflow::jsonata::internal
