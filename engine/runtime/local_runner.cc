#include "engine/runtime/local_runner.h"

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "engine/runtime/state_codec.h"

namespace fleetflow::runtime {

namespace {

// Task results may arrive from other threads; the runner waits for them.
class Inbox {
 public:
  void Push(Event e) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(std::move(e));
    cv_.notify_one();
  }
  bool TryPop(Event& out) {
    std::lock_guard<std::mutex> lock(mu_);
    if (events_.empty()) return false;
    out = std::move(events_.front());
    events_.pop_front();
    return true;
  }
  // Waits until an event arrives or `deadline` passes (real time).
  void WaitUntil(absl::Time deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, absl::ToChronoNanoseconds(deadline - absl::Now()),
                 [&] { return !events_.empty(); });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> events_;
};

}  // namespace

RunResult LocalRunner::Run(const ExecutionIdentity& identity, const json::ValuePtr& input) {
  RunResult result;
  result.machine = interpreter_.machine_ptr();
  // Shared with the callbacks: a handler may answer after Run() returned.
  auto inbox = std::make_shared<Inbox>();
  std::set<std::pair<absl::Time, int64_t>> timers;
  std::map<int64_t, absl::Time> due_of;
  size_t pending_tasks = 0;
  auto apply = [&](Decision& d) {
    if (roundtrip_state_) {
      auto decoded = DecodeState(EncodeState(result.state));
      if (!decoded.ok()) {
        std::fprintf(stderr, "state round trip failed: %s\n",
                     std::string(decoded.status().message()).c_str());
        std::abort();
      }
      result.state = std::move(*decoded);
    }
    for (HistoryEvent& e : d.history) result.history.push_back(std::move(e));
    for (Command& c : d.commands) {
      if (auto* task = std::get_if<DispatchTask>(&c)) {
        ++pending_tasks;
        std::string token = task->token;
        inbox->Push(TaskStartedEvent{token});
        resources_.Dispatch(*task, [inbox, token](TaskOutcome outcome) {
          if (outcome.ok()) {
            inbox->Push(TaskSucceededEvent{token, std::move(outcome).value()});
          } else {
            Failure f = std::move(outcome).failure();
            inbox->Push(TaskFailedEvent{token, std::move(f.error), std::move(f.cause)});
          }
        });
      } else if (auto* arm = std::get_if<ArmTimer>(&c)) {
        timers.insert({arm->due, arm->timer_id});
        due_of[arm->timer_id] = arm->due;
      } else if (auto* cancel = std::get_if<CancelTimer>(&c)) {
        auto it = due_of.find(cancel->timer_id);
        if (it != due_of.end()) {
          timers.erase({it->second, it->first});
          due_of.erase(it);
        }
      }
    }
  };
  Decision first = interpreter_.Start(result.state, identity, input, clock_.Now());
  apply(first);
  while (result.state.status == ExecutionStatus::kRunning) {
    Event event;
    if (inbox->TryPop(event)) {
      if (std::holds_alternative<TaskSucceededEvent>(event) ||
          std::holds_alternative<TaskFailedEvent>(event)) {
        --pending_tasks;
      }
      Decision d = interpreter_.Handle(result.state, event, clock_.Now());
      apply(d);
      continue;
    }
    if (timers.empty() && pending_tasks == 0) break;  // nothing can wake it: a bug
    if (!timers.empty() &&
        (pending_tasks == 0 || clock_.skips_waits() || timers.begin()->first <= clock_.Now())) {
      auto [due, id] = *timers.begin();
      timers.erase(timers.begin());
      due_of.erase(id);
      clock_.SleepUntil(due);
      Decision d = interpreter_.Handle(result.state, TimerFiredEvent{id}, clock_.Now());
      apply(d);
      continue;
    }
    inbox->WaitUntil(timers.empty() ? absl::Now() + absl::Seconds(1)
                                    : absl::Now() + (timers.begin()->first - clock_.Now()));
  }
  return result;
}

}  // namespace fleetflow::runtime
