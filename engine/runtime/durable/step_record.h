#pragma once
// Folds what the interpreter decided during one step of one execution (one
// or more events) into the Transition that commits it, and keeps the commands
// to perform once that commit succeeded.
//
// A timer armed and cancelled within the same step is never written; a task
// dispatched and cancelled within the step is never written nor dispatched.

#include <string>
#include <vector>

#include "engine/runtime/decision.h"
#include "engine/runtime/execution_state.h"
#include "engine/store/records.h"

namespace fleetflow::runtime::durable {

// Activity resources ("arn:...:activity:NAME") run on workers that poll;
// returns the activity's ARN in Fleetflow's form, or "" for any other resource.
std::string ActivityArnOf(std::string_view resource);
std::string ActivityArn(std::string_view name);

class StepRecord {
 public:
  // `row` is the execution's row as loaded (or built, for a start).
  StepRecord(store::ExecutionRecord row, int64_t expected_version);

  // Adds one decision; `now` stamps new task rows.
  void Add(Decision& decision, absl::Time now);
  // The step consumed this task's result or fired this timer: delete its row.
  void ConsumeTask(const std::string& token);
  void ConsumeTimer(int64_t timer_id);
  // A worker or handler took the task until `until` (InfiniteFuture: for good).
  void LeaseTask(const std::string& token, absl::Time until);

  // The transition to commit: the row updated from `state`.
  store::Transition Finish(const ExecutionState& state, absl::Time now);

  // Commands to perform after the commit, in order.
  std::vector<Command>& commands() { return commands_; }
  uint64_t transitions() const { return transitions_; }
  int64_t events() const { return events_; }

 private:
  store::Transition transition_;
  std::vector<Command> commands_;
  std::string history_;  // JSON array under construction
  int64_t first_event_id_ = 0, last_event_id_ = 0;
  uint64_t transitions_ = 0;
  int64_t events_ = 0;
};

store::ExecutionStatus StoreStatus(ExecutionStatus status);

}  // namespace fleetflow::runtime::durable
