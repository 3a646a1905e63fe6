#pragma once
// The startExecution integration on the durable server: a Task starts an
// execution of another machine here (engine/runtime/nested_execution.h says
// what the parent sees).
//
// Durable without keeping anything: the child's name is the Task's Name, or
// one derived from the task's token, so a task dispatched again (after a
// crash, or by the engine's redispatch of unanswered tasks) finds the child
// it started instead of starting another. A waiting parent is an entry in
// memory only while this process runs; after a restart the redispatch
// registers it again, and a child that ended meanwhile answers at once.
// Stopping or timing out a waiting Task stops its child, as on AWS.

#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/runtime/nested_execution.h"
#include "engine/runtime/resource_registry.h"
#include "engine/server/backend.h"

namespace fleetflow::server {

class NestedExecutions final : public runtime::TaskHandler {
 public:
  explicit NestedExecutions(Backend& b);
  // Stops watching the engine's commits; call before the engine goes (the
  // registry, which owns this handler, outlives it).
  void Close();
  NestedExecutions(const NestedExecutions&) = delete;
  NestedExecutions& operator=(const NestedExecutions&) = delete;

  void Invoke(const runtime::DispatchTask& task, runtime::TaskCallback done) override;
  void Cancel(const std::string& token) override;

 private:
  struct Waiter {
    std::string parent_token;
    runtime::NestedMode mode;
    std::string input;  // the child's input as this task gave it
    runtime::TaskCallback done;
  };
  void Started(Waiter waiter, const std::string& child_arn,
               absl::StatusOr<store::ExecutionRecord> row);
  // A child started by an earlier dispatch of the same task (or by anyone
  // with the same name): adopted when its input is the same.
  void Adopt(Waiter waiter, const std::string& child_arn);
  void Wait(Waiter waiter, const std::string& child_arn);
  // The child was not started: the task fails, unless the cause is transient
  // (then the engine's redispatch tries again).
  void Refused(const Waiter& waiter, const absl::Status& why);
  void Ended(const store::ExecutionRecord& row);
  // Drops the task's registration (mu_ held); returns the child it waited
  // for, or "" when it waited for none.
  std::string Unregister(const std::string& parent_token);

  Backend& b_;
  int observer_ = 0;
  std::mutex mu_;
  std::unordered_map<std::string, std::vector<Waiter>> waiting_;  // by child ARN
  std::unordered_map<std::string, std::string> child_of_;         // parent token -> child ARN
  std::atomic<size_t> waiting_count_{0};
};

}  // namespace fleetflow::server
