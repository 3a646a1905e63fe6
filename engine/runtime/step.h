#pragma once
// One step of the interpreter: the working context shared by the evaluators
// of each state kind. Internal to engine/runtime.

#include <optional>
#include <string>
#include <string_view>

#include "engine/definition/machine_def.h"
#include "engine/runtime/decision.h"
#include "engine/runtime/execution_state.h"
#include "engine/runtime/interpreter.h"

namespace fleetflow::json {
class PayloadTemplate;
}

namespace fleetflow::runtime {

namespace def = fleetflow::definition;

class StateScope;
class JsonataEnv;

class Step {
 public:
  Step(const def::MachineDef& machine, ExecutionState& state, Decision& decision, absl::Time now,
       const InterpreterOptions& options)
      : machine_(machine), s_(state), d_(decision), now_(now), options_(options) {}

  // Runs ready frames until none is left.
  void RunReady();

  // --- frames
  int NewFrame(int parent, int graph, json::ValuePtr input, int64_t child_index);
  void EnterState(int frame_id, int state_index, json::ValuePtr input);
  Frame& frame(int id) { return s_.frames[static_cast<size_t>(id)]; }
  const def::State& StateOf(const Frame& f) const {
    return machine_.graphs[static_cast<size_t>(f.graph)].states[static_cast<size_t>(f.state)];
  }

  // --- outcomes of a state
  // The state produced `output`: go to its Next, or end the frame.
  void Transition(int frame_id, json::ValuePtr output);
  void GoTo(int frame_id, int next, json::ValuePtr output);
  // The state failed: retry, catch, or fail the frame.
  void FailState(int frame_id, Failure failure);
  // The frame's graph ended (Succeed, End, or an uncaught failure).
  void EndFrame(int frame_id, json::ValuePtr output);
  void FailFrame(int frame_id, Failure failure);
  void FinishExecution(ExecutionStatus status, json::ValuePtr output, Failure failure);
  // Removes a frame and its descendants, cancelling what they wait for.
  void AbortFrame(int frame_id, bool emit);
  // Frees a dead frame's slot; with `keep_for_redrive` the frame moves to
  // ExecutionState::unwound.
  void Bury(int frame_id, bool keep_for_redrive);
  // RedriveExecution: brings back the frames of ExecutionState::unwound.
  void RestoreUnwound();

  // --- per-kind evaluators (one file each)
  void RunPass(int frame_id);
  void RunTask(int frame_id);
  void RunChoice(int frame_id);
  void RunWait(int frame_id);
  void RunSucceed(int frame_id);
  void RunFail(int frame_id);
  void RunParallel(int frame_id);
  void RunMap(int frame_id);
  void OnChildDone(int parent_id, int child_id, const json::ValuePtr* output,
                   const Failure* failure);
  void StartMapIterations(int frame_id);
  void FinishFanOut(int frame_id);
  // Aborts the running branches/iterations and fails the Parallel/Map state.
  void FailFanOut(int frame_id, Failure failure);

  // Task results from outside.
  void CompleteTask(int frame_id, json::Value result);
  void OnTimer(int64_t timer_id);

  // --- helpers
  HistoryEvent* Emit(int frame_id, EventType type);
  int64_t ArmTimer(int frame_id, absl::Time due, Frame::TimerKind kind);
  void CancelFrameTimer(Frame& f);
  // A failure raised by the interpreter itself, with AWS's prefix.
  Failure StateFailure(const Frame& f, std::string error, std::string_view cause) const;
  // Choice and Wait: evaluates `assign` (may be null; $ is the scope's input),
  // applies OutputPath to `data`, then stores the new variables. On failure
  // the state fails and nullptr is returned.
  json::ValuePtr AssignAndOutput(int frame_id, const json::PayloadTemplate* assign,
                                 const json::ValuePtr& data, StateScope& scope);
  // Completes a Task/Parallel/Map state whose raw result is `result`.
  void CompleteWithResult(int frame_id, json::ValuePtr result);

  // --- JSONata states (jsonata_states.cc)
  // Evaluates Assign and Output (both see the variables as they were when
  // the state was entered), then stores the new variables. Without Output
  // the output is `fallback`. `prefix` names a Choice rule or a catcher in
  // causes ("Choices[0]/"). On failure the state fails (a catcher's
  // failure fails the frame) and nullptr is returned.
  json::ValuePtr JsonataAssignAndOutput(int frame_id, JsonataEnv& env,
                                        const def::JsonataTemplate* assign,
                                        const def::JsonataTemplate* output,
                                        const json::ValuePtr& fallback, std::string_view prefix,
                                        bool in_catch = false,
                                        std::optional<std::string_view> output_prefix = {});
  // Wait: continues with `output` at `due` (at once when it has passed).
  void WaitUntil(int frame_id, absl::Time due, json::ValuePtr output);
  void RunJsonataMap(int frame_id);
  void BeginMap(int frame_id, json::ValuePtr items, json::ValuePtr effective_input,
                std::optional<double> concurrency, std::optional<double> tolerated_count,
                std::optional<double> percentage, bool items_prepared);
  void RunJsonataPass(int frame_id);
  void RunJsonataChoice(int frame_id);
  void RunJsonataSucceed(int frame_id);
  void RunJsonataFail(int frame_id);
  void RunJsonataParallel(int frame_id);
  void CompleteJsonataResult(int frame_id, json::ValuePtr result);
  void ApplyJsonataCatch(int frame_id, const def::Catcher& catcher, const Failure& failure);
  // A Map iteration's input: ItemSelector with $states.context.Map.Item.
  Result<json::ValuePtr> JsonataItemInput(int frame_id, int64_t index, const json::Value& item);

  const def::MachineDef& machine() const { return machine_; }
  ExecutionState& state() { return s_; }
  absl::Time now() const { return now_; }
  const InterpreterOptions& options() const { return options_; }
  uint64_t NextRandom();

 private:
  void ApplyCatch(int frame_id, const def::Catcher& catcher, const Failure& failure);

  const def::MachineDef& machine_;
  ExecutionState& s_;
  Decision& d_;
  absl::Time now_;
  const InterpreterOptions& options_;
};

}  // namespace fleetflow::runtime
