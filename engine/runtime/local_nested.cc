#include "engine/runtime/local_nested.h"

#include <string>

#include "engine/common/strings.h"
#include "engine/runtime/local_runner.h"

namespace fleetflow::runtime {

LocalNestedExecutions::LocalNestedExecutions(std::map<std::string, definition::MachinePtr> machines,
                                             Clock& clock, InterpreterOptions options,
                                             RegistryFor registry_for)
    : machines_(std::move(machines)),
      clock_(clock),
      options_(options),
      registry_for_(std::move(registry_for)) {}

void LocalNestedExecutions::Invoke(const DispatchTask& task, TaskCallback done) {
  if (!IsNestedExecution(task.resource)) {
    return done(Failure{"States.Runtime", StrCat("unknown resource '", task.resource, "'")});
  }
  Result<NestedStart> start = ReadNestedStart(task);
  if (!start.ok()) return done(std::move(start).failure());
  Result<ChildExecution> child = RunChild(task, start.value());
  if (!child.ok()) return done(std::move(child).failure());
  switch (start.value().mode) {
    case NestedMode::kStart:
    case NestedMode::kCallback:
      // The child has already ended here; a callback child has answered
      // (or not) through SendTask*, which a local run does not have.
      return done(StartedResult(child.value().arn, child.value().start));
    case NestedMode::kSync:
    case NestedMode::kSyncJson:
      return done(EndedOutcome(start.value().mode, child.value()));
  }
}

Result<ChildExecution> LocalNestedExecutions::RunChild(const DispatchTask& task,
                                                       const NestedStart& start) {
  std::string machine_name = MachineNameOfArn(start.machine_arn);
  auto machine = machines_.find(machine_name);
  if (machine == machines_.end()) {
    return Failure{kMachineDoesNotExist,
                   StrCat("state '", task.state_name, "': no machine '", machine_name,
                          "' in this run; import it (docs/dsl.md, section 5)")};
  }
  if (depth_ >= kMaxDepth) {
    return Failure{"StepFunctions.ExecutionLimitExceeded",
                   StrCat("state '", task.state_name, "': nested executions deeper than ",
                          kMaxDepth, " levels")};
  }
  ExecutionIdentity identity;
  identity.machine_name = machine_name;
  identity.name = start.name.empty() ? DerivedChildName(task.token) : start.name;
  std::string arn =
      StrCat("arn:fleetflow:states:local:execution:", machine_name, ":", identity.name);
  if (!started_.insert(arn).second) {
    return Failure{kExecutionAlreadyExists,
                   StrCat("state '", task.state_name, "': execution '", arn, "' already exists")};
  }
  // Reproducible runs: the child's randomness follows from its ARN.
  std::string digest = DerivedChildName(arn);
  identity.seed = std::stoull(digest.substr(0, 8) + digest.substr(9, 4), nullptr, 16);

  auto input = json::Parse(start.input);  // checked by ReadNestedStart
  Interpreter interpreter(machine->second, options_);
  LocalRunner runner(interpreter, registry_for_(machine_name), clock_);
  absl::Time started_at = clock_.Now();
  ++depth_;
  RunResult run = runner.Run(identity, json::Share(input.ok() ? *std::move(input) : json::Value()));
  --depth_;

  ChildExecution child;
  child.arn = arn;
  child.machine_arn = StrCat("arn:fleetflow:states:local:stateMachine:", machine_name);
  child.name = identity.name;
  child.input = start.input;
  child.start = started_at;
  child.stop = clock_.Now();
  const ExecutionState& s = run.state;
  child.status = ExecutionStatusName(s.status);
  if (s.status == ExecutionStatus::kSucceeded) {
    child.output = s.output ? json::Serialize(*s.output) : "null";
  } else if (s.status == ExecutionStatus::kRunning) {
    // Waiting for something that cannot come in this process.
    child.status = "FAILED";
    child.error = "Fleetflow.Stalled";
    child.cause = "the nested execution waits for something that can never happen here";
  } else {
    child.error = s.failure.error;
    child.cause = s.failure.cause;
  }
  children_.push_back(child);
  return child;
}

}  // namespace fleetflow::runtime
