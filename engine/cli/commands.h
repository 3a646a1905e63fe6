#pragma once
// The `fleetflow` verbs. Flags are parsed in main.cc into these options.

#include <cstdint>
#include <iosfwd>
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

// Reads a definition as ASL text: ASL JSON/YAML as it is, a .flow file
// exported to ASL JSON. A .flow file's diagnostics (warnings too) are
// written to `diagnostics`; nullopt when it cannot be read or has errors
// (`errors` then counts them; 0 when the file could not be read).
std::optional<std::string> ReadDefinition(const std::string& path, std::ostream& diagnostics,
                                          size_t* errors = nullptr);

struct FmtOptions {
  std::string file;
  bool check = false;
};
struct ExportOptions {
  std::string file;
  bool asl = true;  // the only format so far
};
struct ImportOptions {
  std::string file;
};
// Exit codes: 0 done (fmt --check: already canonical), 1 fmt --check found
// changes, 2 invalid file.
int Fmt(const FmtOptions& options);
int Export(const ExportOptions& options);
int Import(const ImportOptions& options);

}  // namespace fleetflow::cli
