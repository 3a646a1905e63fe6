#include "engine/definition/dsl/keywords.h"

#include <algorithm>
#include <map>

#include "engine/definition/predefined_errors.h"

namespace fleetflow::definition::dsl {

namespace {

const std::vector<std::string>& Keywords() {
  static const std::vector<std::string> kWords = {
      "import",   "machine", "start",       "pass",     "task",        "run",         "choice",
      "wait",     "succeed", "fail",        "parallel", "map",         "branch",      "do",
      "batch",    "comment", "version",     "timeout",  "heartbeat",   "query",       "jsonpath",
      "jsonata",  "input",   "output",      "into",     "args",        "result",      "select",
      "item",     "assign",  "credentials", "reader",   "writer",      "concurrency", "tolerate",
      "count",    "percent", "mode",        "inline",   "distributed", "label",       "error",
      "cause",    "name",    "nowait",      "next",     "end",         "retry",       "every",
      "attempts", "backoff", "max_delay",   "jitter",   "full",        "none",        "catch",
      "when",     "else",    "and",         "or",       "not",         "is",          "matches",
      "present",  "string",  "number",      "bool",     "timestamp",   "null",        "true",
      "false",    "for",     "until",       "over",     "max_items",   "max_bytes",   "standard",
      "express"};
  return kWords;
}

const std::map<std::string, std::vector<std::string>, std::less<>>& Table() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> kTable = {
      {"pass",
       {"comment", "query", "input", "args", "result", "into", "output", "assign", "next", "end"}},
      {"task",
       {"comment", "query", "input", "args", "timeout", "heartbeat", "credentials", "select",
        "into", "output", "assign", "retry", "catch", "next", "end"}},
      {"run",
       {"comment", "query", "input", "args", "name", "timeout", "heartbeat", "credentials",
        "select", "into", "output", "assign", "retry", "catch", "next", "end"}},
      {"choice", {"comment", "query", "input", "output", "assign", "when", "else"}},
      {"wait", {"comment", "query", "input", "output", "assign", "next", "end"}},
      {"succeed", {"comment", "query", "input", "output"}},
      {"fail", {"comment", "query", "error", "cause"}},
      {"parallel",
       {"comment", "query", "input", "args", "select", "into", "output", "assign", "retry", "catch",
        "next", "end", "branch"}},
      {"map", {"comment",  "query", "input",  "mode",   "label",  "item", "concurrency",
               "tolerate", "batch", "reader", "writer", "select", "into", "output",
               "assign",   "retry", "catch",  "next",   "end",    "do"}},
  };
  return kTable;
}

}  // namespace

bool IsKeyword(std::string_view word) {
  const auto& k = Keywords();
  return std::find(k.begin(), k.end(), word) != k.end();
}

const std::vector<std::string>& StateKeywords() {
  static const std::vector<std::string> kStates = {"pass",    "task", "run",      "choice", "wait",
                                                   "succeed", "fail", "parallel", "map"};
  return kStates;
}

bool IsStateKeyword(std::string_view word) {
  const auto& k = StateKeywords();
  return std::find(k.begin(), k.end(), word) != k.end();
}

const std::vector<std::string>& FieldsOf(std::string_view kind) {
  static const std::vector<std::string> kNone;
  auto it = Table().find(kind);
  return it == Table().end() ? kNone : it->second;
}

bool IsField(std::string_view word) {
  for (const auto& [kind, fields] : Table()) {
    if (std::find(fields.begin(), fields.end(), word) != fields.end()) return true;
  }
  return false;
}

std::string KindsAllowing(std::string_view field) {
  std::vector<std::string> kinds;
  for (const std::string& kind : StateKeywords()) {
    const auto& f = FieldsOf(kind);
    if (std::find(f.begin(), f.end(), field) != f.end()) kinds.push_back(kind);
  }
  std::string out;
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) out += i + 1 == kinds.size() ? " and " : ", ";
    out += kinds[i];
  }
  return out + (kinds.size() == 1 ? " states" : " states");
}

const std::vector<std::string>& IntrinsicNames() {
  static const std::vector<std::string> kNames = {
      "States.Format",         "States.StringToJson",  "States.JsonToString", "States.Array",
      "States.ArrayPartition", "States.ArrayContains", "States.ArrayRange",   "States.ArrayGetItem",
      "States.ArrayLength",    "States.ArrayUnique",   "States.Base64Encode", "States.Base64Decode",
      "States.Hash",           "States.JsonMerge",     "States.MathRandom",   "States.MathAdd",
      "States.StringSplit",    "States.UUID"};
  return kNames;
}

const std::vector<std::string>& PredefinedErrors() {
  static const std::vector<std::string> kNames(PredefinedErrorNames().begin(),
                                               PredefinedErrorNames().end());
  return kNames;
}

bool IsPredefinedError(std::string_view name) { return definition::IsPredefinedError(name); }

}  // namespace fleetflow::definition::dsl
