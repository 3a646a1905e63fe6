#include "engine/runtime/durable/activity_hub.h"

namespace fleetflow::runtime::durable {

namespace {
constexpr auto kSweep = std::chrono::seconds(1);  // for tasks whose lease ran out
}

ActivityHub::ActivityHub(store::Store& store, Clock& clock, absl::Duration lease)
    : store_(store), clock_(clock), lease_(lease), thread_([this] { Loop(); }) {}

ActivityHub::~ActivityHub() { Close(); }

uint64_t ActivityHub::Poll(const std::string& activity_arn, const std::string& worker_name,
                           absl::Duration wait, PollDone done) {
  std::lock_guard lock(mu_);
  if (closed_) return 0;
  uint64_t id = next_id_++;
  Steady::time_point deadline =
      Steady::now() + std::chrono::duration_cast<Steady::duration>(absl::ToChronoNanoseconds(wait));
  waiting_[activity_arn].push_back({id, worker_name, deadline, std::move(done)});
  activity_of_[id] = activity_arn;
  deadlines_.insert({deadline, id});
  untried_.insert(id);
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
  untried_.erase(w.id);
}

void ActivityHub::Loop() {
  Steady::time_point next_sweep = Steady::now() + kSweep;
  while (true) {
    std::vector<std::string> serve;
    std::vector<Answer> answers;
    {
      std::unique_lock lock(mu_);
      while (!closed_ && notified_.empty() && cancelled_.empty()) {
        Steady::time_point wake = next_sweep;
        if (!deadlines_.empty()) wake = std::min(wake, deadlines_.begin()->first);
        if (wake <= Steady::now()) break;
        cv_.wait_until(lock, wake);
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
        untried_.clear();
        lock.unlock();
        for (Answer& a : answers) a.done(std::move(a.result));
        return;
      }
      Steady::time_point now = Steady::now();
      // Past their deadline (once they have looked at the store), or
      // cancelled: answered with no task.
      for (auto it = deadlines_.begin(); it != deadlines_.end() && it->first <= now;) {
        uint64_t id = (it++)->second;  // TakeLocked erases the entry
        if (untried_.contains(id)) continue;
        if (std::optional<Waiter> w = TakeLocked(id)) {
          answers.push_back({std::move(w->done), std::optional<store::TaskRecord>()});
        }
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

bool ActivityHub::DropFrontLocked(std::deque<Waiter>& queue, std::vector<Answer>& out) {
  const Waiter& front = queue.front();
  bool expired = front.deadline <= Steady::now() && !untried_.contains(front.id);
  if (!cancelled_.contains(front.id) && !expired) return false;
  std::optional<Waiter> w = TakeLocked(front.id);  // may erase `queue`
  out.push_back({std::move(w->done), std::optional<store::TaskRecord>()});
  return true;
}

void ActivityHub::Serve(const std::string& activity_arn) {
  size_t turns = 0;
  {
    std::lock_guard lock(mu_);
    auto it = waiting_.find(activity_arn);
    if (it != waiting_.end()) turns = it->second.size();
  }
  for (; turns > 0; --turns) {
    std::vector<Answer> answers;
    std::string worker;
    uint64_t id = 0;
    {
      std::lock_guard lock(mu_);
      auto it = waiting_.find(activity_arn);
      while (!closed_ && it != waiting_.end() && DropFrontLocked(it->second, answers)) {
        it = waiting_.find(activity_arn);
      }
      if (!closed_ && it != waiting_.end()) {
        // The front poll stays queued during its lease (Cancel still finds it).
        id = it->second.front().id;
        worker = it->second.front().worker;
      }
    }
    for (Answer& a : answers) a.done(std::move(a.result));
    if (id == 0) return;
    absl::Time now = clock_.Now();
    auto tasks = store_.LeaseActivityTasks(activity_arn, worker, 1, now, now + lease_);
    std::optional<Waiter> w;
    {
      std::lock_guard lock(mu_);
      if (!tasks.ok() || tasks->empty()) {
        // There is no task now (or the store cannot tell): every poll of the
        // activity has had its look, and waits on for its deadline.
        if (auto it = waiting_.find(activity_arn); it != waiting_.end()) {
          for (const Waiter& waiter : it->second) untried_.erase(waiter.id);
        }
      }
      if (tasks.ok() && tasks->empty()) return;  // the polls wait on
      // Only this thread answers polls, so the front poll is still there.
      w = TakeLocked(id);
      if (turns == 1) notified_.insert(activity_arn);  // polls that came meanwhile: next round
    }
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
