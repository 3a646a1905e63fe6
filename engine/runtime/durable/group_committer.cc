#include "engine/runtime/durable/group_committer.h"

#include <algorithm>

#include "engine/common/log.h"

namespace fleetflow::runtime::durable {

GroupCommitter::GroupCommitter(store::Store& store, GroupCommitterOptions options)
    : store_(store), options_(options), thread_([this] { Loop(); }) {}

GroupCommitter::~GroupCommitter() { Stop(); }

void GroupCommitter::Submit(store::Transition transition, Done done) {
  bool refused = false;
  {
    std::lock_guard lock(mu_);
    refused = stopping_;
    if (!refused) queue_.push_back({std::move(transition), std::move(done)});
  }
  if (refused) {
    done(absl::UnavailableError("the engine is shutting down"));
    return;
  }
  cv_.notify_one();
}

void GroupCommitter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

CommitStats GroupCommitter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommitter::Loop() {
  std::vector<store::Transition> batch;
  std::vector<Done> callbacks;
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is committed
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front().transition));
        callbacks.push_back(std::move(queue_.front().done));
        queue_.pop_front();
      }
    }
    auto outcome = CommitWithRetry(batch);
    {
      std::lock_guard lock(mu_);
      ++stats_.commits;
      stats_.transitions += batch.size();
    }
    for (size_t i = 0; i < callbacks.size(); ++i) {
      callbacks[i](outcome.ok() ? (*outcome)[i] : outcome.status());
    }
    batch.clear();
    callbacks.clear();
  }
}

absl::StatusOr<std::vector<absl::Status>> GroupCommitter::CommitWithRetry(
    const std::vector<store::Transition>& batch) {
  absl::Time give_up = absl::Now() + options_.give_up_after;
  absl::Duration backoff = options_.first_backoff;
  while (true) {
    auto outcome = store_.Commit(batch);
    if (outcome.ok() || outcome.status().code() != absl::StatusCode::kUnavailable ||
        absl::Now() + backoff > give_up) {
      if (!outcome.ok()) LogError("commit failed", outcome.status());
      return outcome;
    }
    LogWarning("commit will be retried", outcome.status());
    {
      std::lock_guard lock(mu_);
      ++stats_.retries;
    }
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace fleetflow::runtime::durable
