// WatchExecution: the history of one execution as a stream, from a resume
// point, following new events as their steps commit, ending after the event
// that closes the execution.
//
// The store is the source of every event: a commit only wakes the stream,
// which then reads what it has not sent yet. So an event is never lost or
// sent twice, whatever the order of wake-ups.

#include <deque>
#include <optional>

#include "engine/common/strings.h"
#include "engine/server/arns.h"
#include "engine/server/errors.h"
#include "engine/server/history_events.h"
#include "engine/server/services.h"

namespace fleetflow::server {
namespace {

// Events read ahead of a slow client, at most.
constexpr size_t kMaxQueued = 256;

class WatchReactor final : public grpc::ServerWriteReactor<v1::HistoryEvent> {
 public:
  WatchReactor(Backend& b, std::string arn, int64_t after, bool include)
      : shared_(std::make_shared<Shared>(b, this, std::move(arn), after, include)) {}

  void Begin() {
    std::shared_ptr<Shared> shared = shared_;
    if (!MachineOfExecution(shared->arn)) {
      std::lock_guard lock(shared->mu);
      shared->finished = true;
      Finish(Error(grpc::StatusCode::INVALID_ARGUMENT, "InvalidArn",
                   StrCat("'", shared->arn, "' is not an execution ARN")));
      return;
    }
    auto row = shared->b.store.GetExecution(shared->arn);
    if (!row.ok()) {
      std::lock_guard lock(shared->mu);
      shared->finished = true;
      Finish(FromStatus(row.status(), "ExecutionDoesNotExist"));
      return;
    }
    if (row->status != store::ExecutionStatus::kRunning &&
        shared->read_after >= row->last_event_id) {
      // Resumed after the closing event: nothing more will come.
      std::lock_guard lock(shared->mu);
      shared->finished = true;
      Finish(grpc::Status::OK);
      return;
    }
    observer_ = shared->b.engine.AddCommitObserver([shared](const store::ExecutionRecord& r) {
      if (r.arn == shared->arn) shared->b.pool.Submit([shared] { shared->Pump(); });
    });
    shared->b.pool.Submit([shared] { shared->Pump(); });
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(shared_->mu);
    shared_->writing = false;
    if (shared_->deferred) return shared_->FinishLocked(*shared_->deferred);
    if (!ok) return shared_->FinishLocked(grpc::Status::CANCELLED);
    shared_->WriteOrFinishLocked();
    if (shared_->throttled && shared_->queue.size() < kMaxQueued / 2) {
      shared_->throttled = false;
      shared_->b.pool.Submit([shared = shared_] { shared->Pump(); });
    }
  }

  void OnCancel() override {
    std::lock_guard lock(shared_->mu);
    shared_->FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    if (observer_) shared_->b.engine.RemoveCommitObserver(observer_);
    {
      std::lock_guard lock(shared_->mu);
      shared_->reactor = nullptr;
    }
    delete this;
  }

 private:
  // Outlives the reactor: pool work and the commit observer hold it. Every
  // call on the reactor is made under `mu`, and OnDone clears `reactor`
  // under `mu`, so no call reaches a deleted reactor.
  struct Shared {
    Shared(Backend& backend, WatchReactor* r, std::string execution, int64_t after, bool data)
        : b(backend), reactor(r), arn(std::move(execution)), read_after(after), include(data) {}

    void Pump() {
      {
        std::lock_guard lock(mu);
        if (finished) return;
        if (pumping) {
          dirty = true;  // the pump in progress reads again before it stops
          return;
        }
        pumping = true;
      }
      while (true) {
        std::vector<v1::HistoryEvent> fresh;
        absl::Status status;
        auto batches = b.store.ReadHistory(arn, read_after, 64);
        if (!batches.ok()) {
          status = batches.status();
        } else {
          for (const store::HistoryBatch& batch : *batches) {
            status = AppendEvents(batch, read_after, INT64_MAX, include, fresh);
            if (!status.ok()) break;
          }
        }
        std::lock_guard lock(mu);
        if (!status.ok()) {
          pumping = false;
          return FinishLocked(FromStatus(status, "ExecutionDoesNotExist"));
        }
        for (v1::HistoryEvent& e : fresh) {
          read_after = e.id();
          if (ClosesExecution(e.type())) closed = true;
          queue.push_back(std::move(e));
        }
        // A full read may have left more behind; a wake-up during the read
        // may have committed more.
        bool again = dirty || (batches.ok() && batches->size() == 64);
        dirty = false;
        if (again && queue.size() >= kMaxQueued) {
          // A slow reader: hold off until the queue drains (OnWriteDone).
          throttled = true;
          again = false;
        }
        if (!again || finished) {
          pumping = false;
          WriteOrFinishLocked();
          return;
        }
      }
    }

    void WriteOrFinishLocked() {
      if (finished || writing || !reactor) return;
      if (!queue.empty()) {
        current = std::move(queue.front());
        queue.pop_front();
        writing = true;
        reactor->StartWrite(&current);
      } else if (closed && !pumping) {
        FinishLocked(grpc::Status::OK);
      }
    }

    // Finish may not overlap a write: with one in flight, it is deferred to
    // OnWriteDone.
    void FinishLocked(const grpc::Status& status) {
      if (finished || !reactor) return;
      if (writing) {
        if (!deferred) deferred = status;
        return;
      }
      finished = true;
      reactor->Finish(status);
    }

    Backend& b;
    WatchReactor* reactor;
    std::string arn;
    int64_t read_after;
    bool include;
    std::mutex mu;
    std::deque<v1::HistoryEvent> queue;
    v1::HistoryEvent current;              // being written
    std::optional<grpc::Status> deferred;  // a finish waiting for the write in flight
    bool writing = false, pumping = false, dirty = false, closed = false, finished = false;
    bool throttled = false;  // stopped reading: the client is behind
  };

  std::shared_ptr<Shared> shared_;
  int observer_ = 0;
};

}  // namespace

grpc::ServerWriteReactor<v1::HistoryEvent>* ExecutionsService::WatchExecution(
    CallbackServerContext*, const v1::WatchExecutionRequest* request) {
  bool include = !request->has_include_execution_data() || request->include_execution_data();
  auto* reactor = new WatchReactor(b_, request->execution_arn(),
                                   std::max<int64_t>(0, request->after_event_id()), include);
  reactor->Begin();
  return reactor;
}

}  // namespace fleetflow::server
