#include "engine/runtime/durable/activity_hub.h"

namespace fleetflow::runtime::durable {

namespace {
constexpr absl::Duration kSweep = absl::Seconds(1);  // for tasks whose lease ran out
}

ActivityHub::ActivityHub(store::Store& store, Clock& clock, absl::Duration lease)
    : store_(store), clock_(clock), lease_(lease), thread_([this] { Loop(); }) {}

ActivityHub::~ActivityHub() { Close(); }

uint64_t ActivityHub::Poll(const std::string& activity_arn, const std::string& worker_name,
                           absl::Duration wait, PollDone done) {
  std::lock_guard lock(mu_);
  if (closed_) return 0;
  uint64_t id = next_id_++;
  absl::Time deadline = absl::Now() + wait;
  waiting_[activity_arn].push_back({id, worker_name, deadline, std::move(done)});
  activity_of_[id] = activity_arn;
  deadlines_.insert({deadline, id});
  notified_.insert(activity_arn);  // a task may be there already
  cv_.notify_one();
  return id;
}

void ActivityHub::Cancel(uint64_t poll) {
  std::lock_guard lock(mu_);
  if (!activity_of_.contains(poll)) return;  // answered already
  cancelled_.insert(poll);
  cv_.notify_one();
}

void ActivityHub::Notify(const std::string& activity_arn) {
  std::lock_guard lock(mu_);
  // Kept even with no poll waiting: one may be in the middle of its lease.
  notified_.insert(activity_arn);
  cv_.notify_one();
}

void ActivityHub::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

std::optional<ActivityHub::Waiter> ActivityHub::TakeLocked(uint64_t id) {
  auto activity = activity_of_.find(id);
  if (activity == activity_of_.end()) return std::nullopt;
  std::deque<Waiter>& queue = waiting_[activity->second];
  for (auto it = queue.begin(); it != queue.end(); ++it) {
    if (it->id != id) continue;
    Waiter w = std::move(*it);
    queue.erase(it);
    if (queue.empty()) waiting_.erase(activity->second);
    ForgetLocked(w);
    return w;
  }
  return std::nullopt;
}

void ActivityHub::ForgetLocked(const Waiter& w) {
  activity_of_.erase(w.id);
  deadlines_.erase({w.deadline, w.id});
  cancelled_.erase(w.id);
}

void ActivityHub::Loop() {
  absl::Time next_sweep = absl::Now() + kSweep;
  while (true) {
    std::vector<std::string> serve;
    std::vector<Answer> answers;
    {
      std::unique_lock lock(mu_);
      while (!closed_ && notified_.empty() && cancelled_.empty()) {
        absl::Time now = absl::Now();
        absl::Time wake = next_sweep;
        if (!deadlines_.empty()) wake = std::min(wake, deadlines_.begin()->first);
        if (wake <= now) break;
        cv_.wait_for(lock, absl::ToChronoNanoseconds(wake - now));
      }
      if (closed_) {
        for (auto& [activity, queue] : waiting_) {
          for (Waiter& w : queue) {
            answers.push_back(
                {std::move(w.done), absl::UnavailableError("the engine is shutting down")});
          }
        }
        waiting_.clear();
        activity_of_.clear();
        deadlines_.clear();
        cancelled_.clear();
        lock.unlock();
        for (Answer& a : answers) a.done(std::move(a.result));
        return;
      }
      absl::Time now = absl::Now();
      // Past their deadline, or cancelled: answered with no task.
      while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
        std::optional<Waiter> w = TakeLocked(deadlines_.begin()->second);
        if (!w) {
          deadlines_.erase(deadlines_.begin());
          continue;
        }
        answers.push_back({std::move(w->done), std::optional<store::TaskRecord>()});
      }
      for (uint64_t id : std::vector<uint64_t>(cancelled_.begin(), cancelled_.end())) {
        cancelled_.erase(id);
        if (std::optional<Waiter> w = TakeLocked(id)) {
          answers.push_back({std::move(w->done), std::optional<store::TaskRecord>()});
        }
      }
      if (now >= next_sweep) {
        for (const auto& [activity, queue] : waiting_) notified_.insert(activity);
        next_sweep = now + kSweep;
      }
      for (const std::string& activity : notified_) {
        if (waiting_.contains(activity)) serve.push_back(activity);
      }
      notified_.clear();
    }
    for (Answer& a : answers) a.done(std::move(a.result));
    for (const std::string& activity : serve) Serve(activity);
  }
}

void ActivityHub::Serve(const std::string& activity_arn) {
  while (true) {
    std::string worker;
    uint64_t id;
    {
      std::lock_guard lock(mu_);
      auto it = waiting_.find(activity_arn);
      if (closed_ || it == waiting_.end()) return;
      // The front poll stays queued during its lease (Cancel still finds it).
      id = it->second.front().id;
      worker = it->second.front().worker;
    }
    absl::Time now = clock_.Now();
    auto tasks = store_.LeaseActivityTasks(activity_arn, worker, 1, now, now + lease_);
    std::optional<Waiter> w;
    {
      std::lock_guard lock(mu_);
      if (tasks.ok() && tasks->empty()) return;  // nothing to hand out: the poll waits on
      w = TakeLocked(id);
    }
    // Only this thread answers polls, so the front poll is still there; a
    // task leased for it regardless goes back when its lease runs out.
    if (!w) return;
    if (!tasks.ok()) {
      // The store failed: this poll learns why, the others try again at the
      // next sweep or notification.
      w->done(tasks.status());
      return;
    }
    w->done(std::optional<store::TaskRecord>(std::move(tasks->front())));
  }
}

}  // namespace fleetflow::runtime::durable
