#include "engine/server/builtin_resources.h"

#include <memory>

namespace fleetflow::server {
namespace {

class EchoHandler final : public runtime::TaskHandler {
 public:
  void Invoke(const runtime::DispatchTask& task, runtime::TaskCallback done) override {
    done(task.input ? *task.input : json::Value());
  }
};

class CallbackHandler final : public runtime::TaskHandler {
 public:
  void Invoke(const runtime::DispatchTask&, runtime::TaskCallback done) override {
    done(json::Value());
  }
};

}  // namespace

void RegisterBuiltinResources(runtime::ResourceRegistry& registry) {
  registry.Register("fleetflow:echo", std::make_shared<EchoHandler>());
  registry.Register("fleetflow:callback", std::make_shared<CallbackHandler>());
}

}  // namespace fleetflow::server
