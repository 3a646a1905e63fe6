#include "engine/runtime/durable/timer_service.h"

#include "engine/common/log.h"

namespace fleetflow::runtime::durable {

TimerService::TimerService(store::Store& store, Clock& clock, Fire fire, absl::Duration horizon,
                           int scan_limit)
    : store_(store),
      clock_(clock),
      fire_(std::move(fire)),
      horizon_(horizon),
      scan_limit_(scan_limit) {}

TimerService::~TimerService() { Stop(); }

void TimerService::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void TimerService::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimerService::Arm(const std::string& execution_arn, int64_t timer_id, absl::Time due) {
  std::lock_guard lock(mu_);
  // Far timers are left to the scans (they run every horizon/2 and load a
  // horizon ahead). Near ones are held now, also before the first scan ends.
  if (due > std::max(loaded_until_, clock_.Now() + horizon_)) return;
  Key key{execution_arn, timer_id};
  if (in_flight_.count(key) || !held_.emplace(key, due).second) return;
  due_.insert({due, execution_arn, timer_id});
  cv_.notify_all();
}

void TimerService::Cancel(const std::string& execution_arn, int64_t timer_id) {
  std::lock_guard lock(mu_);
  auto it = held_.find({execution_arn, timer_id});
  if (it == held_.end()) return;
  due_.erase({it->second, execution_arn, timer_id});
  held_.erase(it);
}

void TimerService::Done(const std::string& execution_arn, int64_t timer_id) {
  std::lock_guard lock(mu_);
  in_flight_.erase({execution_arn, timer_id});
}

size_t TimerService::held() const {
  std::lock_guard lock(mu_);
  return due_.size();
}

void TimerService::Scan(absl::Time now) {
  absl::Time until = now + horizon_;
  auto timers = store_.DueTimers(until, scan_limit_);
  std::lock_guard lock(mu_);
  if (!timers.ok()) {
    LogWarning("timer scan failed; retrying", timers.status());
    next_scan_ = now + absl::Seconds(1);
    return;
  }
  for (const store::TimerRecord& t : *timers) {
    Key key{t.execution_arn, t.timer_id};
    if (in_flight_.count(key) || !held_.emplace(key, t.due).second) continue;
    due_.insert({t.due, t.execution_arn, t.timer_id});
  }
  if (static_cast<int>(timers->size()) < scan_limit_) {
    loaded_until_ = until;
    next_scan_ = now + horizon_ / 2;
  } else {
    // More are due than one scan takes: load the rest once these drain.
    loaded_until_ = timers->back().due - absl::Microseconds(1);
    next_scan_ = now + absl::Milliseconds(100);
  }
}

void TimerService::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    absl::Time now = clock_.Now();
    if (now >= next_scan_ && (due_.size() < static_cast<size_t>(scan_limit_) / 2 ||
                              loaded_until_ >= now + horizon_ / 2)) {
      lock.unlock();
      Scan(now);
      lock.lock();
      continue;
    }
    if (!due_.empty() && std::get<0>(*due_.begin()) <= now) {
      auto [due, arn, id] = *due_.begin();
      due_.erase(due_.begin());
      held_.erase({arn, id});
      in_flight_.insert({arn, id});
      lock.unlock();
      fire_(arn, id);
      lock.lock();
      continue;
    }
    absl::Time wake = next_scan_;
    if (!due_.empty()) wake = std::min(wake, std::get<0>(*due_.begin()));
    cv_.wait_for(lock, absl::ToChronoNanoseconds(std::max(wake - now, absl::ZeroDuration())));
  }
}

}  // namespace fleetflow::runtime::durable
