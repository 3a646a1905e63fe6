#include "engine/runtime/durable/activity_hub.h"

#include "engine/common/status.h"

namespace fleetflow::runtime::durable {

absl::StatusOr<std::optional<store::TaskRecord>> ActivityHub::Poll(
    const std::string& activity_arn, const std::string& worker_name, absl::Duration wait,
    const std::function<bool()>& cancelled) {
  absl::Time deadline = absl::Now() + wait;
  while (true) {
    if (cancelled()) return std::optional<store::TaskRecord>();
    uint64_t seen;
    {
      std::lock_guard lock(mu_);
      if (closed_) return absl::UnavailableError("the engine is shutting down");
      seen = generation_[activity_arn];
    }
    absl::Time now = clock_.Now();
    FF_ASSIGN_OR_RETURN(std::vector<store::TaskRecord> tasks,
                        store_.LeaseActivityTasks(activity_arn, worker_name, 1, now, now + lease_));
    if (!tasks.empty()) return std::optional<store::TaskRecord>(std::move(tasks.front()));
    std::unique_lock lock(mu_);
    // Wake on a new task, at the deadline, or every second to pick up tasks
    // whose lease ran out.
    absl::Time wake = std::min(deadline, absl::Now() + absl::Seconds(1));
    cv_.wait_for(lock, absl::ToChronoNanoseconds(wake - absl::Now()),
                 [&] { return closed_ || generation_[activity_arn] != seen; });
    if (closed_) return absl::UnavailableError("the engine is shutting down");
    if (absl::Now() >= deadline) return std::optional<store::TaskRecord>();
  }
}

void ActivityHub::Notify(const std::string& activity_arn) {
  {
    std::lock_guard lock(mu_);
    ++generation_[activity_arn];
  }
  cv_.notify_all();
}

void ActivityHub::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace fleetflow::runtime::durable
