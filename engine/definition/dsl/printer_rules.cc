// The printer's lines that guard or route a state: retry, catch, choice
// rules and their conditions, and `run` (docs/dsl.md 4.4, 4.5, 5, 4.9).

#include "engine/definition/dsl/parser.h"
#include "engine/definition/dsl/printer.h"

namespace fleetflow::definition::dsl {

std::string Printer::Retry(const json::Object& r) {
  std::string line = "retry " + ErrorList(r, "a retrier");
  for (const auto& kv : r) {
    std::string key(kv.key());
    if (key == "ErrorEquals" || key == "Comment") continue;
    if (key != "IntervalSeconds" && key != "MaxAttempts" && key != "BackoffRate" &&
        key != "MaxDelaySeconds" && key != "JitterStrategy")
      Unprintable("retrier field \"" + key + "\" has no DSL form");
  }
  if (const auto* v = r.if_contains("IntervalSeconds"))
    line += " every " + Duration(*v, "IntervalSeconds");
  if (const auto* v = r.if_contains("MaxAttempts")) line += " attempts " + Number(*v);
  if (const auto* v = r.if_contains("BackoffRate")) line += " backoff " + Number(*v);
  if (const auto* v = r.if_contains("MaxDelaySeconds"))
    line += " max_delay " + Duration(*v, "MaxDelaySeconds");
  if (const auto* v = r.if_contains("JitterStrategy")) {
    std::string j = StringOf(*v, "JitterStrategy");
    if (j != "FULL" && j != "NONE") Unprintable("unknown JitterStrategy " + j);
    line += j == "FULL" ? " jitter full" : " jitter none";
  }
  return line;
}

void Printer::Catch(StateOut& s, const json::Object& c, size_t index) {
  for (const auto& kv : c) {
    std::string key(kv.key());
    bool allowed = key == "ErrorEquals" || key == "Next" || key == "Assign" || key == "Comment" ||
                   (s.jsonata ? key == "Output" : key == "ResultPath");
    if (!allowed) Unprintable("catcher field \"" + key + "\" has no DSL form");
  }
  std::string line = "catch " + ErrorList(c, "a catcher") + " -> " +
                     Name(StringOf(c.contains("Next") ? c.at("Next") : json::Value(), "Next"));
  if (const auto* rp = c.if_contains("ResultPath")) line += " into " + PathOrNull(*rp);
  std::string anchor = s.At("catch/" + std::to_string(index));
  Line(s.fields, s.depth, line, anchor);
  if (const auto* o = c.if_contains("Output"))
    Payload(s.fields, s.depth + 1, "output", *o, Style::kJsonata, anchor + "/output");
  if (const auto* a = c.if_contains("Assign"))
    Payload(s.fields, s.depth + 1, "assign", *a, JsonataOr(s.jsonata, Style::kJsonPath),
            anchor + "/assign");
}

void Printer::ChoiceRule(StateOut& s, const json::Object& rule, size_t index) {
  std::string anchor = s.At("when/" + std::to_string(index));
  std::string next =
      Name(StringOf(rule.contains("Next") ? rule.at("Next") : json::Value(), "Next"));
  if (!s.jsonata) {
    Line(s.fields, s.depth, "when " + Condition(rule, false) + " -> " + next, anchor);
    if (const auto* a = rule.if_contains("Assign"))
      Payload(s.fields, s.depth + 1, "assign", *a, Style::kJsonPath, anchor + "/assign");
    return;
  }
  for (const auto& kv : rule) {
    std::string key(kv.key());
    if (key != "Condition" && key != "Next" && key != "Assign" && key != "Output" &&
        key != "Comment")
      Unprintable("choice rule field \"" + key + "\" has no DSL form in a JSONata state");
  }
  const json::Value* condition = rule.if_contains("Condition");
  if (condition == nullptr) Unprintable("a JSONata choice rule has no Condition");
  std::string text =
      condition->is_bool() ? (condition->get_bool() ? "true" : "false") : Jsonata(*condition);
  Line(s.fields, s.depth, "when " + text + " -> " + next, anchor);
  if (const auto* o = rule.if_contains("Output"))
    Payload(s.fields, s.depth + 1, "output", *o, Style::kJsonata, anchor + "/output");
  if (const auto* a = rule.if_contains("Assign"))
    Payload(s.fields, s.depth + 1, "assign", *a, Style::kJsonata, anchor + "/assign");
}

std::string Printer::Condition(const json::Object& rule, bool nested) {
  for (const char* key : {"And", "Or"}) {
    if (const auto* list = rule.if_contains(key)) {
      std::string word = key == std::string("And") ? " and " : " or ";
      std::string text;
      for (const auto& child : list->as_array()) {
        if (!text.empty()) text += word;
        text += Condition(ObjectOf(child, "a rule"), true);
      }
      return nested ? "(" + text + ")" : text;
    }
  }
  if (const auto* inner = rule.if_contains("Not")) {
    const json::Object& o = ObjectOf(*inner, "Not");
    for (const auto& kv : o) {
      std::string key(kv.key());
      if (key.find("Equals") != std::string::npos && o.contains("Variable") && o.size() == 2) {
        std::string cmp = Comparison(o);
        size_t eq = cmp.find(" == ");
        if (eq != std::string::npos) return cmp.replace(eq, 4, " != ");
      }
    }
    return "not (" + Condition(o, false) + ")";
  }
  return Comparison(rule);
}

std::string Printer::Comparison(const json::Object& rule) {
  const json::Value* var = rule.if_contains("Variable");
  if (var == nullptr) Unprintable("a choice rule has no Variable");
  std::string v = PathText(*var);
  for (const auto& kv : rule) {
    std::string key(kv.key());
    if (key == "Variable" || key == "Next" || key == "Assign" || key == "Comment") continue;
    return v + " " + ComparatorText(key, kv.value());
  }
  Unprintable("a choice rule has no comparison");
}

// The shape `run` lowers to: StateMachineArn of a local machine, then Name
// if given, then Input (JSONPath: "Name.$"/"Input.$" for expressions, in
// Parameters; JSONata: in Arguments).
bool Printer::PrintRun(StateOut& s, const std::string& name) {
  const char* args_key = s.jsonata ? "Arguments" : "Parameters";
  const json::Value* resource = s.st.if_contains("Resource");
  const json::Value* params = s.st.if_contains(args_key);
  if (resource == nullptr || !resource->is_string() || params == nullptr || !params->is_object())
    return false;
  std::string r(resource->get_string());
  if (r != kStartSync && r != kStartAsync) return false;
  const json::Object& p = params->get_object();
  std::vector<std::string> keys;
  for (const auto& kv : p) keys.emplace_back(kv.key());
  size_t k = 0;
  if (keys.empty() || keys[0] != "StateMachineArn" || !p.at("StateMachineArn").is_string())
    return false;
  std::string arn(p.at("StateMachineArn").get_string());
  std::string prefix = kMachineArnPrefix;
  if (arn.rfind(prefix, 0) != 0) return false;
  std::string machine = arn.substr(prefix.size());
  if (machine.empty() || machine.find(':') != std::string::npos) return false;
  ++k;
  const json::Value* name_v = nullptr;
  std::string name_key;
  if (k < keys.size() && (keys[k] == "Name" || (!s.jsonata && keys[k] == "Name.$"))) {
    name_key = keys[k];
    name_v = &p.at(keys[k]);
    if (!name_v->is_string()) return false;
    ++k;
  }
  if (k + 1 != keys.size() || (keys[k] != "Input" && (s.jsonata || keys[k] != "Input.$")))
    return false;
  const json::Value& input = p.at(keys[k]);
  bool input_dynamic = keys[k] == "Input.$";
  if (input_dynamic && !input.is_string()) return false;
  s.used.insert("Resource");
  s.used.insert(args_key);
  imports_.insert(machine);
  s.header = "run " + name + " " + Name(machine) + (r == kStartAsync ? " nowait" : "");
  if (s.jsonata) {
    if (!(input.is_string() && input.get_string() == kRunJsonataInput))
      Payload(s.fields, s.depth, "args", input, Style::kJsonata, s.At("args"));
  } else if (input_dynamic) {
    if (input.get_string() != "$")
      Line(s.fields, s.depth, "args " + Expression(input), s.At("args"));
  } else {
    Payload(s.fields, s.depth, "args", input, Style::kJsonPath, s.At("args"));
  }
  if (name_v != nullptr) {
    std::string text = s.jsonata            ? InlineValue(*name_v, Style::kJsonata)
                       : name_key == "Name" ? QuoteString(std::string(name_v->get_string()))
                                            : Expression(*name_v);
    Line(s.fields, s.depth, "name " + text, s.At("name"));
  }
  return true;
}

}  // namespace fleetflow::definition::dsl
