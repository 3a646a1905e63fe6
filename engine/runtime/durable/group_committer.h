#pragma once
// Group commit: transitions of many executions share one store transaction.
// One thread commits; whatever arrives while a commit runs goes into the next
// one, so the batch grows with load and a lone transition waits only for the
// commit in flight (no timer, no fixed delay).
//
// A whole-batch failure that may pass (kUnavailable: a lost connection, a
// restarting database, a full disk) is retried with backoff, up to
// `give_up_after`; nothing of a failed transaction was written, so a retry
// cannot apply a transition twice. When the outcome of a commit is unknown
// (the connection broke during COMMIT), the retry meets the row at its new
// version and the transition is reported kAborted: the caller reloads and
// redoes its step, which the interpreter treats as a stale event.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "engine/store/store.h"

namespace fleetflow::runtime::durable {

struct GroupCommitterOptions {
  size_t max_batch = 1024;
  absl::Duration first_backoff = absl::Milliseconds(5);
  absl::Duration max_backoff = absl::Seconds(1);
  absl::Duration give_up_after = absl::Seconds(60);
};

struct CommitStats {
  uint64_t commits = 0;
  uint64_t transitions = 0;
  uint64_t retries = 0;
};

class GroupCommitter {
 public:
  using Done = std::function<void(absl::Status)>;

  GroupCommitter(store::Store& store, GroupCommitterOptions options = {});
  ~GroupCommitter();  // commits what was submitted, then stops

  // Queues a transition; `done` runs with its outcome (see Store::Commit) on
  // the completion thread, in commit order, while the next batch commits.
  // Keep `done` short: the batches after it wait for their callbacks.
  void Submit(store::Transition transition, Done done);

  // Commits everything submitted so far and stops the thread.
  void Stop();
  CommitStats stats() const;

 private:
  struct Pending {
    store::Transition transition;
    Done done;
  };
  struct Committed {
    std::vector<store::Transition> batch;  // freed on the completion thread
    std::vector<Done> callbacks;
    absl::StatusOr<std::vector<absl::Status>> outcome;
  };
  void Loop();
  void CompletionLoop();
  absl::StatusOr<std::vector<absl::Status>> CommitWithRetry(
      const std::vector<store::Transition>& batch);

  store::Store& store_;
  GroupCommitterOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  CommitStats stats_;
  std::deque<Committed> committed_;  // waiting for their callbacks
  bool committer_done_ = false;
  std::condition_variable completion_cv_;
  std::thread thread_;
  std::thread completion_thread_;
};

}  // namespace fleetflow::runtime::durable
