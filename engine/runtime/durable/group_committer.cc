#include "engine/runtime/durable/group_committer.h"

#include <algorithm>

#include "engine/common/log.h"

namespace fleetflow::runtime::durable {

GroupCommitter::GroupCommitter(store::Store& store, GroupCommitterOptions options)
    : store_(store),
      options_(options),
      thread_([this] { Loop(); }),
      completion_thread_([this] { CompletionLoop(); }) {}

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
  if (completion_thread_.joinable()) completion_thread_.join();
}

CommitStats GroupCommitter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommitter::Loop() {
  while (true) {
    std::vector<store::Transition> batch;
    std::vector<Done> callbacks;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {  // stopping, and everything is committed
        committer_done_ = true;
        completion_cv_.notify_one();
        return;
      }
      batch.reserve(std::min(queue_.size(), options_.max_batch));
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front().transition));
        callbacks.push_back(std::move(queue_.front().done));
        queue_.pop_front();
      }
    }
    auto outcome = CommitWithRetry(batch);
    std::lock_guard lock(mu_);
    ++stats_.commits;
    stats_.transitions += batch.size();
    // Callbacks (and freeing the batch) overlap the next commit.
    committed_.push_back({std::move(batch), std::move(callbacks), std::move(outcome)});
    completion_cv_.notify_one();
  }
}

void GroupCommitter::CompletionLoop() {
  while (true) {
    Committed c;
    {
      std::unique_lock lock(mu_);
      completion_cv_.wait(lock, [this] { return committer_done_ || !committed_.empty(); });
      if (committed_.empty()) return;  // the committer has stopped
      c = std::move(committed_.front());
      committed_.pop_front();
    }
    for (size_t i = 0; i < c.callbacks.size(); ++i) {
      c.callbacks[i](c.outcome.ok() ? (*c.outcome)[i] : c.outcome.status());
    }
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
