#pragma once
// `fleetflow server`: the durable engine over a store, serving the gRPC API
// (StateMachines, Executions, Tasks, Activities, health, reflection).

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/runtime/resource_registry.h"

namespace fleetflow::server {

constexpr int kDefaultPort = 7707;

struct ServerOptions {
  std::string store_url = "sqlite:fleetflow.db";
  std::string listen = "127.0.0.1:7707";  // port 0: any free port
  int engine_workers = 2;
  int blocking_threads = 32;  // watch pumps, sync answers
  absl::Duration activity_lease = absl::Minutes(5);
  // Registers more task resources (adapters, tests, benchmarks).
  std::function<void(runtime::ResourceRegistry&)> resources;
};

class Server {
 public:
  // Opens the store, recovers the engine and starts listening.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  virtual ~Server() = default;

  virtual int port() const = 0;
  // Blocks until Shutdown() has finished.
  virtual void Wait() = 0;
  // Stops taking calls, lets calls in flight and steps being committed
  // finish, then stops the engine. Safe from any thread, once or more.
  virtual void Shutdown() = 0;
};

}  // namespace fleetflow::server
