// Array functions.
#include <algorithm>
#include <random>

#include "engine/jsonata/functions.h"

namespace fleetflow::jsonata::internal {
namespace {

Value FnCount(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  return Value::Number(v.undefined() ? 0 : static_cast<double>(ArraySize(v)));
}

Value FnAppend(CallContext& call, std::span<const Value> args) {
  return Append(call.ev, Arg(args, 0), Arg(args, 1));
}

Value FnSort(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  size_t n = ArraySize(v);
  if (n <= 1) return v;
  std::vector<Value> items;
  items.reserve(n);
  for (size_t i = 0; i < n; ++i) items.push_back(ArrayAt(v, i));
  Value fn = Arg(args, 1);
  if (fn.undefined()) {
    if (!IsArrayOfNumbers(v) && !IsArrayOfStrings(v)) Throw("D3070", call.position, call.name);
    ReferenceMergeSort(call.ev.clock(), items, [](const Value& a, const Value& b) {
      return a.is_number() ? a.number() > b.number() : a.str() > b.str();
    });
  } else {
    ReferenceMergeSort(call.ev.clock(), items, [&](const Value& a, const Value& b) {
      Value pair[2] = {a, b};
      Await closure(call.ev.clock(), 1);  // the reference wraps `fn` in a closure
      return ToBoolean(call.ev.Apply(fn, pair, call.context, call.position));
    });
  }
  ArrayData* out = call.ev.NewArray();
  out->items.assign(items.begin(), items.end());
  return Value::Array(out);
}

Value FnReverse(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  size_t n = ArraySize(v);
  if (n <= 1) return v;
  ArrayData* out = call.ev.NewArray();
  for (size_t i = n; i-- > 0;) out->items.push_back(ArrayAt(v, i));
  return Value::Array(out);
}

Value FnShuffle(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  size_t n = ArraySize(v);
  if (n <= 1) return v;
  ArrayData* out = call.ev.NewArray();
  for (size_t i = 0; i < n; ++i) out->items.push_back(ArrayAt(v, i));
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::shuffle(out->items.begin(), out->items.end(), rng);
  return Value::Array(out);
}

Value FnDistinct(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (!v.is_array() || ArraySize(v) <= 1) return v;
  ArrayData* out = IsSequence(v) ? call.ev.NewSequence() : call.ev.NewArray();
  size_t n = ArraySize(v);
  for (size_t i = 0; i < n; ++i) {
    Value item = ArrayAt(v, i);
    bool seen = false;
    for (const Value& kept : out->items) {
      if (DeepEqual(kept, item)) {
        seen = true;
        break;
      }
    }
    if (!seen) out->items.push_back(item);
  }
  return Value::Array(out);
}

Value FnZip(CallContext& call, std::span<const Value> args) {
  ArrayData* out = call.ev.NewArray();
  size_t len = SIZE_MAX;
  for (const Value& a : args) len = std::min(len, a.undefined() ? 0 : ArraySize(a));
  if (args.empty()) len = 0;
  for (size_t i = 0; i < len; ++i) {
    ArrayData* tuple = call.ev.NewArray();
    for (const Value& a : args) tuple->items.push_back(ArrayAt(a, i));
    out->items.push_back(Value::Array(tuple));
  }
  return Value::Array(out);
}

}  // namespace

void AddArrayFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"count", "<a:n>", FnCount},
                            {"append", "<xx:a>", FnAppend},
                            {"sort", "<af?:a>", FnSort},
                            {"reverse", "<a:a>", FnReverse},
                            {"shuffle", "<a:a>", FnShuffle},
                            {"distinct", "<x:x>", FnDistinct},
                            {"zip", "<a+>", FnZip},
                        });
}

}  // namespace fleetflow::jsonata::internal
