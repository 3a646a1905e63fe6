#pragma once
// Shared machinery for loading states: the pointer being read, the errors,
// the names of the current graph, and helpers for the fields every state
// kind shares. Internal to engine/definition.

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/definition/diagnostics.h"
#include "engine/definition/machine_def.h"
#include "engine/json/json.h"

namespace fleetflow::definition {

class LoadContext {
 public:
  LoadContext(MachineDef& machine, Diagnostics& diags) : machine_(machine), diags_(diags) {}

  // Loads {StartAt, States} at `pointer` as a new graph; returns its index.
  int LoadGraph(const json::Object& object, const std::string& pointer, int parent_graph,
                int parent_state, std::initializer_list<std::string_view> extra_fields);

  // Walks the whole document once before loading: records where each state
  // name is defined and reports names used twice (they must be unique in the
  // whole machine, branches and iterators included).
  void CollectStateNames(const json::Object& object, const std::string& pointer);
  // Where `name` is defined anywhere in the machine, or nullptr.
  const std::string* FindStateAnywhere(std::string_view name) const;

  // A transition that could not be resolved; reachability is then not
  // checked, since it would report knock-on errors.
  void NoteBrokenLink() { ++broken_links_; }

  Diagnostics& diags() { return diags_; }
  MachineDef& machine() { return machine_; }

 private:
  MachineDef& machine_;
  Diagnostics& diags_;
  std::map<std::string, std::string, std::less<>> state_pointers_;
  int broken_links_ = 0;
};

// What a state's loader sees: its JSON, its pointer, and its graph's names.
struct StateInput {
  const json::Object& object;
  std::string pointer;  // "/States/Name"
  const std::map<std::string, int, std::less<>>& names;
  int graph = 0;
  int index = 0;
  LoadContext& ctx;
  bool jsonata = false;  // the state's QueryLanguage is JSONata

  Diagnostics& diags() const { return ctx.diags(); }
  std::string At(std::string_view field) const;
  void Error(std::string_view field, std::string message) const;
};

// Reports every field of `in.object` that is not in `allowed`.
void CheckAllowedFields(const StateInput& in, const char* type_name,
                        std::initializer_list<std::string_view> allowed);

// Name -> index, with a "did you mean" hint; -1 when unknown (reported).
int ResolveStateName(const StateInput& in, std::string_view field, const json::Value& value);

// Next/End: exactly one, Next naming a state.
void LoadTransition(const StateInput& in, State& state);

void LoadInputOutputPaths(const StateInput& in, State& state);
ResultPath LoadResultPath(const StateInput& in, std::string_view pointer, const json::Value* value);
std::optional<json::PayloadTemplate> LoadTemplate(const StateInput& in, std::string_view field);
std::optional<json::PayloadTemplate> LoadAssign(const StateInput& in, const json::Value* value,
                                                const std::string& pointer);
void LoadRetryAndCatch(const StateInput& in, State& state);

// The fields Task and Parallel share: Next/End, InputPath, OutputPath,
// ResultPath, Parameters, ResultSelector, Assign, Retry and Catch; in a
// JSONata state (`jsonata` given): Next/End, Arguments, Output, Assign,
// Retry and Catch.
void LoadTaskLikeFields(const StateInput& in, State& state, JsonataFields* jsonata = nullptr);

// --- JSONata states (jsonata_fields.cc)
// Messages for a field of the other query language.
std::string JsonPathOnlyMessage(std::string_view field);
std::string JsonataOnlyMessage(std::string_view field);
// A template at `pointer` ("{% %}" strings compiled, errors located). An
// expression naming a `$states` member the field cannot see ($states.result
// outside the Output and Assign of Task, Parallel and Map; $states.errorOutput
// outside a catcher) is an error too.
JsonataTemplate LoadJsonataTemplate(const StateInput& in, const json::Value& v,
                                    const std::string& pointer);
// Assign of a JSONata state or catcher: an object of variable names.
std::optional<JsonataTemplate> LoadJsonataAssign(const StateInput& in, const json::Value* v,
                                                 const std::string& pointer);
// Output and Assign of a JSONata state.
void LoadJsonataOutputAndAssign(const StateInput& in, JsonataFields& f);
// A number field of a JSONata state: a literal (range-checked into
// src.value) or an expression (into `expr`).
void LoadJsonataNumber(const StateInput& in, std::string_view field, bool integer, double min,
                       double max, NumberSource& src, std::optional<JsonataTemplate>& expr);
// A string field of a JSONata state (Fail's Error and Cause).
void LoadJsonataString(const StateInput& in, std::string_view field,
                       std::optional<std::string>& literal, std::optional<JsonataTemplate>& expr);
// Checks the names of an Assign object and records them for the scope checks.
void CheckAndRecordAssignNames(const StateInput& in, const json::Object& assign,
                               const std::string& pointer, bool strip_dollar);

// A number field or its ...Path twin (never both), from `min` to `max`.
constexpr double kMaxSeconds = 99999999;  // AWS's ceiling for timeouts
constexpr double kMaxCount = 2147483647;  // counts and concurrency
NumberSource LoadNumberSource(const StateInput& in, std::string_view field,
                              std::string_view path_field, bool integer, double min,
                              double max = kMaxCount);

std::optional<json::Path> LoadReferencePath(const StateInput& in, std::string_view field);

// Per state kind (one file each under states/).
void LoadPass(const StateInput& in, State& state);
void LoadTask(const StateInput& in, State& state);
void LoadChoice(const StateInput& in, State& state);
void LoadWait(const StateInput& in, State& state);
void LoadSucceed(const StateInput& in, State& state);
void LoadFail(const StateInput& in, State& state);
void LoadParallel(const StateInput& in, State& state);
void LoadMap(const StateInput& in, State& state);

using json::EscapePointer;

// True for an RFC 3339 timestamp as ASL accepts it (IsTimestamp, Wait).
bool IsRfc3339(std::string_view text);

}  // namespace fleetflow::definition
