#pragma once
// A failure of a running state: an ASL error name and its cause, as AWS reports
// them. This is not an absl::Status because it is data the state machine can
// catch, retry and print, not a program error.

#include <string>
#include <utility>
#include <variant>

namespace fleetflow {

struct Failure {
  std::string error;
  std::string cause;
};

// Either a value or a Failure. Small on purpose: the interpreter's hot path
// returns these by value, and success must cost nothing beyond the T.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Failure failure) : v_(std::move(failure)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Failure& failure() const& { return std::get<1>(v_); }
  Failure&& failure() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Failure> v_;
};

}  // namespace fleetflow

// FF_TRY_ASSIGN(T x, ResultReturningCall()): assigns the value or returns the
// Failure from the enclosing function. `lhs` may be a declaration, so it
// cannot be parenthesized.
#define FF_CONCAT_INNER(a, b) a##b
#define FF_CONCAT(a, b) FF_CONCAT_INNER(a, b)
#define FF_TRY_ASSIGN(lhs, expr) FF_TRY_ASSIGN_IMPL(FF_CONCAT(ff_result_, __LINE__), lhs, expr)
// NOLINTBEGIN(bugprone-macro-parentheses)
#define FF_TRY_ASSIGN_IMPL(tmp, lhs, expr)        \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).failure(); \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
