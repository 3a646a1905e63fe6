#pragma once
// Filter expressions inside JSONPath brackets: [?(@.battery < 20 && @.docked)].

#include <memory>
#include <string>
#include <vector>

#include "engine/json/json.h"
#include "engine/json/path.h"

namespace re2 {
class RE2;
}

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
  // RE2: linear time and no recursion, so input data cannot stall or crash a
  // match (std::regex recurses per character).
  std::shared_ptr<const re2::RE2> regex;
};

// Nesting limit for filters and paths inside filters; deeper input is an
// error, not a stack overflow.
constexpr int kMaxFilterDepth = 64;

// Counts the nesting of the parser on this thread.
class FilterDepthGuard {
 public:
  FilterDepthGuard() { ++depth(); }
  ~FilterDepthGuard() { --depth(); }
  bool too_deep() const { return depth() > kMaxFilterDepth; }

 private:
  static int& depth() {
    thread_local int d = 0;
    return d;
  }
};

// Parses the text between "[?(" and ")]"; `pos` is advanced past it.
absl::StatusOr<FilterExpr> ParseFilter(std::string_view text, size_t& pos);

// Evaluates the filter for candidate `current` within document `root`.
bool MatchesFilter(const FilterExpr& expr, const Value& current, const Value& root);

}  // namespace fleetflow::json
