#pragma once
// Hands activity tasks to workers. Tasks are rows in the store (written by
// the commit that scheduled them); the hub leases them to polling workers
// and answers waiting polls when a commit schedules a task for their
// activity.
//
// A waiting poll holds no thread: it is a callback in a queue per activity.
// One hub thread leases tasks for the polls at the front of the queues when
// a commit notifies an activity, and once a second for every activity that
// has waiting polls (a leased task whose lease ran out is due again). So a
// sweep costs one store query per activity, whatever the number of workers.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/runtime/clock.h"
#include "engine/store/store.h"

namespace fleetflow::runtime::durable {

class ActivityHub {
 public:
  using PollResult = absl::StatusOr<std::optional<store::TaskRecord>>;
  using PollDone = std::function<void(PollResult)>;

  // A worker keeps a task for `lease` (renewed by heartbeats); past it, the
  // task goes to the next poll.
  ActivityHub(store::Store& store, Clock& clock, absl::Duration lease);
  ~ActivityHub();  // Close()

  // Registers a poll for a task of the activity, leased to `worker_name`,
  // and returns its id. `done` runs exactly once, on the hub's thread: with
  // the task, with nullopt when none came within `wait` or the poll was
  // cancelled, or with an error (the store failed, kUnavailable at
  // shutdown). Keep it short. Polls of one activity are answered in the
  // order they came. After Close, returns 0 and never runs `done` (so that
  // `done` never runs inside the caller's own locks).
  uint64_t Poll(const std::string& activity_arn, const std::string& worker_name,
                absl::Duration wait, PollDone done);
  // Answers the poll with nullopt soon, unless it is already answered.
  void Cancel(uint64_t poll);
  // A commit scheduled a task for the activity.
  void Notify(const std::string& activity_arn);
  // Answers every waiting poll with kUnavailable and stops the thread; later
  // polls are answered so at once.
  void Close();

 private:
  // Deadlines and wake-ups run on the steady clock: a step of the wall clock
  // neither expires every poll nor keeps one past its wait.
  using Steady = std::chrono::steady_clock;
  struct Waiter {
    uint64_t id;
    std::string worker;
    Steady::time_point deadline;
    PollDone done;
  };
  struct Answer {
    PollDone done;
    PollResult result;
  };
  void Loop();
  // Leases tasks for the activity's waiting polls, front first, until one
  // finds none or the polls that were waiting have all had their turn (so
  // that one busy activity cannot hold the hub).
  void Serve(const std::string& activity_arn);
  // Answers the front poll with no task if it was cancelled, or if it is
  // past its deadline and has already looked at the store once.
  bool DropFrontLocked(std::deque<Waiter>& queue, std::vector<Answer>& out);
  // Removes a waiting poll from every index; nullopt if it is answered.
  std::optional<Waiter> TakeLocked(uint64_t id);
  void ForgetLocked(const Waiter& w);

  store::Store& store_;
  Clock& clock_;
  absl::Duration lease_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, std::deque<Waiter>> waiting_;  // by activity
  std::unordered_map<uint64_t, std::string> activity_of_;        // waiting polls
  std::set<std::pair<Steady::time_point, uint64_t>> deadlines_;
  std::unordered_set<uint64_t> cancelled_;
  std::unordered_set<uint64_t> untried_;  // polls that have not looked at the store yet
  std::unordered_set<std::string> notified_;
  uint64_t next_id_ = 1;
  bool closed_ = false;
  std::thread thread_;
};

}  // namespace fleetflow::runtime::durable
