#pragma once
// The built-in function library. Each family lives in its own file and adds
// its functions to the registry; the evaluator resolves `$name` to them when
// no variable of that name is in scope.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/signature.h"

namespace fleetflow::jsonata::internal {

// What a built-in sees of its call.
struct CallContext {
  Evaluator& ev;
  Value context;  // the context value at the call site
  int position;
  std::string_view name;
};

using BuiltinFn = Value (*)(CallContext& call, std::span<const Value> args);

struct BuiltinSpec {
  std::string_view name;
  std::string_view signature;
  BuiltinFn fn;
};

struct Builtin {
  std::string name;
  Signature signature;
  BuiltinFn fn;
  FunctionData function;
  bool awaits = false;  // AwaitsInReference(name)
};

const Builtin* FindBuiltin(std::string_view name);

inline Value Arg(std::span<const Value> args, size_t i) {
  return i < args.size() ? args[i] : Value();
}

// Families (one per file).
void AddStringFunctions(std::vector<BuiltinSpec>& out);
void AddNumericFunctions(std::vector<BuiltinSpec>& out);
void AddAggregateFunctions(std::vector<BuiltinSpec>& out);
void AddArrayFunctions(std::vector<BuiltinSpec>& out);
void AddObjectFunctions(std::vector<BuiltinSpec>& out);
void AddHigherOrderFunctions(std::vector<BuiltinSpec>& out);
void AddRegexFunctions(std::vector<BuiltinSpec>& out);
void AddDateTimeFunctions(std::vector<BuiltinSpec>& out);
void AddFormatFunctions(std::vector<BuiltinSpec>& out);
void AddEncodingFunctions(std::vector<BuiltinSpec>& out);

// Shared helpers.
// $string semantics: strings as-is, others as JSON with numbers at 15
// significant digits; functions as "". Throws D3001 for non-finite numbers.
std::string StringOf(Evaluator& ev, const Value& v, bool pretty = false);
// JavaScript's Number.prototype.toString.
std::string FormatJsNumber(double d);
// fn.append: concatenation that flattens array arguments one level.
Value Append(Evaluator& ev, Value a, Value b);
// Calls `fn` with as many of (args...) as it declares parameters.
Value CallWithArity(CallContext& call, Value fn, std::initializer_list<Value> args);
int FunctionArity(const Value& fn);
Value MakeArray(Evaluator& ev, ValueVector items);

}  // namespace fleetflow::jsonata::internal
