#pragma once
// Nested executions in this process, for `fleetflow run` and `fleetflow
// test`: the machines a file imports are known by name, and a child runs to
// its end inside the parent's task dispatch, on the parent's clock (with a
// virtual clock its waits are instant too). What the parent sees is what the
// durable server gives (engine/runtime/nested_execution.h).

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/definition/machine_def.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/interpreter.h"
#include "engine/runtime/nested_execution.h"
#include "engine/runtime/resource_registry.h"

namespace fleetflow::runtime {

class LocalNestedExecutions final : public TaskHandler {
 public:
  // The registry the tasks of an execution of `machine` are dispatched to
  // (its mocks, and this handler for its own children).
  using RegistryFor = std::function<const ResourceRegistry&(const std::string& machine)>;

  // Deeper nesting fails the task: a machine that starts itself forever
  // must not exhaust the stack.
  static constexpr int kMaxDepth = 16;

  LocalNestedExecutions(std::map<std::string, definition::MachinePtr> machines, Clock& clock,
                        InterpreterOptions options, RegistryFor registry_for);

  void Invoke(const DispatchTask& task, TaskCallback done) override;

  // The children run so far, in the order they started.
  const std::vector<ChildExecution>& children() const { return children_; }

 private:
  Result<ChildExecution> RunChild(const DispatchTask& task, const NestedStart& start);

  std::map<std::string, definition::MachinePtr> machines_;
  Clock& clock_;
  InterpreterOptions options_;
  RegistryFor registry_for_;
  int depth_ = 0;
  std::set<std::string> started_;  // execution ARNs: a name is used once
  std::vector<ChildExecution> children_;
};

}  // namespace fleetflow::runtime
