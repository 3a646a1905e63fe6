#include "engine/runtime/durable/delay_queue.h"

#include "absl/time/clock.h"

namespace fleetflow::runtime::durable {

DelayQueue::DelayQueue() : thread_([this] { Loop(); }) {}

DelayQueue::~DelayQueue() { Stop(); }

void DelayQueue::After(absl::Duration delay, std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    jobs_.emplace(absl::Now() + delay, std::move(job));
  }
  cv_.notify_one();
}

void DelayQueue::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    jobs_.clear();
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void DelayQueue::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (jobs_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto first = jobs_.begin();
    absl::Time now = absl::Now();
    if (first->first > now) {
      cv_.wait_for(lock, absl::ToChronoNanoseconds(first->first - now));
      continue;
    }
    std::function<void()> job = std::move(first->second);
    jobs_.erase(first);
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace fleetflow::runtime::durable
