// Loaders for the fields of JSONata states (QueryLanguage "JSONata").

#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

std::string JsonPathOnlyMessage(std::string_view field) {
  return StrCat("field \"", field,
                "\" is a JSONPath field and cannot be used in a JSONata state; JSONata states "
                "use Arguments, Output and \"{% ... %}\" expressions");
}

std::string JsonataOnlyMessage(std::string_view field) {
  return StrCat("field \"", field,
                "\" is a JSONata field; set \"QueryLanguage\": \"JSONata\" on the state or the "
                "machine to use it");
}

namespace {

// The members of `$states` that the field at `pointer` cannot read, from
// AWS's rules ("Transforming data with JSONata", Reserved variable $states):
// $states.input and $states.context are everywhere; $states.result only in
// the Output and Assign of a Task, Parallel or Map state; $states.errorOutput
// only in a catcher's Output and Assign. `pointer` is below `in.pointer`.
uint8_t UnavailableStates(const StateInput& in, std::string_view pointer) {
  std::string_view below;
  if (pointer.size() > in.pointer.size() && pointer.substr(0, in.pointer.size()) == in.pointer)
    below = pointer.substr(in.pointer.size() + 1);
  std::string_view field = below.substr(0, below.find('/'));
  if (field == "Catch") return kUsesResult;
  const json::Value* type = in.object.if_contains("Type");
  std::string_view kind = type && type->is_string() ? type->get_string() : std::string_view();
  bool has_result = kind == "Task" || kind == "Parallel" || kind == "Map";
  if (has_result && (field == "Output" || field == "Assign")) return kUsesErrorOutput;
  return kUsesResult | kUsesErrorOutput;
}

}  // namespace

JsonataTemplate LoadJsonataTemplate(const StateInput& in, const json::Value& v,
                                    const std::string& pointer) {
  auto sink = [&](const std::string& p, const std::string& message) {
    in.diags().Add(pointer + p, message);
  };
  return JsonataTemplate::Compile(v, sink, UnavailableStates(in, pointer));
}

std::optional<JsonataTemplate> LoadJsonataAssign(const StateInput& in, const json::Value* v,
                                                 const std::string& pointer) {
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    in.diags().Add(pointer, "Assign must be a JSON object of variable names to values");
    return std::nullopt;
  }
  CheckAndRecordAssignNames(in, v->get_object(), pointer, false);
  return LoadJsonataTemplate(in, *v, pointer);
}

void LoadJsonataOutputAndAssign(const StateInput& in, JsonataFields& f) {
  if (const json::Value* o = in.object.if_contains("Output")) {
    f.output = LoadJsonataTemplate(in, *o, in.At("Output"));
  }
  f.assign = LoadJsonataAssign(in, in.object.if_contains("Assign"), in.At("Assign"));
}

namespace {

bool IsExpression(const json::Value& v) { return v.is_string() && IsJsonataString(v.get_string()); }

}  // namespace

void LoadJsonataNumber(const StateInput& in, std::string_view field, bool integer, double min,
                       double max, NumberSource& src, std::optional<JsonataTemplate>& expr) {
  const json::Value* v = in.object.if_contains(field);
  if (v == nullptr) return;
  if (IsExpression(*v)) {
    expr = LoadJsonataTemplate(in, *v, in.At(field));
    return;
  }
  if (!json::IsNumber(*v) || (integer && !json::IsIntegral(*v)) || json::AsDouble(*v) < min ||
      json::AsDouble(*v) > max) {
    in.Error(field,
             StrCat(field, " must be ", integer ? "an integer" : "a number", " from ", min, " to ",
                    static_cast<int64_t>(max), " or a JSONata expression \"{% ... %}\""));
    return;
  }
  src.value = json::AsDouble(*v);
}

void LoadJsonataString(const StateInput& in, std::string_view field,
                       std::optional<std::string>& literal, std::optional<JsonataTemplate>& expr) {
  const json::Value* v = in.object.if_contains(field);
  if (v == nullptr) return;
  if (IsExpression(*v)) {
    expr = LoadJsonataTemplate(in, *v, in.At(field));
  } else if (v->is_string()) {
    literal = std::string(v->get_string());
  } else {
    in.Error(field, StrCat(field, " must be a string or a JSONata expression \"{% ... %}\""));
  }
}

}  // namespace fleetflow::definition
