#pragma once
// The 18 intrinsic functions of ASL (States.Format, States.Array, ...):
// parsed once when a definition loads, evaluated per state run.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/common/failure.h"
#include "engine/json/eval_scope.h"
#include "engine/json/json.h"
#include "engine/json/path.h"

namespace fleetflow::json {

enum class Intrinsic {
  kFormat,
  kStringToJson,
  kJsonToString,
  kArray,
  kArrayPartition,
  kArrayContains,
  kArrayRange,
  kArrayGetItem,
  kArrayLength,
  kArrayUnique,
  kBase64Encode,
  kBase64Decode,
  kHash,
  kJsonMerge,
  kMathRandom,
  kMathAdd,
  kStringSplit,
  kUuid,
};

struct IntrinsicCall;

struct IntrinsicArg {
  enum class Kind { kLiteral, kPath, kCall };
  Kind kind = Kind::kLiteral;
  Value literal;
  std::string raw;  // a string literal's text with escapes kept (States.Format)
  std::shared_ptr<const Path> path;
  std::shared_ptr<const IntrinsicCall> call;
};

struct IntrinsicCall {
  Intrinsic function;
  std::string name;  // "States.Format"
  std::vector<IntrinsicArg> args;
};

// True when `text` looks like an intrinsic call ("States.Name(").
bool LooksLikeIntrinsic(std::string_view text);

// Parses a call, checking function names and argument counts.
absl::StatusOr<IntrinsicCall> ParseIntrinsic(std::string_view text);

// Runs the call. Bad arguments give States.IntrinsicFailure; a path argument
// that selects nothing gives States.Runtime, as AWS does.
Result<Value> EvaluateIntrinsic(const IntrinsicCall& call, EvalScope& scope);

}  // namespace fleetflow::json
