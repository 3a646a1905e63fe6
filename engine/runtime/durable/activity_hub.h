#pragma once
// Hands activity tasks to workers. Tasks are rows in the store (written by
// the commit that scheduled them); the hub leases them to polling workers
// and wakes waiting polls when a commit schedules a task for their activity.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/runtime/clock.h"
#include "engine/store/store.h"

namespace fleetflow::runtime::durable {

class ActivityHub {
 public:
  // A worker keeps a task for `lease` (renewed by heartbeats); past it, the
  // task goes to the next poll.
  ActivityHub(store::Store& store, Clock& clock, absl::Duration lease)
      : store_(store), clock_(clock), lease_(lease) {}

  // Waits up to `wait` for a task of the activity and leases it to the
  // worker; nullopt when none came. A leased task that is not answered
  // before its lease ends goes to the next poll (at least once).
  // `cancelled` ends the wait early (the caller went away).
  absl::StatusOr<std::optional<store::TaskRecord>> Poll(const std::string& activity_arn,
                                                        const std::string& worker_name,
                                                        absl::Duration wait,
                                                        const std::function<bool()>& cancelled);
  // A commit scheduled a task for the activity.
  void Notify(const std::string& activity_arn);
  // Ends every waiting poll (shutdown).
  void Close();

 private:
  store::Store& store_;
  Clock& clock_;
  absl::Duration lease_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, uint64_t> generation_;  // bumped by Notify
  bool closed_ = false;
};

}  // namespace fleetflow::runtime::durable
