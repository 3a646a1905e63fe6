// The Boost.MSM machine behind execution_lifecycle.h. Each state writes its
// status on entry; a rejected event sets `rejected`.

#include "engine/runtime/durable/execution_lifecycle.h"

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "engine/common/strings.h"

namespace fleetflow::runtime::durable {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;
using store::ExecutionStatus;

struct Succeed {};
struct Fail {};
struct TimeOut {};
struct Abort {};
struct Redrive {};
struct Resume {};

struct LifecycleDef : msm::front::state_machine_def<LifecycleDef> {
  template <ExecutionStatus S>
  struct Status : msm::front::state<> {
    template <typename Event, typename Fsm>
    void on_entry(const Event&, Fsm& fsm) {
      fsm.status = S;
    }
  };
  using Running = Status<ExecutionStatus::kRunning>;
  using Succeeded = Status<ExecutionStatus::kSucceeded>;
  using Failed = Status<ExecutionStatus::kFailed>;
  using TimedOut = Status<ExecutionStatus::kTimedOut>;
  using Aborted = Status<ExecutionStatus::kAborted>;
  using PendingRedrive = Status<ExecutionStatus::kPendingRedrive>;
  using initial_state = Running;

  // clang-format off
  struct transition_table : mpl::vector<
      //  Start           Event     Next
      Row<Running,        Succeed,  Succeeded>,
      Row<Running,        Fail,     Failed>,
      Row<Running,        TimeOut,  TimedOut>,
      Row<Running,        Abort,    Aborted>,
      Row<Failed,         Redrive,  PendingRedrive>,
      Row<TimedOut,       Redrive,  PendingRedrive>,
      Row<Aborted,        Redrive,  PendingRedrive>,
      Row<PendingRedrive, Resume,   Running>> {};
  // clang-format on

  template <typename Fsm, typename Event>
  void no_transition(const Event&, Fsm&, int) {
    rejected = true;
  }

  ExecutionStatus status = ExecutionStatus::kRunning;
  bool rejected = false;
};

using Lifecycle = msm::back::state_machine<LifecycleDef>;

template <typename Event>
void Process(Lifecycle& fsm, LifecycleEvent) {
  fsm.process_event(Event());
}

void Dispatch(Lifecycle& fsm, LifecycleEvent event) {
  switch (event) {
    case LifecycleEvent::kSucceed:
      return Process<Succeed>(fsm, event);
    case LifecycleEvent::kFail:
      return Process<Fail>(fsm, event);
    case LifecycleEvent::kTimeOut:
      return Process<TimeOut>(fsm, event);
    case LifecycleEvent::kAbort:
      return Process<Abort>(fsm, event);
    case LifecycleEvent::kRedrive:
      return Process<Redrive>(fsm, event);
    case LifecycleEvent::kResume:
      return Process<Resume>(fsm, event);
  }
}

// Brings a fresh machine to `status` along the lifecycle's own paths.
void Reach(Lifecycle& fsm, ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::kRunning:
      return;
    case ExecutionStatus::kSucceeded:
      return Dispatch(fsm, LifecycleEvent::kSucceed);
    case ExecutionStatus::kFailed:
      return Dispatch(fsm, LifecycleEvent::kFail);
    case ExecutionStatus::kTimedOut:
      return Dispatch(fsm, LifecycleEvent::kTimeOut);
    case ExecutionStatus::kAborted:
      return Dispatch(fsm, LifecycleEvent::kAbort);
    case ExecutionStatus::kPendingRedrive:
      Dispatch(fsm, LifecycleEvent::kFail);
      return Dispatch(fsm, LifecycleEvent::kRedrive);
  }
}

LifecycleEvent EventFor(ExecutionStatus to) {
  switch (to) {
    case ExecutionStatus::kSucceeded:
      return LifecycleEvent::kSucceed;
    case ExecutionStatus::kFailed:
      return LifecycleEvent::kFail;
    case ExecutionStatus::kTimedOut:
      return LifecycleEvent::kTimeOut;
    case ExecutionStatus::kAborted:
      return LifecycleEvent::kAbort;
    case ExecutionStatus::kPendingRedrive:
      return LifecycleEvent::kRedrive;
    case ExecutionStatus::kRunning:
      return LifecycleEvent::kResume;
  }
  return LifecycleEvent::kFail;
}

}  // namespace

absl::StatusOr<store::ExecutionStatus> NextStatus(store::ExecutionStatus from,
                                                  LifecycleEvent event) {
  Lifecycle fsm;
  fsm.start();
  Reach(fsm, from);
  Dispatch(fsm, event);
  if (fsm.rejected) {
    return absl::FailedPreconditionError(
        StrCat("an execution that is ", ExecutionStatusName(from), " cannot change that way"));
  }
  return fsm.status;
}

absl::Status CheckStatusChange(store::ExecutionStatus from, store::ExecutionStatus to,
                               bool redriven) {
  store::ExecutionStatus start = from;
  if (redriven) {
    // The step redrove the ended execution (and may have ended it again):
    // both changes commit at once.
    auto pending = NextStatus(from, LifecycleEvent::kRedrive);
    if (!pending.ok()) return pending.status();
    auto resumed = NextStatus(*pending, LifecycleEvent::kResume);
    if (!resumed.ok()) return resumed.status();
    start = *resumed;
  }
  if (start == to) return absl::OkStatus();
  auto next = NextStatus(start, EventFor(to));
  if (!next.ok() || *next != to) {
    return absl::FailedPreconditionError(StrCat("an execution cannot go from ",
                                                ExecutionStatusName(from), " to ",
                                                ExecutionStatusName(to)));
  }
  return absl::OkStatus();
}

}  // namespace fleetflow::runtime::durable
