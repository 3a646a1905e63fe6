#pragma once
// The durable engine: runs executions kept in a Store. Each step of an
// execution is decided by the pure interpreter, committed (group commit), and
// only then are its commands performed: tasks dispatched, timers armed,
// watchers woken. An execution is in memory only while it has events to
// apply; a waiting execution is rows in the store and nothing else.
//
// Events for one execution are applied in order, one step at a time; events
// that arrive while a step commits are applied together in the next step.
// Thread-safe.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/decision.h"
#include "engine/runtime/durable/activity_hub.h"
#include "engine/runtime/durable/delay_queue.h"
#include "engine/runtime/durable/group_committer.h"
#include "engine/runtime/durable/machine_cache.h"
#include "engine/runtime/durable/timer_service.h"
#include "engine/runtime/interpreter.h"
#include "engine/runtime/resource_registry.h"
#include "engine/store/store.h"

namespace fleetflow::runtime::durable {

struct EngineOptions {
  int workers = 2;
  InterpreterOptions interpreter;
  GroupCommitterOptions commit;
  absl::Duration timer_horizon = absl::Seconds(30);
  // How often integration tasks whose result never came (a lost handler
  // callback, a commit that failed) are dispatched again.
  absl::Duration redispatch_every = absl::Seconds(30);
  // How long a worker keeps an activity task without a heartbeat before it
  // goes to another worker.
  absl::Duration activity_lease = absl::Minutes(5);
};

struct StartRequest {
  std::string machine_arn;
  std::string machine_name;
  std::string definition_id;
  std::string version_arn;  // when started through a version or an alias
  std::string alias_arn;
  std::string name;             // the execution's name
  std::string input;            // JSON text, already validated
  json::ValuePtr parsed_input;  // the same input parsed, if the caller has it
};

struct EngineStats {
  uint64_t steps = 0;        // committed steps
  uint64_t transitions = 0;  // states entered in committed steps
  uint64_t events = 0;       // history events committed
  CommitStats commits;
};

// Execution ARNs are "arn:fleetflow:states:local:execution:<machine>:<name>".
std::string ExecutionArn(std::string_view machine_name, std::string_view execution_name);
// The execution a task token belongs to, or "" for a malformed token.
std::string ExecutionOfToken(std::string_view token);

class Engine {
 public:
  using StatusCallback = std::function<void(absl::Status)>;
  using StartCallback = std::function<void(absl::StatusOr<store::ExecutionRecord>)>;
  // Called after every committed step of an execution (on the committer's completion
  // thread: keep it short).
  using CommitObserver = std::function<void(const store::ExecutionRecord& row)>;

  Engine(store::Store& store, ResourceRegistry& resources, Clock& clock,
         EngineOptions options = {});
  ~Engine();

  // Starts the threads and recovers: loads due timers and dispatches again
  // the integration tasks that were scheduled but never answered.
  absl::Status Start();
  // Stops taking work, finishes the steps in flight and their commits.
  void Shutdown();

  // Starts an execution; `done` gets its row once the first step committed.
  // Same name and input as a running execution: that execution's row (AWS's
  // idempotent start). Otherwise a taken name is kAlreadyExists.
  void StartExecution(StartRequest request, StartCallback done);

  // Applies `event` to the execution; `done` gets OK once the step that
  // applied it committed, kNotFound for an unknown execution, and
  // kFailedPrecondition when the event applies to nothing (a task token that
  // is no longer awaited, an execution that has ended).
  void Send(const std::string& execution_arn, Event event, StatusCallback done);

  // Long-polls an activity task for a worker and records it as started;
  // ActivityHub::Poll says when `done` runs. No thread waits meanwhile.
  // Returns 0, and never runs `done`, when the engine is shutting down.
  uint64_t PollActivity(const std::string& activity_arn, const std::string& worker_name,
                        absl::Duration wait, ActivityHub::PollDone done);
  // The caller has gone: the poll is answered with no task soon.
  void CancelActivityPoll(uint64_t poll);
  // The same, waiting for the answer (tools and tests).
  ActivityHub::PollResult PollActivity(const std::string& activity_arn,
                                       const std::string& worker_name, absl::Duration wait);

  int AddCommitObserver(CommitObserver observer);
  void RemoveCommitObserver(int id);

  MachineCache& machines() { return machines_; }
  store::Store& store() { return store_; }
  EngineStats stats() const;

 private:
  struct Mail {
    Event event;
    StatusCallback done;
  };
  struct Mailbox {
    std::deque<Mail> pending;
    bool scheduled = false;
  };

  // Handler callbacks may come after the engine is gone: they reach it
  // through this, which Shutdown empties.
  struct Liveness {
    std::mutex mu;
    Engine* engine = nullptr;
  };

  void WorkerLoop();
  void RunStep(const std::string& arn, std::vector<Mail> mails);
  void Reschedule(const std::string& arn, std::vector<Mail> retry = {});
  void Post(std::function<void()> job);  // runs on a worker
  void Perform(const std::string& arn, std::vector<Command>& commands);
  void Dispatch(const std::string& arn, const DispatchTask& task);
  // Sends an event the engine itself produced (a handler's result), retrying
  // while the store is unavailable.
  void SendInternal(const std::string& arn, Event event, int attempt = 0);
  void Redispatch();
  // An execution that cannot run any more (its definition no longer loads,
  // its state is unreadable) fails with the reason, instead of retrying forever.
  void Quarantine(store::ExecutionRecord row, const absl::Status& why, std::vector<Mail> mails);
  // After kAborted/kAlreadyExists: true when the row shows that the step did
  // commit (its outcome was unknown, and the retry met its own write).
  bool AlreadyCommitted(const std::string& arn, const std::string& step_id);
  void Notify(const store::ExecutionRecord& row);
  // After a step committed: performs its commands and tells the observers.
  // Inline when nothing can block (timers only), else on a worker: a task's
  // handler may take its time.
  void AfterCommit(const std::string& arn, std::shared_ptr<const store::ExecutionRecord> row,
                   std::vector<Command> commands);
  void Committed(uint64_t transitions, int64_t events);
  absl::Time Now();

  store::Store& store_;
  ResourceRegistry& resources_;
  Clock& clock_;
  EngineOptions options_;
  MachineCache machines_;
  GroupCommitter committer_;
  TimerService timers_;
  ActivityHub activities_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, Mailbox> boxes_;
  std::deque<std::string> runnable_;
  std::deque<std::function<void()>> jobs_;
  std::unordered_map<std::string, absl::Time> dispatched_;  // integration tasks in flight here
  bool stopping_ = false;
  int steps_in_flight_ = 0;  // submitted, not yet committed
  std::vector<std::thread> workers_;

  // Copied on change, so that a commit takes a snapshot without allocating.
  using Observers = std::map<int, std::shared_ptr<CommitObserver>>;
  std::mutex observers_mu_;
  std::shared_ptr<const Observers> observers_ = std::make_shared<Observers>();
  int next_observer_ = 1;

  std::shared_ptr<Liveness> liveness_;
  DelayQueue delayed_;

  std::atomic<uint64_t> steps_{0}, transitions_{0}, events_{0};
};

}  // namespace fleetflow::runtime::durable
