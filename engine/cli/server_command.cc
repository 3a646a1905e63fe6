// `fleetflow server`: serves until SIGTERM or SIGINT, then shuts down
// gracefully (steps in flight are committed) and exits 0.

#include <csignal>
#include <iostream>
#include <thread>

#include "engine/cli/commands.h"
#include "engine/common/log.h"
#include "engine/server/server.h"

namespace fleetflow::cli {

int Serve(const ServeOptions& options) {
  // Signals go to a thread that waits for them, not to whichever thread
  // happens to run: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  server::ServerOptions server_options;
  server_options.store_url = options.store;
  server_options.listen = options.listen;
  server_options.activity_lease = absl::Seconds(options.activity_lease_seconds);
  auto server = server::Server::Start(server_options);
  if (!server.ok()) {
    std::cerr << "fleetflow server: " << server.status().message() << "\n";
    return 1;
  }
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    Log(LogLevel::kInfo, "shutting down", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
    (*server)->Shutdown();
  });
  (*server)->Wait();
  waiter.join();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace fleetflow::cli
