// Loaders for the fields several state kinds share.

#include <algorithm>
#include <cmath>

#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

std::string StateInput::At(std::string_view field) const {
  return StrCat(pointer, "/", EscapePointer(field));
}

void StateInput::Error(std::string_view field, std::string message) const {
  diags().Add(field.empty() ? pointer : At(field), std::move(message));
}

void CheckAllowedFields(const StateInput& in, const char* type_name,
                        std::initializer_list<std::string_view> allowed) {
  static const std::string_view kAslFields[] = {"Next",
                                                "End",
                                                "InputPath",
                                                "OutputPath",
                                                "ResultPath",
                                                "Parameters",
                                                "ResultSelector",
                                                "Result",
                                                "Retry",
                                                "Catch",
                                                "Resource",
                                                "TimeoutSeconds",
                                                "TimeoutSecondsPath",
                                                "HeartbeatSeconds",
                                                "HeartbeatSecondsPath",
                                                "Credentials",
                                                "Assign",
                                                "Choices",
                                                "Default",
                                                "Seconds",
                                                "SecondsPath",
                                                "Timestamp",
                                                "TimestampPath",
                                                "Error",
                                                "ErrorPath",
                                                "Cause",
                                                "CausePath",
                                                "Branches",
                                                "ItemProcessor",
                                                "Iterator",
                                                "ItemsPath",
                                                "ItemSelector",
                                                "MaxConcurrency",
                                                "MaxConcurrencyPath",
                                                "ToleratedFailureCount",
                                                "ToleratedFailureCountPath",
                                                "ToleratedFailurePercentage",
                                                "ToleratedFailurePercentagePath",
                                                "Label",
                                                "ItemReader",
                                                "ItemBatcher",
                                                "ResultWriter"};
  for (const auto& kv : in.object) {
    std::string_view key = kv.key();
    if (key == "Type") continue;
    if (key == "Comment") {
      if (!kv.value().is_string()) in.Error(key, "Comment must be a string");
      continue;
    }
    if (key == "QueryLanguage") continue;  // checked by LoadGraph
    static const std::string_view kJsonPathOnly[] = {"InputPath",
                                                     "OutputPath",
                                                     "ResultPath",
                                                     "Parameters",
                                                     "ResultSelector",
                                                     "Result",
                                                     "ItemsPath",
                                                     "TimeoutSecondsPath",
                                                     "HeartbeatSecondsPath",
                                                     "SecondsPath",
                                                     "TimestampPath",
                                                     "ErrorPath",
                                                     "CausePath",
                                                     "MaxConcurrencyPath",
                                                     "ToleratedFailureCountPath",
                                                     "ToleratedFailurePercentagePath"};
    bool is_allowed = std::find(allowed.begin(), allowed.end(), key) != allowed.end();
    if (is_allowed && in.jsonata &&
        std::find(std::begin(kJsonPathOnly), std::end(kJsonPathOnly), key) !=
            std::end(kJsonPathOnly)) {
      in.Error(key, JsonPathOnlyMessage(key));
      continue;
    }
    if (is_allowed && !in.jsonata && (key == "Arguments" || key == "Output" || key == "Items")) {
      in.Error(key, JsonataOnlyMessage(key));
      continue;
    }
    if (is_allowed) continue;
    std::string message = StrCat("field \"", key, "\" is not allowed in a ", type_name, " state");
    bool known =
        std::find(std::begin(kAslFields), std::end(kAslFields), key) != std::end(kAslFields);
    if (!known && key != "Arguments" && key != "Output" && key != "Items") {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      std::string close = ClosestName(std::string(key), names);
      if (!close.empty()) message += StrCat("; did you mean \"", close, "\"?");
    }
    in.Error(key, message);
  }
}

int ResolveStateName(const StateInput& in, std::string_view field, const json::Value& value) {
  if (!value.is_string()) {
    in.Error(field, StrCat(field, " must be a string naming a state"));
    return -1;
  }
  std::string_view name = value.get_string();
  auto it = in.names.find(name);
  if (it != in.names.end()) return it->second;
  in.ctx.NoteBrokenLink();
  if (const std::string* elsewhere = in.ctx.FindStateAnywhere(name)) {
    in.Error(field, StrCat(field, " names \"", name, "\", a state of another States block (",
                           *elsewhere, "); a state can only go to states of its own block"));
    return -1;
  }
  std::vector<std::string> all;
  for (const auto& [n, i] : in.names) all.push_back(n);
  std::string close = ClosestName(std::string(name), all);
  std::string message = StrCat(field, " names \"", name, "\", which is not a state");
  if (!close.empty()) message += StrCat("; did you mean \"", close, "\"?");
  in.Error(field, message);
  return -1;
}

void LoadTransition(const StateInput& in, State& state) {
  const json::Value* next = in.object.if_contains("Next");
  const json::Value* end = in.object.if_contains("End");
  if (end != nullptr && !end->is_bool()) {
    in.ctx.NoteBrokenLink();
    in.Error("End", "End must be true or false");
    return;
  }
  bool is_end = end != nullptr && end->get_bool();
  if ((next != nullptr) == is_end) in.ctx.NoteBrokenLink();
  if (next != nullptr && is_end) {
    in.Error("", "a state has either \"Next\" or \"End\": true, not both");
    return;
  }
  if (next == nullptr && !is_end) {
    in.Error("", StrCat("state \"", state.name, "\" needs \"Next\" or \"End\": true"));
    return;
  }
  if (is_end) {
    state.end = true;
    return;
  }
  state.next = ResolveStateName(in, "Next", *next);
}

namespace {

bool LoadPathField(const StateInput& in, std::string_view field, json::PathMode mode,
                   json::Path& out) {
  const json::Value& v = in.object.at(field);
  if (!v.is_string()) {
    in.Error(field, StrCat(field, " must be a string path or null"));
    return false;
  }
  auto path = json::Path::Parse(v.get_string(), mode);
  if (!path.ok()) {
    in.Error(field, std::string(path.status().message()));
    return false;
  }
  out = *std::move(path);
  return true;
}

FilterPath LoadFilterPath(const StateInput& in, std::string_view field) {
  FilterPath fp;
  const json::Value* v = in.object.if_contains(field);
  if (v == nullptr) return fp;
  if (v->is_null()) {
    fp.mode = FilterPath::Mode::kNothing;
    return fp;
  }
  if (LoadPathField(in, field, json::PathMode::kPath, fp.path)) fp.mode = FilterPath::Mode::kPath;
  return fp;
}

}  // namespace

void LoadInputOutputPaths(const StateInput& in, State& state) {
  state.input_path = LoadFilterPath(in, "InputPath");
  state.output_path = LoadFilterPath(in, "OutputPath");
}

ResultPath LoadResultPath(const StateInput& in, std::string_view field,
                          const json::Value* v) {  // field: a full pointer
  ResultPath rp;
  if (v == nullptr) return rp;
  if (v->is_null()) {
    rp.mode = ResultPath::Mode::kDiscard;
    return rp;
  }
  if (!v->is_string()) {
    in.diags().Add(std::string(field), "ResultPath must be a reference path string or null");
    return rp;
  }
  auto path = json::Path::Parse(v->get_string(), json::PathMode::kReferencePath);
  if (!path.ok()) {
    in.diags().Add(std::string(field), std::string(path.status().message()));
    return rp;
  }
  if (path->root() != json::PathRoot::kInput) {
    in.diags().Add(std::string(field), "ResultPath must start with '$.' (not '$$' or a variable)");
    return rp;
  }
  rp.mode = path->segments().empty() ? ResultPath::Mode::kReplace : ResultPath::Mode::kPath;
  rp.path = *std::move(path);
  return rp;
}

std::optional<json::Path> LoadReferencePath(const StateInput& in, std::string_view field) {
  const json::Value* v = in.object.if_contains(field);
  if (v == nullptr) return std::nullopt;
  json::Path path;
  if (!LoadPathField(in, field, json::PathMode::kReferencePath, path)) return std::nullopt;
  return path;
}

std::optional<json::PayloadTemplate> LoadTemplate(const StateInput& in, std::string_view field) {
  const json::Value* v = in.object.if_contains(field);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    in.Error(field, StrCat(field, " must be a JSON object"));
    return std::nullopt;
  }
  std::string base = in.At(field);
  auto sink = [&](const std::string& pointer, const std::string& message) {
    in.diags().Add(base + pointer, message);
  };
  return json::PayloadTemplate::Compile(*v, sink);
}

std::optional<json::PayloadTemplate> LoadAssign(const StateInput& in, const json::Value* v,
                                                const std::string& pointer) {
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    in.diags().Add(pointer, "Assign must be a JSON object of variable names to values");
    return std::nullopt;
  }
  auto sink = [&](const std::string& p, const std::string& message) {
    in.diags().Add(pointer + p, message);
  };
  CheckAndRecordAssignNames(in, v->get_object(), pointer, true);
  return json::PayloadTemplate::Compile(*v, sink);
}

void CheckAndRecordAssignNames(const StateInput& in, const json::Object& assign,
                               const std::string& pointer, bool strip_dollar) {
  auto& names = in.ctx.machine().graphs[static_cast<size_t>(in.graph)].assigned_variables;
  for (const auto& kv : assign) {
    std::string_view key = kv.key();
    std::string name(strip_dollar && key.size() > 2 && key.substr(key.size() - 2) == ".$"
                         ? key.substr(0, key.size() - 2)
                         : key);
    std::string at = StrCat(pointer, "/", EscapePointer(key));
    if (!json::IsVariableName(name) || Utf8Length(name) > 80) {
      in.diags().Add(at, StrCat("\"", name,
                                "\" is not a valid variable name (a letter or '_', then letters, "
                                "digits or '_', at most 80 characters)"));
    } else if (name == "states") {
      in.diags().Add(at, "\"states\" is reserved and cannot be assigned");
    }
    names.emplace_back(std::move(name), std::move(at));
  }
}

NumberSource LoadNumberSource(const StateInput& in, std::string_view field,
                              std::string_view path_field, bool integer, double min, double max) {
  NumberSource src;
  const json::Value* v = in.object.if_contains(field);
  const json::Value* p = in.object.if_contains(path_field);
  if (v != nullptr && p != nullptr) {
    in.Error(path_field, StrCat("give ", field, " or ", path_field, ", not both"));
    return src;
  }
  if (v != nullptr) {
    if (!json::IsNumber(*v) || (integer && !json::IsIntegral(*v)) || json::AsDouble(*v) < min) {
      in.Error(field, StrCat(field, " must be ", integer ? "an integer" : "a number",
                             min > 0 ? " greater than 0" : " of at least 0"));
      return src;
    }
    if (json::AsDouble(*v) > max) {
      in.Error(field, StrCat(field, " must be from ", min, " to ", static_cast<int64_t>(max)));
      return src;
    }
    src.value = json::AsDouble(*v);
  }
  if (p != nullptr) src.path = LoadReferencePath(in, path_field);
  return src;
}

void LoadTaskLikeFields(const StateInput& in, State& state, JsonataFields* jsonata) {
  if (jsonata != nullptr) {
    LoadTransition(in, state);
    if (const json::Value* a = in.object.if_contains("Arguments")) {
      if (!a->is_object() && !(a->is_string() && IsJsonataString(a->get_string()))) {
        in.Error("Arguments",
                 "Arguments must be a JSON object or a JSONata expression \"{% ... %}\"");
      } else {
        jsonata->arguments = LoadJsonataTemplate(in, *a, in.At("Arguments"));
      }
    }
    LoadJsonataOutputAndAssign(in, *jsonata);
    LoadRetryAndCatch(in, state);
    return;
  }
  LoadTransition(in, state);
  LoadInputOutputPaths(in, state);
  state.result_path = LoadResultPath(in, in.At("ResultPath"), in.object.if_contains("ResultPath"));
  state.parameters = LoadTemplate(in, "Parameters");
  state.result_selector = LoadTemplate(in, "ResultSelector");
  state.assign = LoadAssign(in, in.object.if_contains("Assign"), in.At("Assign"));
  LoadRetryAndCatch(in, state);
}

}  // namespace fleetflow::definition
