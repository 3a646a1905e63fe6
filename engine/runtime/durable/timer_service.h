#pragma once
// Durable timers, fired on time. Every timer is a row in the store, written
// in the commit that armed it; this service holds in memory only the timers
// due within `horizon` (loaded by a periodic scan and by Arm after commits)
// and hands each to `fire` when it is due. The transition that handles the
// firing deletes the row, so a timer fires again after a crash until that
// transition commits: at least once, and the interpreter ignores a repeat.

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>

#include "absl/time/time.h"
#include "engine/runtime/clock.h"
#include "engine/store/store.h"

namespace fleetflow::runtime::durable {

class TimerService {
 public:
  using Fire = std::function<void(const std::string& execution_arn, int64_t timer_id)>;

  TimerService(store::Store& store, Clock& clock, Fire fire,
               absl::Duration horizon = absl::Seconds(30), int scan_limit = 10000);
  ~TimerService();

  void Start();
  void Stop();

  // A committed ArmTimer. Held in memory if it is due before the next scans
  // would load it; otherwise left to them.
  void Arm(const std::string& execution_arn, int64_t timer_id, absl::Time due);
  void Cancel(const std::string& execution_arn, int64_t timer_id);
  // The firing was committed (or failed): scans may load the row again if it
  // still exists.
  void Done(const std::string& execution_arn, int64_t timer_id);

  size_t held() const;

 private:
  using Key = std::pair<std::string, int64_t>;
  void Loop();
  void Scan(absl::Time now);

  store::Store& store_;
  Clock& clock_;
  Fire fire_;
  absl::Duration horizon_;
  int scan_limit_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::tuple<absl::Time, std::string, int64_t>> due_;  // earliest first
  std::map<Key, absl::Time> held_;                              // what due_ holds, by key
  std::set<Key> in_flight_;                                     // fired, not yet committed
  absl::Time loaded_until_ = absl::InfinitePast();
  absl::Time next_scan_ = absl::InfinitePast();
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fleetflow::runtime::durable
