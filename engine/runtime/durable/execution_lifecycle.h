#pragma once
// An execution's own lifecycle, fixed at compile time (a Boost.MSM machine in
// execution_lifecycle.cc, the one translation unit that pays for it):
//
//   RUNNING --succeed--> SUCCEEDED
//   RUNNING --fail-----> FAILED          --redrive--> PENDING_REDRIVE --resume--> RUNNING
//   RUNNING --time out-> TIMED_OUT       --redrive--> PENDING_REDRIVE
//   RUNNING --abort----> ABORTED         --redrive--> PENDING_REDRIVE
//
// Every status change the engine commits is checked against it, so a bug
// cannot, say, revive a succeeded execution or end one twice.

#include "absl/status/statusor.h"
#include "engine/store/records.h"

namespace fleetflow::runtime::durable {

enum class LifecycleEvent { kSucceed, kFail, kTimeOut, kAbort, kRedrive, kResume };

// The status after `event`; kFailedPrecondition when the lifecycle has no
// such transition from `from`.
absl::StatusOr<store::ExecutionStatus> NextStatus(store::ExecutionStatus from,
                                                  LifecycleEvent event);

// Checks a committed step's change of status (the same status is no change).
// `redriven`: the step began with a redrive of the ended execution.
absl::Status CheckStatusChange(store::ExecutionStatus from, store::ExecutionStatus to,
                               bool redriven = false);

}  // namespace fleetflow::runtime::durable
