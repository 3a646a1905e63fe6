#pragma once
// Nested executions: a Task whose resource is Step Functions' own
// startExecution integration starts an execution of another machine.
//
//   arn:aws:states:::states:startExecution                   starts it; the result is
//                                                            {ExecutionArn, StartDate}
//   arn:aws:states:::states:startExecution.sync              waits for its end; the result
//                                                            describes it, Input/Output as JSON
//                                                            text
//   arn:aws:states:::states:startExecution.sync:2            the same, Input/Output as JSON
//   arn:aws:states:::states:startExecution.waitForTaskToken  starts it; the task ends when a
//                                                            SendTask* names its token
//
// The task's effective input (Parameters or Arguments) has StateMachineArn,
// Input (JSON, or JSON text) and Name. A child that does not succeed fails a
// waiting Task with States.TaskFailed and its description as the cause.
// Starting fails with "StepFunctions.<AWS exception name>" errors.
//
// This file is the integration's contract; the durable server and the local
// runner each start children their own way (engine/server/nested_executions,
// engine/runtime/local_nested).

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "engine/common/failure.h"
#include "engine/json/json.h"
#include "engine/runtime/decision.h"
#include "engine/runtime/resource_registry.h"

namespace fleetflow::runtime {

inline constexpr std::string_view kStartExecutionResource =
    "arn:aws:states:::states:startExecution";

enum class NestedMode { kStart, kSync, kSyncJson, kCallback };

struct NestedStart {
  NestedMode mode = NestedMode::kStart;
  std::string machine_arn;  // as written
  std::string name;         // empty: the runner chooses (see DerivedChildName)
  std::string input;        // JSON text
};

bool IsNestedExecution(std::string_view resource);

// Reads the task's parameters; bad ones fail the task with
// StepFunctions.InvalidArn / InvalidName / InvalidExecutionInput.
Result<NestedStart> ReadNestedStart(const DispatchTask& task);

// The machine's name in a state machine, version or alias ARN of any
// partition ("arn:aws:states:eu-west-1:123:stateMachine:Mission:3" gives
// "Mission"), or "" when `arn` is not one.
std::string MachineNameOfArn(std::string_view arn);

// A name for a child started without one, the same every time the same
// task is dispatched (a redispatch after a crash finds the child it started).
std::string DerivedChildName(const std::string& task_token);

// What a child execution looked like when it ended.
struct ChildExecution {
  std::string arn;
  std::string machine_arn;
  std::string name;
  std::string status;  // SUCCEEDED, FAILED, TIMED_OUT, ABORTED
  std::string input;   // JSON text
  std::string output;  // JSON text, when it succeeded
  std::string error, cause;
  absl::Time start = absl::InfinitePast();
  absl::Time stop = absl::InfinitePast();
};

// The result of a kStart or kCallback task.
json::Value StartedResult(const std::string& execution_arn, absl::Time start);
// The outcome of a kSync or kSyncJson task: the description when the child
// succeeded, else States.TaskFailed with the description as the cause.
TaskOutcome EndedOutcome(NestedMode mode, const ChildExecution& child);

// Error names of the integration.
inline constexpr const char* kMachineDoesNotExist =
    "StepFunctions.StateMachineDoesNotExistException";
inline constexpr const char* kExecutionAlreadyExists =
    "StepFunctions.ExecutionAlreadyExistsException";

}  // namespace fleetflow::runtime
