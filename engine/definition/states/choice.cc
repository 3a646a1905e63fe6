// Choice: rules with one comparator each (or And/Or/Not), the ...Path twins,
// Next on top-level rules only, Default.

#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

namespace {

enum class Operand { kString, kNumber, kBoolean, kTimestamp, kPattern, kTypeTest };

struct ComparatorInfo {
  const char* name;
  Comparator comparator;
  Operand operand;
  bool path;
};

constexpr ComparatorInfo kComparators[] = {
#define FF_CMP(Name, Operand_)                                 \
  {#Name, Comparator::k##Name, Operand::Operand_, false}, {    \
#Name "Path", Comparator::k##Name, Operand::Operand_, true \
  }
    FF_CMP(StringEquals, kString),
    FF_CMP(StringLessThan, kString),
    FF_CMP(StringGreaterThan, kString),
    FF_CMP(StringLessThanEquals, kString),
    FF_CMP(StringGreaterThanEquals, kString),
    FF_CMP(NumericEquals, kNumber),
    FF_CMP(NumericLessThan, kNumber),
    FF_CMP(NumericGreaterThan, kNumber),
    FF_CMP(NumericLessThanEquals, kNumber),
    FF_CMP(NumericGreaterThanEquals, kNumber),
    FF_CMP(BooleanEquals, kBoolean),
    FF_CMP(TimestampEquals, kTimestamp),
    FF_CMP(TimestampLessThan, kTimestamp),
    FF_CMP(TimestampGreaterThan, kTimestamp),
    FF_CMP(TimestampLessThanEquals, kTimestamp),
    FF_CMP(TimestampGreaterThanEquals, kTimestamp),
#undef FF_CMP
    {"StringMatches", Comparator::kStringMatches, Operand::kPattern, false},
    {"IsNull", Comparator::kIsNull, Operand::kTypeTest, false},
    {"IsPresent", Comparator::kIsPresent, Operand::kTypeTest, false},
    {"IsNumeric", Comparator::kIsNumeric, Operand::kTypeTest, false},
    {"IsString", Comparator::kIsString, Operand::kTypeTest, false},
    {"IsBoolean", Comparator::kIsBoolean, Operand::kTypeTest, false},
    {"IsTimestamp", Comparator::kIsTimestamp, Operand::kTypeTest, false},
};

const ComparatorInfo* FindComparator(std::string_view key) {
  for (const ComparatorInfo& c : kComparators) {
    if (key == c.name) return &c;
  }
  return nullptr;
}

// An open backslash (one not escaping '*' or '\') is an error in StringMatches.
bool ValidPattern(std::string_view p) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '\\') continue;
    if (i + 1 >= p.size() || (p[i + 1] != '*' && p[i + 1] != '\\')) return false;
    ++i;
  }
  return true;
}

void CheckOperand(const StateInput& in, const std::string& at, const ComparatorInfo& info,
                  const json::Value& v, ChoiceRule& rule) {
  std::string where = StrCat(at, "/", info.name);
  if (info.path) {
    if (!v.is_string()) {
      in.diags().Add(where, StrCat(info.name, " must be a reference path string"));
      return;
    }
    auto path = json::Path::Parse(v.get_string(), json::PathMode::kReferencePath);
    if (!path.ok()) {
      in.diags().Add(where, std::string(path.status().message()));
      return;
    }
    rule.operand_path = *std::move(path);
    return;
  }
  bool ok = true;
  const char* want = "";
  switch (info.operand) {
    case Operand::kString:
      ok = v.is_string();
      want = "a string";
      break;
    case Operand::kPattern:
      ok = v.is_string() && ValidPattern(v.get_string());
      want = "a string pattern where '\\' only escapes '*' or '\\'";
      break;
    case Operand::kNumber:
      ok = json::IsNumber(v);
      want = "a number";
      break;
    case Operand::kBoolean:
    case Operand::kTypeTest:
      ok = v.is_bool();
      want = "true or false";
      break;
    case Operand::kTimestamp:
      ok = v.is_string() && IsRfc3339(v.get_string());
      want = "an RFC 3339 timestamp string";
      break;
  }
  if (!ok) {
    in.diags().Add(where, StrCat(info.name, " must be ", want));
    return;
  }
  rule.operand = v;
}

ChoiceRule LoadRule(const StateInput& in, const json::Value& v, const std::string& at, bool top,
                    int depth) {
  ChoiceRule rule;
  if (!v.is_object()) {
    in.diags().Add(at, "a choice rule must be an object");
    return rule;
  }
  if (depth > 50) {
    in.diags().Add(at, "choice rules are nested too deeply");
    return rule;
  }
  const json::Object& obj = v.get_object();
  const ComparatorInfo* comparator = nullptr;
  std::vector<std::string_view> combinators;
  for (const auto& kv : obj) {
    std::string_view key = kv.key();
    if (key == "And" || key == "Or" || key == "Not") {
      combinators.push_back(key);
    } else if (const ComparatorInfo* c = FindComparator(key)) {
      if (comparator != nullptr) {
        in.diags().Add(at, StrCat("a choice rule has exactly one comparator, but this one has \"",
                                  comparator->name, "\" and \"", key, "\""));
      }
      comparator = c;
    } else if (key == "Variable" || key == "Comment" ||
               (top && (key == "Next" || key == "Assign"))) {
      continue;
    } else if (key == "Condition" || (top && key == "Output")) {
      in.diags().Add(StrCat(at, "/", EscapePointer(key)), JsonataOnlyMessage(key));
    } else {
      std::string message = StrCat("field \"", key, "\" is not allowed in a choice rule");
      if (!top && (key == "Next" || key == "Assign")) {
        message = StrCat("\"", key,
                         "\" is only allowed on top-level choice rules, not inside And/Or/Not");
      }
      in.diags().Add(StrCat(at, "/", EscapePointer(key)), message);
    }
  }
  if (top) {
    if (const json::Value* next = obj.if_contains("Next")) {
      StateInput sub{obj, at, in.names, in.graph, in.index, in.ctx};
      rule.next = ResolveStateName(sub, "Next", *next);
    } else {
      in.diags().Add(at, "a top-level choice rule needs \"Next\"");
    }
    rule.assign = LoadAssign(in, obj.if_contains("Assign"), StrCat(at, "/Assign"));
  }
  if (!combinators.empty()) {
    if (combinators.size() > 1 || comparator != nullptr || obj.contains("Variable")) {
      in.diags().Add(at, "a choice rule is either And, Or, Not, or Variable with one comparator");
      return rule;
    }
    std::string_view op = combinators[0];
    const json::Value& inner = obj.at(op);
    std::string inner_at = StrCat(at, "/", op);
    if (op == "Not") {
      rule.kind = ChoiceRule::Kind::kNot;
      rule.children.push_back(LoadRule(in, inner, inner_at, false, depth + 1));
      return rule;
    }
    rule.kind = op == "And" ? ChoiceRule::Kind::kAnd : ChoiceRule::Kind::kOr;
    if (!inner.is_array() || inner.get_array().empty()) {
      in.diags().Add(inner_at, StrCat(op, " must be a non-empty array of choice rules"));
      return rule;
    }
    const json::Array& arr = inner.get_array();
    for (size_t i = 0; i < arr.size(); ++i) {
      rule.children.push_back(LoadRule(in, arr[i], StrCat(inner_at, "/", i), false, depth + 1));
    }
    return rule;
  }
  if (comparator == nullptr) {
    in.diags().Add(at,
                   "a choice rule needs a comparator (StringEquals, NumericLessThan, IsPresent, "
                   "...) or And/Or/Not");
    return rule;
  }
  rule.comparator = comparator->comparator;
  const json::Value* variable = obj.if_contains("Variable");
  if (variable == nullptr) {
    in.diags().Add(at, StrCat("a choice rule with ", comparator->name, " needs \"Variable\""));
  } else if (!variable->is_string()) {
    in.diags().Add(StrCat(at, "/Variable"), "Variable must be a path string");
  } else {
    auto path = json::Path::Parse(variable->get_string());
    if (!path.ok()) {
      in.diags().Add(StrCat(at, "/Variable"), std::string(path.status().message()));
    } else {
      rule.variable = *std::move(path);
    }
  }
  CheckOperand(in, at, *comparator, obj.at(comparator->name), rule);
  return rule;
}

// A JSONata rule: Condition, Next, and optionally Assign and Output.
ChoiceRule LoadJsonataRule(const StateInput& in, const json::Value& v, const std::string& at) {
  ChoiceRule rule;
  if (!v.is_object()) {
    in.diags().Add(at, "a choice rule must be an object");
    return rule;
  }
  const json::Object& obj = v.get_object();
  for (const auto& kv : obj) {
    std::string_view key = kv.key();
    if (key == "Condition" || key == "Next" || key == "Assign" || key == "Output" ||
        key == "Comment") {
      continue;
    }
    std::string where = StrCat(at, "/", EscapePointer(key));
    if (key == "Variable" || key == "And" || key == "Or" || key == "Not" || FindComparator(key)) {
      in.diags().Add(where, StrCat("\"", key,
                                   "\" is a JSONPath choice rule field; a JSONata rule tests "
                                   "\"Condition\": \"{% ... %}\""));
    } else {
      in.diags().Add(where, StrCat("field \"", key, "\" is not allowed in a choice rule"));
    }
  }
  const json::Value* condition = obj.if_contains("Condition");
  if (condition == nullptr) {
    in.diags().Add(at, "a JSONata choice rule needs \"Condition\": \"{% ... %}\"");
  } else if (!condition->is_bool() &&
             !(condition->is_string() && IsJsonataString(condition->get_string()))) {
    in.diags().Add(StrCat(at, "/Condition"),
                   "Condition must be a JSONata expression \"{% ... %}\" or a boolean");
  } else {
    rule.condition = LoadJsonataTemplate(in, *condition, StrCat(at, "/Condition"));
  }
  if (const json::Value* next = obj.if_contains("Next")) {
    StateInput sub{obj, at, in.names, in.graph, in.index, in.ctx, true};
    rule.next = ResolveStateName(sub, "Next", *next);
  } else {
    in.diags().Add(at, "a top-level choice rule needs \"Next\"");
  }
  if (const json::Value* o = obj.if_contains("Output")) {
    rule.output = LoadJsonataTemplate(in, *o, StrCat(at, "/Output"));
  }
  rule.jsonata_assign = LoadJsonataAssign(in, obj.if_contains("Assign"), StrCat(at, "/Assign"));
  return rule;
}

}  // namespace

void LoadChoice(const StateInput& in, State& state) {
  CheckAllowedFields(
      in, "Choice",
      {"Choices", "Default", "InputPath", "OutputPath", "Assign", "Next", "End", "Output"});
  std::shared_ptr<JsonataFields> f;
  if (in.jsonata) {
    f = std::make_shared<JsonataFields>();
    LoadJsonataOutputAndAssign(in, *f);
  } else {
    LoadInputOutputPaths(in, state);
    state.assign = LoadAssign(in, in.object.if_contains("Assign"), in.At("Assign"));
  }
  if (in.object.contains("Next") || in.object.contains("End")) {
    in.Error(
        in.object.contains("Next") ? "Next" : "End",
        "a Choice state takes no Next or End; each rule has its Next, and Default covers the rest");
  }
  ChoiceSpec spec;
  const json::Value* choices = in.object.if_contains("Choices");
  if (choices == nullptr || !choices->is_array() || choices->get_array().empty()) {
    in.Error(choices ? "Choices" : "",
             "a Choice state needs \"Choices\": a non-empty array of rules");
  } else {
    const json::Array& arr = choices->get_array();
    for (size_t i = 0; i < arr.size(); ++i) {
      std::string at = StrCat(in.At("Choices"), "/", i);
      spec.choices.push_back(f ? LoadJsonataRule(in, arr[i], at)
                               : LoadRule(in, arr[i], at, true, 0));
    }
  }
  if (const json::Value* d = in.object.if_contains("Default")) {
    spec.default_next = ResolveStateName(in, "Default", *d);
  }
  state.spec = std::move(spec);
  state.jsonata = std::move(f);
}

}  // namespace fleetflow::definition
