#include "engine/jsonata/interop.h"

#include <cmath>

#include "engine/jsonata/evaluator.h"

namespace fleetflow::jsonata::internal {

json::Value NumberToJson(double d) {
  if (std::floor(d) == d && std::fabs(d) < 9.2e18) return json::Value(static_cast<int64_t>(d));
  return json::Value(d);
}

namespace {

bool Convertible(const Value& v) {
  return !v.undefined() && !v.is_function() && !v.is(Kind::kTuples) && !v.is(Kind::kTailCall);
}

}  // namespace

Result ToJson(const Value& v) {
  switch (v.kind()) {
    case Kind::kNull:
      return json::Value(nullptr);
    case Kind::kBool:
      return json::Value(v.boolean());
    case Kind::kNumber:
      if (!std::isfinite(v.number())) return json::Value(nullptr);  // as JSON.stringify
      return NumberToJson(v.number());
    case Kind::kString:
      return json::Value(json::String(v.str()));
    case Kind::kArray: {
      if (v.is_json()) return *v.json_value();
      json::Array out;
      out.reserve(ArraySize(v));
      for (const Value& item : v.array()->items) {
        if (item.is_function() || item.undefined()) {
          out.emplace_back(nullptr);  // as JSON.stringify does
        } else if (Convertible(item)) {
          out.push_back(*ToJson(item));
        }
      }
      return json::Value(std::move(out));
    }
    case Kind::kObject: {
      if (v.is_json()) return *v.json_value();
      json::Object out;
      out.reserve(v.object()->entries.size());
      for (const auto& [k, item] : v.object()->entries)
        if (Convertible(item)) out[k] = *ToJson(item);
      return json::Value(std::move(out));
    }
    default:
      return std::nullopt;
  }
}

Value Evaluator::ApplyNative(const FunctionData* f, std::span<const Value> args, int position) {
  std::vector<Result> json_args;
  json_args.reserve(args.size());
  for (const Value& a : args) json_args.push_back(ToJson(a));
  Evaluation r = f->native->fn(json_args);
  if (!r.ok()) {
    JsonataError e;
    e.code = r.error->code;
    e.position = position;
    e.token = std::string(f->name);
    e.message = r.error->message;
    throw e;
  }
  if (!r.value) return Value();
  return FromUserJson(*r.value);
}

Value Evaluator::FromUserJson(const json::Value& v) {
  // The value outlives this call: keep it in the arena.
  json::Value* kept = Make<json::Value>(v, boost::json::storage_ptr());
  kept_json_.push_back(kept);
  return Value::FromJson(*kept);
}

}  // namespace fleetflow::jsonata::internal
