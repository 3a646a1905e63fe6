// Object functions, type tests, $error/$assert and $eval.
#include <algorithm>

#include "engine/jsonata/functions.h"
#include "engine/jsonata/parser.h"

namespace fleetflow::jsonata::internal {
namespace {

void CollectKeys(const Value& v, std::vector<std::string_view>& keys) {
  if (v.is_array()) {
    size_t n = ArraySize(v);
    for (size_t i = 0; i < n; ++i) CollectKeys(ArrayAt(v, i), keys);
  } else if (v.is_object()) {
    ForEachEntry(v, [&](std::string_view k, Value) {
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    });
  }
}

Value FnKeys(CallContext& call, std::span<const Value> args) {
  std::vector<std::string_view> keys;
  CollectKeys(Arg(args, 0), keys);
  ArrayData* out = call.ev.NewSequence();
  for (std::string_view k : keys) out->items.push_back(Value::String(k));
  return Value::Array(out);
}

Value LookupIn(Evaluator& ev, const Value& v, std::string_view key) {
  if (v.is_array()) {
    ArrayData* out = ev.NewSequence();
    size_t n = ArraySize(v);
    for (size_t i = 0; i < n; ++i) {
      Value r = LookupIn(ev, ArrayAt(v, i), key);
      ForEachItem(r, [&](const Value& x) { out->items.push_back(x); });
    }
    return Value::Array(out);
  }
  if (v.is_object()) return ObjectGet(v, key);
  return Value();
}

Value FnLookup(CallContext& call, std::span<const Value> args) {
  return LookupIn(call.ev, Arg(args, 0), Arg(args, 1).str());
}

// An array's items are spread one by one and appended to a plain array, so the
// result stays an array even with a single item (`$spread([{"a": 1}])` is
// `[{"a": 1}]`, as in jsonata-js); only when no item gives anything is it
// undefined.
Value FnSpread(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.is_array()) {
    ArrayData* out = call.ev.NewSequence();
    size_t n = ArraySize(v);
    for (size_t i = 0; i < n; ++i) {
      Value one[1] = {ArrayAt(v, i)};
      Value spread = FnSpread(call, one);
      if (spread.undefined()) continue;
      out->sequence = false;
      ForEachItem(spread, [&](const Value& item) { out->items.push_back(item); });
    }
    return Value::Array(out);
  }
  if (!v.is_object()) return v;
  ArrayData* out = call.ev.NewSequence();
  ForEachEntry(v, [&](std::string_view k, Value item) {
    ObjectData* o = call.ev.NewObject();
    o->entries.emplace_back(k, item);
    out->items.push_back(Value::Object(o));
  });
  return Value::Array(out);
}

Value FnMerge(CallContext& call, std::span<const Value> args) {
  Value v = Arg(args, 0);
  if (v.undefined()) return v;
  ObjectData* out = call.ev.NewObject();
  ForEachItem(v, [&](const Value& o) {
    ForEachEntry(o, [&](std::string_view k, Value item) { out->Set(k, item); });
  });
  return Value::Object(out);
}

Value FnError(CallContext& call, std::span<const Value> args) {
  JsonataError e;
  e.code = "D3137";
  e.position = call.position;
  e.message =
      Arg(args, 0).undefined() ? "$error() function evaluated" : std::string(Arg(args, 0).str());
  throw e;
}

Value FnAssert(CallContext& call, std::span<const Value> args) {
  if (!Arg(args, 0).boolean()) {
    JsonataError e;
    e.code = "D3141";
    e.position = call.position;
    e.message =
        Arg(args, 1).undefined() ? "$assert() statement failed" : std::string(Arg(args, 1).str());
    throw e;
  }
  return Value();
}

Value FnType(CallContext&, std::span<const Value> args) {
  switch (Arg(args, 0).kind()) {
    case Kind::kUndefined:
      return Value();
    case Kind::kNull:
      return Value::String("null");
    case Kind::kBool:
      return Value::String("boolean");
    case Kind::kNumber:
      return Value::String("number");
    case Kind::kString:
      return Value::String("string");
    case Kind::kArray:
      return Value::String("array");
    case Kind::kObject:
      return Value::String("object");
    default:
      return Value::String("function");
  }
}

Value FnExists(CallContext&, std::span<const Value> args) {
  return Value::Bool(!Arg(args, 0).undefined());
}

Value FnBoolean(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  return v.undefined() ? v : Value::Bool(ToBoolean(v));
}

Value FnNot(CallContext&, std::span<const Value> args) {
  Value v = Arg(args, 0);
  return v.undefined() ? v : Value::Bool(!ToBoolean(v));
}

Value FnClone(CallContext& call, std::span<const Value> args) {
  return call.ev.DeepClone(Arg(args, 0));
}

Value FnEval(CallContext& call, std::span<const Value> args) {
  Value expr = Arg(args, 0);
  if (expr.undefined()) return expr;
  const Program* program;
  try {
    program = call.ev.KeepProgram(Parse(expr.str()));
  } catch (const JsonataError& e) {
    Throw("D3120", call.position, call.name, MessageFor(e));
  }
  Value context = args.size() > 1 ? Arg(args, 1) : call.context;
  if (context.is_array() && !IsSequence(context)) {
    ArrayData* wrapper = call.ev.NewSequence();
    wrapper->items.push_back(context);
    wrapper->outer_wrapper = true;
    context = Value::Array(wrapper);
  }
  try {
    Frame* frame = call.ev.NewFrame(nullptr);
    call.ev.Bind(frame, "$", context);
    return call.ev.Eval(program->root, context, frame);
  } catch (const JsonataError& e) {
    if (e.code == "U1001") throw;
    Throw("D3121", call.position, call.name, MessageFor(e));
  }
}

}  // namespace

void AddObjectFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"keys", "<x-:a<s>>", FnKeys},
                            {"lookup", "<x-s:x>", FnLookup},
                            {"spread", "<x-:a<o>>", FnSpread},
                            {"merge", "<a<o>:o>", FnMerge},
                            {"error", "<s?:x>", FnError},
                            {"assert", "<bs?:x>", FnAssert},
                            {"type", "<x:s>", FnType},
                            {"exists", "<x:b>", FnExists},
                            {"boolean", "<x-:b>", FnBoolean},
                            {"not", "<x-:b>", FnNot},
                            {"clone", "<(oa)-:o>", FnClone},
                            {"eval", "<sx?:x>", FnEval},
                        });
}

}  // namespace fleetflow::jsonata::internal
