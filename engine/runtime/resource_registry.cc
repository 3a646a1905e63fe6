#include "engine/runtime/resource_registry.h"

#include "engine/common/strings.h"

namespace fleetflow::runtime {

void ResourceRegistry::Register(std::string prefix, std::shared_ptr<TaskHandler> handler) {
  handlers_[std::move(prefix)] = std::move(handler);
}

void ResourceRegistry::SetInterceptor(std::shared_ptr<TaskHandler> handler,
                                      std::function<bool(const DispatchTask&)> claims) {
  interceptor_ = std::move(handler);
  claims_ = std::move(claims);
}

void ResourceRegistry::Dispatch(const DispatchTask& task, TaskCallback done) const {
  if (interceptor_ && claims_(task)) {
    interceptor_->Invoke(task, std::move(done));
    return;
  }
  const TaskHandler* best = nullptr;
  size_t best_length = 0;
  for (const auto& [prefix, handler] : handlers_) {
    if (task.resource.compare(0, prefix.size(), prefix) == 0 && prefix.size() >= best_length) {
      best = handler.get();
      best_length = prefix.size();
    }
  }
  if (best == nullptr) {
    done(Failure{"States.Runtime",
                 StrCat("No handler for resource '", task.resource, "' (state '", task.state_name,
                        "'): run with --mocks FILE --test-case NAME, or register the resource")});
    return;
  }
  const_cast<TaskHandler*>(best)->Invoke(task, std::move(done));
}

void ResourceRegistry::Cancel(const std::string& token) const {
  // Few handlers, and a cancel is rare: asking each costs less than
  // remembering which one took every task.
  if (interceptor_) interceptor_->Cancel(token);
  for (const auto& [prefix, handler] : handlers_) handler->Cancel(token);
}

}  // namespace fleetflow::runtime
