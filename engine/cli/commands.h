#pragma once
// The `fleetflow` verbs. Flags are parsed in main.cc into these options.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace fleetflow::cli {

// Adds the verbs that talk to a server; the chosen one sets `exit_code`.
void AddClientCommands(CLI::App& app, int& exit_code);

struct RunOptions {
  std::string definition_file;
  std::optional<std::string> input_json;
  std::optional<std::string> input_file;
  std::optional<std::string> mocks_file;
  std::optional<std::string> test_case;
  std::optional<std::string> machine_name;    // default: the file's stem
  std::optional<std::string> execution_name;  // default: a random name
  std::optional<uint64_t> seed;
  int64_t max_events = 25'000;  // history events before the execution fails
  bool virtual_time = false;
  bool history = false;
  bool roundtrip_state = false;  // store and reload the state after every step
};

struct ValidateOptions {
  std::string definition_file;
};

struct ServeOptions {
  std::string store = "sqlite:fleetflow.db";
  std::string listen = "127.0.0.1:7707";
  int activity_lease_seconds = 300;
};

struct WorkerOptions {
  std::string server;
  std::string activity;
  std::string worker_name;
  std::vector<std::string> command;
};

// Exit codes: 0 succeeded, 1 failed or timed out, 2 invalid definition/input.
int Run(const RunOptions& options);
int Validate(const ValidateOptions& options);
// Exit codes: 0 after a clean shutdown, 1 when it cannot start.
int Serve(const ServeOptions& options);
// Exit codes as the client verbs (client.h).
int Work(const WorkerOptions& options);

// Reads a whole file; nullopt (and a message on stderr) when it cannot.
std::optional<std::string> ReadFile(const std::string& path);

}  // namespace fleetflow::cli
