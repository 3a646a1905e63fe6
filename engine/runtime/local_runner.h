#pragma once
// Runs one execution in this process, from start to end: the interpreter
// decides, task handlers answer, timers fire on the clock (a virtual clock
// makes every wait instant). Used by `fleetflow run`, tests and benchmarks.

#include <functional>
#include <vector>

#include "engine/runtime/clock.h"
#include "engine/runtime/interpreter.h"
#include "engine/runtime/resource_registry.h"

namespace fleetflow::runtime {

struct RunResult {
  definition::MachinePtr machine;  // history events point at its state names
  ExecutionState state;
  std::vector<HistoryEvent> history;  // empty unless history is recorded
};

class LocalRunner {
 public:
  LocalRunner(const Interpreter& interpreter, const ResourceRegistry& resources, Clock& clock)
      : interpreter_(interpreter), resources_(resources), clock_(clock) {}

  RunResult Run(const ExecutionIdentity& identity, const json::ValuePtr& input);

  // Encodes and decodes the state after every step, as the durable engine
  // does when it stores and reloads an execution: a test of the codec.
  void set_roundtrip_state(bool on) { roundtrip_state_ = on; }

 private:
  const Interpreter& interpreter_;
  const ResourceRegistry& resources_;
  Clock& clock_;
  bool roundtrip_state_ = false;
};

}  // namespace fleetflow::runtime
