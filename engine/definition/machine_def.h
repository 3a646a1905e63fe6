#pragma once
// The immutable model of a state machine. Loading resolves every name to an
// index and parses every path, template and intrinsic call once, so running
// a state never re-reads the definition's JSON.

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/definition/jsonata_template.h"
#include "engine/json/json.h"
#include "engine/json/path.h"
#include "engine/json/payload_template.h"

namespace fleetflow::definition {

enum class QueryLanguage { kJsonPath, kJsonata };

enum class StateType { kPass, kTask, kChoice, kWait, kSucceed, kFail, kParallel, kMap };

const char* StateTypeName(StateType type);

// InputPath / OutputPath: absent means "$" (all of it), null means {}.
struct FilterPath {
  enum class Mode { kAll, kNothing, kPath };
  Mode mode = Mode::kAll;
  json::Path path;
};

// ResultPath: absent means "$" (the result replaces the input), null
// discards the result, else a reference path where the result is placed.
struct ResultPath {
  enum class Mode { kReplace, kDiscard, kPath };
  Mode mode = Mode::kReplace;
  json::Path path;
};

// A number given inline or read from the input with a reference path
// (TimeoutSeconds / TimeoutSecondsPath, MaxConcurrency / ...Path).
struct NumberSource {
  std::optional<double> value;
  std::optional<json::Path> path;
  bool present() const { return value.has_value() || path.has_value(); }
};

struct Retrier {
  std::vector<std::string> errors;
  double interval_seconds = 1;
  int max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<double> max_delay_seconds;
  bool jitter_full = false;
};

struct Catcher {
  std::vector<std::string> errors;
  int next = -1;
  ResultPath result_path;
  std::optional<json::PayloadTemplate> assign;
  // JSONata states: Output and Assign ($states.errorOutput is the error).
  std::optional<JsonataTemplate> output;
  std::optional<JsonataTemplate> jsonata_assign;
};

enum class Comparator {
  kStringEquals,
  kStringLessThan,
  kStringGreaterThan,
  kStringLessThanEquals,
  kStringGreaterThanEquals,
  kStringMatches,
  kNumericEquals,
  kNumericLessThan,
  kNumericGreaterThan,
  kNumericLessThanEquals,
  kNumericGreaterThanEquals,
  kBooleanEquals,
  kTimestampEquals,
  kTimestampLessThan,
  kTimestampGreaterThan,
  kTimestampLessThanEquals,
  kTimestampGreaterThanEquals,
  kIsNull,
  kIsPresent,
  kIsNumeric,
  kIsString,
  kIsBoolean,
  kIsTimestamp,
};

struct ChoiceRule {
  enum class Kind { kAnd, kOr, kNot, kCompare };
  Kind kind = Kind::kCompare;
  std::vector<ChoiceRule> children;  // And/Or: several; Not: one
  json::Path variable;
  Comparator comparator = Comparator::kStringEquals;
  json::Value operand;                          // the literal to compare with
  std::optional<json::Path> operand_path;       // the ...Path twins
  int next = -1;                                // top-level rules only
  std::optional<json::PayloadTemplate> assign;  // top-level rules only
  // JSONata rules: Condition, and their own Output and Assign.
  std::optional<JsonataTemplate> condition;
  std::optional<JsonataTemplate> output;
  std::optional<JsonataTemplate> jsonata_assign;
};

struct PassSpec {
  json::ValuePtr result;  // null when the state has no Result
};

struct TaskSpec {
  std::string resource;
  NumberSource timeout_seconds;
  NumberSource heartbeat_seconds;
  std::optional<json::Value> credentials;
};

struct ChoiceSpec {
  std::vector<ChoiceRule> choices;
  int default_next = -1;
};

struct WaitSpec {
  std::optional<double> seconds;
  std::optional<json::Path> seconds_path;
  std::optional<std::string> timestamp;
  std::optional<json::Path> timestamp_path;
};

struct FailSpec {
  std::optional<std::string> error, cause;
  std::optional<json::PayloadTemplate::Node> error_path, cause_path;  // path or intrinsic
};

struct ParallelSpec {
  std::vector<int> branches;  // graph indices
};

// Distributed Map's ItemBatcher: items grouped into {"Items": [...], "BatchInput": ...}.
// In a JSONata state the expressions are in JsonataFields.
struct ItemBatcherSpec {
  NumberSource max_items_per_batch;
  NumberSource max_input_bytes_per_batch;
  std::optional<json::PayloadTemplate> batch_input;
};

struct MapSpec {
  int processor = -1;  // graph index
  // Mode DISTRIBUTED runs its child executions as frames of this execution,
  // like INLINE, but with distributed Map's rules (failure threshold 0 by
  // default, ItemBatcher allowed).
  bool distributed = false;
  std::optional<ItemBatcherSpec> batcher;
  std::optional<json::Path> items_path;
  std::optional<json::PayloadTemplate> item_selector;
  NumberSource max_concurrency;
  NumberSource tolerated_failure_count;
  NumberSource tolerated_failure_percentage;
  std::string label;
};

// The fields of a JSONata state (null for JSONPath states). The number and
// string fields hold an expression only when given as "{% ... %}"; literal
// values stay in the state's spec.
struct JsonataFields {
  std::optional<JsonataTemplate> arguments;  // Task, Parallel
  std::optional<JsonataTemplate> output;
  std::optional<JsonataTemplate> assign;
  std::optional<JsonataTemplate> timeout_seconds, heartbeat_seconds;  // Task
  std::optional<JsonataTemplate> seconds, timestamp;                  // Wait
  std::optional<JsonataTemplate> error, cause;                        // Fail
  std::optional<JsonataTemplate> items, item_selector;                // Map
  std::optional<JsonataTemplate> max_concurrency, tolerated_failure_count,
      tolerated_failure_percentage;
  // Map's ItemBatcher (its literal numbers stay in MapSpec::batcher).
  std::optional<JsonataTemplate> max_items_per_batch, max_input_bytes_per_batch, batch_input;
  std::optional<JsonataTemplate> credentials;  // Task: {"RoleArn": ...}
};

using StateSpec = std::variant<PassSpec, TaskSpec, ChoiceSpec, WaitSpec, std::monostate, FailSpec,
                               ParallelSpec, MapSpec>;

struct State {
  std::string name;
  StateType type = StateType::kPass;
  std::string comment;
  int next = -1;     // -1 with end == true: the graph ends here
  bool end = false;  // Succeed/Fail/Choice end implicitly
  FilterPath input_path;
  FilterPath output_path;
  ResultPath result_path;
  std::optional<json::PayloadTemplate> parameters;
  std::optional<json::PayloadTemplate> result_selector;
  std::optional<json::PayloadTemplate> assign;
  std::vector<Retrier> retry;
  std::vector<Catcher> catchers;
  StateSpec spec;
  QueryLanguage query_language = QueryLanguage::kJsonPath;
  std::shared_ptr<const JsonataFields> jsonata;  // set for JSONata states

  bool is_jsonata() const { return jsonata != nullptr; }

  template <typename T>
  const T& As() const {
    return std::get<T>(spec);
  }
};

// The states of one level: the machine, a Parallel branch or a Map processor.
struct Graph {
  std::vector<State> states;
  int start = 0;
  int parent_graph = -1;  // -1 for the machine's top level
  int parent_state = -1;  // the Parallel/Map state in parent_graph
  // Variables any Assign in this graph writes (name, JSON pointer), for the
  // scope checks.
  std::vector<std::pair<std::string, std::string>> assigned_variables;
};

struct MachineDef {
  std::vector<Graph> graphs;  // graphs[0] is the top level
  std::string comment;
  std::optional<double> timeout_seconds;
  std::string version;
  QueryLanguage query_language = QueryLanguage::kJsonPath;  // the top level's

  const Graph& top() const { return graphs[0]; }
};

using MachinePtr = std::shared_ptr<const MachineDef>;

}  // namespace fleetflow::definition
