#pragma once
// Function signatures ("<s-n?:s>"): parsed once, used to validate and coerce
// the arguments of built-in, native and user-defined functions.

#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fleetflow::jsonata::internal {

class Value;

struct SignatureParam {
  std::string types;  // accepted type letters: b n s l a o f j x u
  char array_of = 0;  // a<n>: required element type ('\0' for any)
  bool optional = false;
  bool variadic = false;     // '+'
  bool use_context = false;  // '-': missing -> the context value
};

struct Signature {
  std::vector<SignatureParam> params;
  std::string text;
};

// Parses "<...>"; throws S0401/S0402 at `position` on a malformed signature.
Signature ParseSignature(std::string_view text, int position);

// One letter for the JSONata type of a value ('m' for undefined).
char TypeLetter(const Value& v);

}  // namespace fleetflow::jsonata::internal

namespace fleetflow::jsonata::internal {

class Evaluator;

// Matches `args` against the signature; returns the arguments to call with
// (context inserted for '-', non-arrays wrapped for 'a'). Throws T0410,
// T0411 or T0412.
std::pmr::vector<Value> ValidateArguments(Evaluator& ev, const Signature& sig,
                                          std::span<const Value> args, const Value& context,
                                          int position, std::string_view name);

}  // namespace fleetflow::jsonata::internal
