// Retry and Catch: the shapes ASL requires, with States.ALL alone and last.

#include <cmath>

#include "engine/common/strings.h"
#include "engine/definition/load_context.h"
#include "engine/definition/predefined_errors.h"

namespace fleetflow::definition {

constexpr std::string_view kPredefinedErrorNames[] = {"States.ALL",
                                                      "States.HeartbeatTimeout",
                                                      "States.Timeout",
                                                      "States.TaskFailed",
                                                      "States.Permissions",
                                                      "States.ResultPathMatchFailure",
                                                      "States.ParameterPathFailure",
                                                      "States.QueryEvaluationError",
                                                      "States.BranchFailed",
                                                      "States.NoChoiceMatched",
                                                      "States.IntrinsicFailure",
                                                      "States.ExceedToleratedFailureThreshold",
                                                      "States.ItemReaderFailed",
                                                      "States.ResultWriterFailed",
                                                      "States.DataLimitExceeded",
                                                      "States.Runtime",
                                                      "States.Http.Socket"};

std::span<const std::string_view> PredefinedErrorNames() { return kPredefinedErrorNames; }

bool IsPredefinedError(std::string_view name) {
  for (std::string_view n : kPredefinedErrorNames) {
    if (n == name) return true;
  }
  return false;
}

namespace {

// ErrorEquals: a non-empty array of strings; States.ALL alone.
std::vector<std::string> LoadErrorEquals(const StateInput& in, const json::Object& obj,
                                         const std::string& at, bool last, const char* what) {
  std::vector<std::string> errors;
  const json::Value* v = obj.if_contains("ErrorEquals");
  if (v == nullptr || !v->is_array() || v->get_array().empty()) {
    in.diags().Add(at,
                   StrCat("a ", what, " needs \"ErrorEquals\": a non-empty array of error names"));
    return errors;
  }
  const json::Array& arr = v->get_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string()) {
      in.diags().Add(StrCat(at, "/ErrorEquals/", i), "error names must be strings");
      continue;
    }
    std::string_view name = arr[i].get_string();
    if (name.substr(0, 7) == "States." && !IsPredefinedError(name)) {
      in.diags().Add(StrCat(at, "/ErrorEquals/", i),
                     StrCat("\"", name,
                            "\" is not a predefined error; names starting with "
                            "\"States.\" are reserved (a typo?)"));
    }
    errors.emplace_back(name);
  }
  for (const std::string& e : errors) {
    if (e != "States.ALL") continue;
    if (errors.size() > 1) {
      in.diags().Add(StrCat(at, "/ErrorEquals"), "\"States.ALL\" must appear alone in ErrorEquals");
    } else if (!last) {
      in.diags().Add(StrCat(at, "/ErrorEquals"),
                     StrCat("a ", what, " with \"States.ALL\" must be the last one"));
    }
  }
  return errors;
}

std::optional<double> Number(const StateInput& in, const json::Object& obj, const std::string& at,
                             std::string_view field, bool integer, double min, double max) {
  const json::Value* v = obj.if_contains(field);
  if (v == nullptr) return std::nullopt;
  if (!json::IsNumber(*v) || (integer && !json::IsIntegral(*v)) || json::AsDouble(*v) < min ||
      json::AsDouble(*v) > max) {
    std::string range = max >= 1e9 ? StrCat(" of at least ", min, integer ? "" : ".0")
                                   : StrCat(" from ", min, " to ", max);
    in.diags().Add(StrCat(at, "/", field),
                   StrCat(field, " must be ", integer ? "an integer" : "a number", range));
    return std::nullopt;
  }
  return json::AsDouble(*v);
}

void CheckKeys(const StateInput& in, const json::Object& obj, const std::string& at,
               std::initializer_list<std::string_view> allowed, const char* what) {
  for (const auto& kv : obj) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(kv.key())) == allowed.end()) {
      in.diags().Add(
          StrCat(at, "/", EscapePointer(kv.key())),
          StrCat("field \"", std::string_view(kv.key()), "\" is not allowed in a ", what));
    }
  }
}

Retrier LoadRetrier(const StateInput& in, const json::Object& obj, const std::string& at,
                    bool last) {
  CheckKeys(in, obj, at,
            {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
             "JitterStrategy", "Comment"},
            "retrier");
  Retrier r;
  r.errors = LoadErrorEquals(in, obj, at, last, "retrier");
  if (auto v = Number(in, obj, at, "IntervalSeconds", true, 1, 99999999)) r.interval_seconds = *v;
  if (auto v = Number(in, obj, at, "MaxAttempts", true, 0, 99999999))
    r.max_attempts = static_cast<int>(*v);
  if (auto v = Number(in, obj, at, "BackoffRate", false, 1.0, 1e9)) r.backoff_rate = *v;
  if (auto v = Number(in, obj, at, "MaxDelaySeconds", true, 1, 31622400)) r.max_delay_seconds = *v;
  if (const json::Value* j = obj.if_contains("JitterStrategy")) {
    if (j->is_string() && (j->get_string() == "FULL" || j->get_string() == "NONE")) {
      r.jitter_full = j->get_string() == "FULL";
    } else {
      in.diags().Add(StrCat(at, "/JitterStrategy"), "JitterStrategy must be \"FULL\" or \"NONE\"");
    }
  }
  return r;
}

Catcher LoadCatcher(const StateInput& in, const json::Object& obj, const std::string& at,
                    bool last) {
  for (const auto& kv : obj) {
    std::string_view key = kv.key();
    std::string where = StrCat(at, "/", EscapePointer(key));
    if (key == "ResultPath" && in.jsonata) {
      in.diags().Add(where, JsonPathOnlyMessage(key));
    } else if (key == "Output" && !in.jsonata) {
      in.diags().Add(where, JsonataOnlyMessage(key));
    } else if (key != "ErrorEquals" && key != "Next" && key != "ResultPath" && key != "Output" &&
               key != "Assign" && key != "Comment") {
      in.diags().Add(where, StrCat("field \"", key, "\" is not allowed in a catcher"));
    }
  }
  Catcher c;
  c.errors = LoadErrorEquals(in, obj, at, last, "catcher");
  const json::Value* next = obj.if_contains("Next");
  if (next == nullptr) {
    in.diags().Add(at, "a catcher needs \"Next\" naming the state to go to");
  } else {
    StateInput sub{obj, at, in.names, in.graph, in.index, in.ctx};
    c.next = ResolveStateName(sub, "Next", *next);
  }
  if (in.jsonata) {
    if (const json::Value* o = obj.if_contains("Output")) {
      c.output = LoadJsonataTemplate(in, *o, StrCat(at, "/Output"));
    }
    c.jsonata_assign = LoadJsonataAssign(in, obj.if_contains("Assign"), StrCat(at, "/Assign"));
    return c;
  }
  c.result_path = LoadResultPath(in, StrCat(at, "/ResultPath"), obj.if_contains("ResultPath"));
  c.assign = LoadAssign(in, obj.if_contains("Assign"), StrCat(at, "/Assign"));
  return c;
}

}  // namespace

void LoadRetryAndCatch(const StateInput& in, State& state) {
  if (const json::Value* v = in.object.if_contains("Retry")) {
    if (!v->is_array()) {
      in.Error("Retry", "Retry must be an array of retriers");
    } else {
      const json::Array& arr = v->get_array();
      for (size_t i = 0; i < arr.size(); ++i) {
        std::string at = StrCat(in.At("Retry"), "/", i);
        if (!arr[i].is_object()) {
          in.diags().Add(at, "a retrier must be an object");
          continue;
        }
        state.retry.push_back(LoadRetrier(in, arr[i].get_object(), at, i + 1 == arr.size()));
      }
    }
  }
  if (const json::Value* v = in.object.if_contains("Catch")) {
    if (!v->is_array()) {
      in.Error("Catch", "Catch must be an array of catchers");
    } else {
      const json::Array& arr = v->get_array();
      for (size_t i = 0; i < arr.size(); ++i) {
        std::string at = StrCat(in.At("Catch"), "/", i);
        if (!arr[i].is_object()) {
          in.diags().Add(at, "a catcher must be an object");
          continue;
        }
        state.catchers.push_back(LoadCatcher(in, arr[i].get_object(), at, i + 1 == arr.size()));
      }
    }
  }
}

}  // namespace fleetflow::definition
