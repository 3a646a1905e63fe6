#pragma once
// JSONata 2.x (https://docs.jsonata.org): compile an expression once, evaluate
// it many times, from many threads at once. See docs/jsonata.md.

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/json/json.h"

namespace fleetflow::jsonata {

// A JSONata failure: the code JSONata uses (S0201 syntax, T2001 type, D3001
// dynamic, U1001 limits), the offset in the expression text just past the
// offending token (-1 when unknown) and a message a person can read.
struct Error {
  std::string code;
  int position = -1;
  std::string token;
  std::string message;
};

// A JSONata value: a JSON value, or nullopt for JSONata's `undefined` (which is
// not `null`: a missing field is undefined, a field holding null is null).
using Result = std::optional<json::Value>;

// The outcome of an evaluation: a result, or an error.
struct Evaluation {
  bool ok() const { return !error.has_value(); }
  Result value;
  std::optional<Error> error;
};

// A function written in C++ and callable from expressions as `$name(...)`.
// Undefined arguments arrive as nullopt. `signature` is an optional JSONata
// signature ("<s-n?:s>"); when set, arguments are validated (T0410...) and
// `-` parameters take the context value before `fn` is called.
struct NativeFunction {
  std::string signature;
  std::function<Evaluation(std::span<const Result> args)> fn;
};

// Variables visible to an expression as `$name`. Values are copied in by Set;
// SetRef borrows a value the caller keeps alive during Evaluate (for large
// documents such as a Step Functions `$states`). Expressions cannot rebind
// these for other evaluations: `:=` binds in the expression's own scope.
class Bindings {
 public:
  void Set(std::string name, json::Value value);
  void SetRef(std::string name, const json::Value* value);
  void SetFunction(std::string name, NativeFunction fn);

  // Internal lookups (nullptr when absent).
  const json::Value* FindValue(std::string_view name) const;
  const NativeFunction* FindFunction(std::string_view name) const;
  bool empty() const { return values_.empty() && functions_.empty(); }

 private:
  absl::flat_hash_map<std::string, std::shared_ptr<const json::Value>> owned_;
  absl::flat_hash_map<std::string, const json::Value*> values_;
  absl::flat_hash_map<std::string, NativeFunction> functions_;
};

// Limits that keep a hostile expression from hanging or crashing the caller.
// Exceeding max_depth, the deadline or max_memory_bytes fails with U1001 (the
// code JSONata's own harness uses for stack overflow and timeouts); the
// message says which limit was hit.
struct EvalOptions {
  // Nesting of evaluation (each sub-expression and non-tail call adds one).
  int max_depth = 1000;
  // Wall-clock budget for one evaluation; absl::InfiniteDuration() for none.
  absl::Duration timeout = absl::Seconds(10);
  // Memory for values computed during one evaluation (the input is not copied
  // and not counted).
  size_t max_memory_bytes = size_t{512} << 20;
  // The instant $now() and $millis() report; real time when unset.
  std::optional<absl::Time> now;
};

namespace internal {
struct Program;
}

// A compiled expression. Immutable; Evaluate is safe to call concurrently.
class Expression {
 public:
  explicit Expression(std::unique_ptr<internal::Program> program);
  ~Expression();
  Expression(const Expression&) = delete;
  Expression& operator=(const Expression&) = delete;

  // Evaluates against `input` (nullptr: undefined input). The input is read,
  // never copied; the result is a fresh value the caller owns.
  Evaluation Evaluate(const json::Value* input, const Bindings& bindings = {},
                      const EvalOptions& options = {}) const;
  Evaluation Evaluate(const json::Value& input, const Bindings& bindings = {},
                      const EvalOptions& options = {}) const {
    return Evaluate(&input, bindings, options);
  }

  const std::string& text() const;

 private:
  std::unique_ptr<internal::Program> program_;
};

// Parses `text`. On failure the status message is "CODE at POSITION: message"
// and, when `error` is given, it receives the structured error.
absl::StatusOr<std::shared_ptr<const Expression>> Compile(std::string_view text,
                                                          Error* error = nullptr);

}  // namespace fleetflow::jsonata
