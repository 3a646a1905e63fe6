#pragma once
// Runs small jobs later, on one thread: retries with backoff and periodic
// sweeps. Jobs must be short; they run one after another. Stop() drops the
// jobs not yet due.

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace fleetflow::runtime::durable {

class DelayQueue {
 public:
  DelayQueue();
  ~DelayQueue();
  void After(absl::Duration delay, std::function<void()> job);
  void Stop();

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<absl::Time, std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fleetflow::runtime::durable
