#pragma once
// JSONPath as Amazon States Language uses it (AWS runs Jayway JsonPath):
// $ (state input), $$ (context object) and $name (a variable) as roots; dot and
// bracket fields, indexes (negative from the end), wildcards, slices, unions,
// recursive descent (..), filters ([?(@.battery < 20)]) and a trailing function
// (length(), min(), max(), avg(), sum(), stddev(), keys(), first(), last()).
//
// A Reference Path is the single-node subset: fields and indexes only.
// Paths are parsed once when a definition loads and are immutable after.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/json/json.h"

namespace fleetflow::json {

struct FilterExpr;

struct PathSegment {
  enum class Kind {
    kField,       // .name or ['name']
    kIndex,       // [3] or [-1]
    kWildcard,    // .* or [*]
    kSlice,       // [start:end:step]
    kFieldUnion,  // ['a','b']
    kIndexUnion,  // [0,2]
    kDescend,     // .. : the next segment applies at every depth
    kFilter,      // [?( ... )]
    kFunction,    // .length() (last segment only)
  };
  Kind kind = Kind::kField;
  std::string name;
  int64_t index = 0;
  std::optional<int64_t> slice_start, slice_end;
  int64_t slice_step = 1;
  std::vector<std::string> names;
  std::vector<int64_t> indexes;
  std::shared_ptr<const FilterExpr> filter;
};

enum class PathRoot { kInput, kContext, kVariable };
enum class PathMode { kPath, kReferencePath };

class Path {
 public:
  // Parses `text`. Errors say what is wrong and at which character.
  static absl::StatusOr<Path> Parse(std::string_view text, PathMode mode = PathMode::kPath);

  const std::string& text() const { return text_; }
  PathRoot root() const { return root_; }
  // The variable name when root() is kVariable.
  const std::string& variable() const { return variable_; }
  // True when the path can select at most one node (no wildcard, slice,
  // union, descent or filter); such paths yield the node itself, others an
  // array of every match.
  bool definite() const { return definite_; }
  bool has_function() const {
    return !segments_.empty() && segments_.back().kind == PathSegment::Kind::kFunction;
  }
  const std::vector<PathSegment>& segments() const { return segments_; }

  // For definite paths without a function: the selected node, or nullptr
  // when it does not exist. Allocation-free.
  const Value* Find(const Value& root) const;

  // The result of the path against `root`: the node (definite) or an array
  // of matches (indefinite). False when a definite path selects nothing, or
  // a function cannot apply.
  bool Select(const Value& root, Value& out) const;

  // Every node the path (without its function) selects.
  void Collect(const Value& root, std::vector<const Value*>& out) const;

  // Jayway's normalized form of this path, as AWS prints it in causes:
  // $['a']['b'][0].
  std::string Normalized() const;

 private:
  std::string text_;
  PathRoot root_ = PathRoot::kInput;
  std::string variable_;
  bool definite_ = true;
  std::vector<PathSegment> segments_;

  friend class PathParser;
};

// True when `name` is a valid variable name ([A-Za-z_][A-Za-z0-9_]*).
bool IsVariableName(std::string_view name);

}  // namespace fleetflow::json
