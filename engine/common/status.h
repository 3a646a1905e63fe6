#pragma once
// absl::Status helpers that Debian's abseil (20220623) lacks.

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define FF_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status ff_status_ = (expr);      \
    if (!ff_status_.ok()) return ff_status_; \
  } while (false)

// FF_ASSIGN_OR_RETURN(T x, StatusOrReturningCall());
#define FF_ASSIGN_OR_RETURN(lhs, expr) \
  FF_ASSIGN_OR_RETURN_IMPL(FF_STATUS_CONCAT(ff_statusor_, __LINE__), lhs, expr)
#define FF_STATUS_CONCAT_INNER(a, b) a##b
#define FF_STATUS_CONCAT(a, b) FF_STATUS_CONCAT_INNER(a, b)
// NOLINTBEGIN(bugprone-macro-parentheses)
#define FF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).status(); \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
