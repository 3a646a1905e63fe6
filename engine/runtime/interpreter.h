#pragma once
// The pure interpreter: (MachineDef, ExecutionState, Event, now) -> Decision.
// It performs no I/O and reads no clock; randomness comes from the state. It
// updates the state in place (the new state) and returns the history events
// and commands of the step. The caller commits both, then runs the commands.

#include "absl/time/time.h"
#include "engine/definition/machine_def.h"
#include "engine/runtime/decision.h"
#include "engine/runtime/execution_state.h"

namespace fleetflow::runtime {

struct InterpreterOptions {
  bool record_history = true;
  size_t max_payload_bytes = size_t{256} * 1024;  // AWS's limit on a state's input/output
  size_t inline_map_concurrency = 40;  // AWS inline Map's ceiling when MaxConcurrency is 0
  // AWS fails a standard execution at 25,000 history events; the limit also
  // stops a machine that loops forever.
  int64_t max_history_events = 25'000;
};

struct ExecutionIdentity {
  std::string name;  // execution name
  std::string machine_name;
  uint64_t seed = 1;  // for MathRandom, UUID and jitter
};

// Why `state` cannot be redriven (AWS's redriveStatusReason wording), or
// empty when it can.
std::string RedriveBlocker(const ExecutionState& state);

// Redrive client tokens (AWS: the last 10, each valid for 15 minutes). Seen:
// `token` redrove this execution already. Keep: records it after a redrive,
// dropping expired and surplus ones. An empty token is never seen or kept.
bool SeenRedriveToken(const ExecutionState& state, const std::string& token, absl::Time now);
void KeepRedriveToken(ExecutionState& state, const std::string& token, absl::Time now);

class Interpreter {
 public:
  explicit Interpreter(definition::MachinePtr machine, InterpreterOptions options = {});

  // Resets `state` to a new execution of the machine and runs it until every
  // frame waits or the execution ends.
  Decision Start(ExecutionState& state, const ExecutionIdentity& identity,
                 const json::ValuePtr& input, absl::Time now) const;

  // Applies one event. Events for tasks or timers that are no longer awaited
  // (a stale token, a cancelled timer) are ignored.
  Decision Handle(ExecutionState& state, const Event& event, absl::Time now) const;

  // RedriveExecution: continues an execution that failed, timed out or was
  // aborted from where it stopped. Frames that failed or were aborted run
  // their state again (fresh retries, new tasks); Parallel and Map states
  // keep the results of branches and iterations that finished. The caller
  // checks RedriveBlocker first.
  Decision Redrive(ExecutionState& state, absl::Time now) const;

  const definition::MachineDef& machine() const { return *machine_; }
  const definition::MachinePtr& machine_ptr() const { return machine_; }

 private:
  definition::MachinePtr machine_;
  InterpreterOptions options_;
};

}  // namespace fleetflow::runtime
