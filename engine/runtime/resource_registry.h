#pragma once
// Task resources are plugins: a handler is registered for a resource URI
// prefix ("arn:aws:states:::lambda:invoke", "fleetflow:mqtt:"), and the
// runtime sends each dispatched task to the handler with the longest
// matching prefix.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "engine/common/failure.h"
#include "engine/json/json.h"
#include "engine/runtime/decision.h"

namespace fleetflow::runtime {

using TaskOutcome = Result<json::Value>;
using TaskCallback = std::function<void(TaskOutcome)>;

class TaskHandler {
 public:
  virtual ~TaskHandler() = default;
  // Starts the task; calls `done` exactly once, now or later, from any thread.
  virtual void Invoke(const DispatchTask& task, TaskCallback done) = 0;
  // The task with `token` is no longer awaited (it timed out, or its state
  // or execution was stopped): a handler may stop the work it started.
  virtual void Cancel(const std::string& /*token*/) {}
};

class ResourceRegistry {
 public:
  void Register(std::string prefix, std::shared_ptr<TaskHandler> handler);
  // A handler consulted before any prefix (e.g. mocks); it may decline by
  // returning false from `claims`.
  void SetInterceptor(std::shared_ptr<TaskHandler> handler,
                      std::function<bool(const DispatchTask&)> claims);

  // Routes the task; an unknown resource fails it with States.Runtime.
  void Dispatch(const DispatchTask& task, TaskCallback done) const;
  // Tells every handler that the task with `token` is no longer awaited.
  void Cancel(const std::string& token) const;

 private:
  std::map<std::string, std::shared_ptr<TaskHandler>, std::less<>> handlers_;
  std::shared_ptr<TaskHandler> interceptor_;
  std::function<bool(const DispatchTask&)> claims_;
};

}  // namespace fleetflow::runtime
