#pragma once
// Filter expressions inside JSONPath brackets: [?(@.battery < 20 && @.docked)].

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "engine/json/json.h"
#include "engine/json/path.h"

namespace fleetflow::json {

struct FilterOperand {
  enum class Kind { kCurrent, kRoot, kLiteral };
  Kind kind = Kind::kLiteral;
  std::shared_ptr<const Path> path;  // kCurrent (@...) or kRoot ($...)
  Value literal;
};

struct FilterExpr {
  enum class Op { kOr, kAnd, kNot, kExists, kCompare };
  enum class Compare {
    kEq,
    kNe,
    kLt,
    kLe,
    kGt,
    kGe,
    kRegex,
    kIn,
    kNin,
    kSubsetOf,
    kAnyOf,
    kNoneOf,
    kSize,
    kEmpty
  };
  Op op = Op::kExists;
  std::vector<FilterExpr> children;  // kOr, kAnd, kNot
  FilterOperand lhs, rhs;            // kExists uses lhs only
  Compare compare = Compare::kEq;
  std::shared_ptr<const std::regex> regex;
};

// Parses the text between "[?(" and ")]"; `pos` is advanced past it.
absl::StatusOr<FilterExpr> ParseFilter(std::string_view text, size_t& pos);

// Evaluates the filter for candidate `current` within document `root`.
bool MatchesFilter(const FilterExpr& expr, const Value& current, const Value& root);

}  // namespace fleetflow::json
