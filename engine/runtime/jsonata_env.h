#pragma once
// Evaluation of a JSONata state's expressions: `$states` (input, result,
// errorOutput, context) and the visible workflow variables bound by
// reference, Step Functions' functions ($partition, $range, $hash, $random,
// $uuid, $parse; $eval disabled), and AWS's States.QueryEvaluationError
// causes. Internal to engine/runtime.

#include <optional>
#include <string>
#include <string_view>

#include "engine/common/failure.h"
#include "engine/definition/jsonata_template.h"
#include "engine/jsonata/jsonata.h"
#include "engine/runtime/state_scope.h"

namespace fleetflow::runtime {

class JsonataEnv {
 public:
  // `scope` supplies the context object ($states.context) and the variables.
  JsonataEnv(Step& step, int frame_id, StateScope& scope);
  JsonataEnv(const JsonataEnv&) = delete;
  JsonataEnv& operator=(const JsonataEnv&) = delete;

  void set_input(const json::Value* v) { input_ = v; }
  void set_result(const json::Value* v) { result_ = v; }
  void set_error_output(const json::Value* v) { error_output_ = v; }

  // Evaluates `t`; `field` names it in causes ("Output", "Choices[0]/Condition").
  // An expression that yields nothing (undefined) fails.
  Result<json::Value> Evaluate(const definition::JsonataTemplate& t, std::string_view field);

  // Assign: the new variables, within AWS's size limits.
  Result<json::Object> EvaluateAssign(const definition::JsonataTemplate& t, std::string_view field);

  // A Task's Credentials: {"RoleArn": ...} evaluated; RoleArn must be a
  // non-empty string.
  Result<json::Value> EvaluateCredentials(const definition::JsonataTemplate& t);

  // A value of the wrong type or range for `field`.
  static Failure Unexpected(const definition::JsonataTemplate& t, std::string_view field,
                            std::string_view expected, const json::Value& got);

 private:
  Result<json::Value> EvalNode(const definition::JsonataTemplate::Node& node, std::string& field);
  void Bind(uint8_t uses);

  Step& step_;
  int frame_id_;
  StateScope& scope_;
  const json::Value* input_ = nullptr;
  const json::Value* result_ = nullptr;
  const json::Value* error_output_ = nullptr;
  jsonata::Bindings bindings_;
  bool prepared_ = false;
  std::optional<json::Value> whole_;  // `$states` as one object (kUsesWhole)
  jsonata::EvalOptions options_;
};

// "QueryEvaluationError" failures and the field names AWS uses.
inline constexpr const char* kQueryEvaluationError = "States.QueryEvaluationError";

}  // namespace fleetflow::runtime
