// Choice: evaluate the rules in order; the first match picks Next.

#include "engine/common/strings.h"
#include "engine/common/timestamp.h"
#include "engine/runtime/data_flow.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

namespace {

using def::Comparator;

// '*' matches any run of characters; '\*' and '\\' are literals.
bool GlobMatch(std::string_view text, std::string_view pattern) {
  size_t t = 0, p = 0, star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      char want = pattern[p];
      size_t width = 1;
      if (want == '\\' && p + 1 < pattern.size()) {
        want = pattern[p + 1];
        width = 2;
      }
      if (want == text[t]) {
        p += width;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

bool Ordered(Comparator c, int cmp) {
  switch (c) {
    case Comparator::kStringEquals:
    case Comparator::kNumericEquals:
    case Comparator::kTimestampEquals:
      return cmp == 0;
    case Comparator::kStringLessThan:
    case Comparator::kNumericLessThan:
    case Comparator::kTimestampLessThan:
      return cmp < 0;
    case Comparator::kStringGreaterThan:
    case Comparator::kNumericGreaterThan:
    case Comparator::kTimestampGreaterThan:
      return cmp > 0;
    case Comparator::kStringLessThanEquals:
    case Comparator::kNumericLessThanEquals:
    case Comparator::kTimestampLessThanEquals:
      return cmp <= 0;
    default:
      return cmp >= 0;
  }
}

bool Compare(Comparator c, const json::Value& v, const json::Value& operand) {
  switch (c) {
    case Comparator::kIsNull:
      return v.is_null() == operand.get_bool();
    case Comparator::kIsPresent:
      return operand.get_bool();
    case Comparator::kIsNumeric:
      return json::IsNumber(v) == operand.get_bool();
    case Comparator::kIsString:
      return v.is_string() == operand.get_bool();
    case Comparator::kIsBoolean:
      return v.is_bool() == operand.get_bool();
    case Comparator::kIsTimestamp:
      return (v.is_string() && ParseRfc3339(v.get_string()).has_value()) == operand.get_bool();
    case Comparator::kStringMatches:
      return v.is_string() && operand.is_string() &&
             GlobMatch(v.get_string(), operand.get_string());
    case Comparator::kBooleanEquals:
      return v.is_bool() && operand.is_bool() && v.get_bool() == operand.get_bool();
    case Comparator::kStringEquals:
    case Comparator::kStringLessThan:
    case Comparator::kStringGreaterThan:
    case Comparator::kStringLessThanEquals:
    case Comparator::kStringGreaterThanEquals:
      if (!v.is_string() || !operand.is_string()) return false;
      return Ordered(c, Sign(v.get_string().compare(operand.get_string())));
    case Comparator::kNumericEquals:
    case Comparator::kNumericLessThan:
    case Comparator::kNumericGreaterThan:
    case Comparator::kNumericLessThanEquals:
    case Comparator::kNumericGreaterThanEquals:
      if (!json::IsNumber(v) || !json::IsNumber(operand)) return false;
      return Ordered(c, json::CompareNumbers(v, operand));
    default: {  // timestamps
      if (!v.is_string() || !operand.is_string()) return false;
      auto a = ParseRfc3339(v.get_string());
      auto b = ParseRfc3339(operand.get_string());
      if (!a || !b) return false;
      return Ordered(c, *a < *b ? -1 : (*a > *b ? 1 : 0));
    }
  }
}

Failure InvalidPath(const json::Path& path) {
  return Failure{"States.Runtime",
                 StrCat("Invalid path '", path.text(),
                        "': The choice state's condition path references an invalid value.")};
}

// Selects `path`; nullptr when it matches nothing.
const json::Value* Lookup(const json::Path& path, StateScope& scope, json::Value& scratch) {
  const json::Value* root = scope.RootOf(path);
  if (root == nullptr) return nullptr;
  if (path.definite() && !path.has_function()) return path.Find(*root);
  return path.Select(*root, scratch) ? &scratch : nullptr;
}

Result<bool> Evaluate(const def::ChoiceRule& rule, StateScope& scope) {
  switch (rule.kind) {
    case def::ChoiceRule::Kind::kAnd:
      for (const auto& child : rule.children) {
        FF_TRY_ASSIGN(bool ok, Evaluate(child, scope));
        if (!ok) return false;
      }
      return true;
    case def::ChoiceRule::Kind::kOr:
      for (const auto& child : rule.children) {
        FF_TRY_ASSIGN(bool ok, Evaluate(child, scope));
        if (ok) return true;
      }
      return false;
    case def::ChoiceRule::Kind::kNot: {
      FF_TRY_ASSIGN(bool ok, Evaluate(rule.children[0], scope));
      return !ok;
    }
    case def::ChoiceRule::Kind::kCompare:
      break;
  }
  json::Value scratch, operand_scratch;
  const json::Value* v = Lookup(rule.variable, scope, scratch);
  if (rule.comparator == Comparator::kIsPresent) return (v != nullptr) == rule.operand.get_bool();
  if (v == nullptr) return InvalidPath(rule.variable);
  const json::Value* operand = &rule.operand;
  if (rule.operand_path) {
    operand = Lookup(*rule.operand_path, scope, operand_scratch);
    if (operand == nullptr) return InvalidPath(*rule.operand_path);
  }
  return Compare(rule.comparator, *v, *operand);
}

}  // namespace

void Step::RunChoice(int frame_id) {
  if (StateOf(frame(frame_id)).is_jsonata()) return RunJsonataChoice(frame_id);
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  const auto& spec = st.As<def::ChoiceSpec>();
  StateScope scope(*this, frame_id, *f.input);
  Result<json::ValuePtr> input = ApplyFilterPath(st.input_path, f.input, scope);
  if (!input.ok())
    return FailState(frame_id, StateFailure(f, input.failure().error, input.failure().cause));
  scope.set_input(*input.value());
  int next = spec.default_next;
  const json::PayloadTemplate* assign = st.assign ? &*st.assign : nullptr;
  bool matched = false;
  for (const def::ChoiceRule& rule : spec.choices) {
    Result<bool> ok = Evaluate(rule, scope);
    if (!ok.ok())
      return FailState(frame_id, StateFailure(f, ok.failure().error, ok.failure().cause));
    if (ok.value()) {
      next = rule.next;
      assign = rule.assign ? &*rule.assign : nullptr;
      matched = true;
      break;
    }
  }
  if (!matched && next < 0) {
    return FailState(frame_id,
                     StateFailure(f, "States.NoChoiceMatched",
                                  "No Choice Rule matched and no Default state was specified."));
  }
  json::ValuePtr output = AssignAndOutput(frame_id, assign, input.value(), scope);
  if (output) GoTo(frame_id, next, std::move(output));
}

}  // namespace fleetflow::runtime
