// The transform operator |pattern|update,delete|: a function that copies its
// argument and modifies the copy. The only place values are mutated.
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/functions.h"

namespace fleetflow::jsonata::internal {

Value Evaluator::DeepClone(Value v) {
  if (v.is_array()) {
    ArrayData* out = NewArray();
    size_t n = ArraySize(v);
    out->items.reserve(n);
    for (size_t i = 0; i < n; ++i) out->items.push_back(DeepClone(ArrayAt(v, i)));
    return Value::Array(out);
  }
  if (v.is_object()) {
    ObjectData* out = NewObject();
    out->entries.reserve(ObjectSize(v));
    ForEachEntry(v, [&](std::string_view k, Value child) {
      out->entries.emplace_back(k, DeepClone(child));
    });
    return Value::Object(out);
  }
  return v;
}

Value Evaluator::ApplyTransform(const FunctionData* f, std::span<const Value> args, int position) {
  Value arg = Arg(args, 0);
  if (arg.undefined()) return arg;
  if (!arg.is_object() && !arg.is_array()) Throw("T0410", position, "transform", "1");
  const Node* node = f->node;
  Value result = DeepClone(arg);
  Value matches = Eval(node->lhs, result, f->env);
  ForEachItem(matches, [&](const Value& match) {
    if (!match.is_object() || match.is_json()) return;
    Value update = Eval(node->rhs, match, f->env);
    if (!update.undefined()) {
      if (!update.is_object()) Throw("T2011", node->rhs->position, "", StringOf(*this, update));
      ForEachEntry(update, [&](std::string_view k, Value v) { match.object()->Set(k, v); });
    }
    if (node->third) {
      Value del = Eval(node->third, match, f->env);
      if (!del.undefined()) {
        Value keys = del;
        if (!keys.is_array()) {
          ArrayData* a = NewArray();
          a->items.push_back(del);
          keys = Value::Array(a);
        }
        if (!IsArrayOfStrings(keys))
          Throw("T2012", node->third->position, "", StringOf(*this, del));
        ForEachItem(keys, [&](const Value& k) { match.object()->Erase(k.str()); });
      }
    }
  });
  return result;
}

}  // namespace fleetflow::jsonata::internal
