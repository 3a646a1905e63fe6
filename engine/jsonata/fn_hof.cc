// Higher-order functions: $map, $filter, $single, $reduce, $sift, $each.
#include "engine/jsonata/functions.h"

namespace fleetflow::jsonata::internal {
namespace {

Value FnMap(CallContext& call, std::span<const Value> args) {
  Value arr = Arg(args, 0);
  if (arr.undefined()) return arr;
  Value fn = Arg(args, 1);
  ArrayData* out = call.ev.NewSequence();
  size_t n = ArraySize(arr);
  for (size_t i = 0; i < n; ++i) {
    Value r =
        CallWithArity(call, fn, {ArrayAt(arr, i), Value::Number(static_cast<double>(i)), arr});
    if (!r.undefined()) out->items.push_back(r);
  }
  return Value::Array(out);
}

Value FnFilter(CallContext& call, std::span<const Value> args) {
  Value arr = Arg(args, 0);
  if (arr.undefined()) return arr;
  Value fn = Arg(args, 1);
  ArrayData* out = call.ev.NewSequence();
  size_t n = ArraySize(arr);
  for (size_t i = 0; i < n; ++i) {
    Value item = ArrayAt(arr, i);
    if (ToBoolean(CallWithArity(call, fn, {item, Value::Number(static_cast<double>(i)), arr})))
      out->items.push_back(item);
  }
  return Value::Array(out);
}

Value FnSingle(CallContext& call, std::span<const Value> args) {
  Value arr = Arg(args, 0);
  if (arr.undefined()) return arr;
  Value fn = Arg(args, 1);
  Value found;
  bool any = false;
  size_t n = ArraySize(arr);
  for (size_t i = 0; i < n; ++i) {
    Value item = ArrayAt(arr, i);
    bool match =
        fn.undefined() ||
        ToBoolean(CallWithArity(call, fn, {item, Value::Number(static_cast<double>(i)), arr}));
    if (!match) continue;
    if (any) Throw("D3138", call.position, call.name);
    any = true;
    found = item;
  }
  if (!any) Throw("D3139", call.position, call.name);
  return found;
}

Value FnReduce(CallContext& call, std::span<const Value> args) {
  Value arr = Arg(args, 0);
  if (arr.undefined()) return arr;
  Value fn = Arg(args, 1);
  if (FunctionArity(fn) < 2) Throw("D3050", call.position, call.name);
  size_t n = ArraySize(arr);
  size_t i = 0;
  Value acc = Arg(args, 2);
  if (acc.undefined() && n > 0) acc = ArrayAt(arr, i++);
  for (; i < n; ++i) {
    acc =
        CallWithArity(call, fn, {acc, ArrayAt(arr, i), Value::Number(static_cast<double>(i)), arr});
  }
  return acc;
}

Value FnSift(CallContext& call, std::span<const Value> args) {
  Value obj = Arg(args, 0);
  if (obj.undefined()) return obj;
  Value fn = Arg(args, 1);
  ObjectData* out = call.ev.NewObject();
  ForEachEntry(obj, [&](std::string_view k, Value v) {
    if (ToBoolean(CallWithArity(call, fn, {v, Value::String(k), obj})))
      out->entries.emplace_back(k, v);
  });
  if (out->entries.empty()) return Value();
  return Value::Object(out);
}

// An undefined object gives an empty sequence (undefined too, but predicates
// after the call then have nothing to evaluate, as in the reference).
Value FnEach(CallContext& call, std::span<const Value> args) {
  Value obj = Arg(args, 0);
  ArrayData* out = call.ev.NewSequence();
  if (obj.undefined()) return Value::Array(out);
  Value fn = Arg(args, 1);
  ForEachEntry(obj, [&](std::string_view k, Value v) {
    Value r = CallWithArity(call, fn, {v, Value::String(k), obj});
    if (!r.undefined()) out->items.push_back(r);
  });
  return Value::Array(out);
}

}  // namespace

void AddHigherOrderFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"map", "<af>", FnMap},
                            {"filter", "<af>", FnFilter},
                            {"single", "<af?>", FnSingle},
                            {"reduce", "<afj?:j>", FnReduce},
                            {"sift", "<o-f?:o>", FnSift},
                            {"each", "<o-f:a>", FnEach},
                        });
}

}  // namespace fleetflow::jsonata::internal
