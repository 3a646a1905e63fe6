#include <filesystem>
#include <iostream>
#include <random>

#include "engine/cli/commands.h"
#include "engine/cli/local_executions.h"
#include "engine/definition/loader.h"
#include "engine/json/json.h"
#include "engine/runtime/local_runner.h"
#include "engine/runtime/mock_config.h"

namespace fleetflow::cli {

namespace {

void PrintErrors(const std::string& file, const std::vector<definition::Diagnostic>& errors) {
  for (const definition::Diagnostic& d : errors) {
    std::cerr << file << ": " << (d.location.empty() ? "/" : d.location) << ": " << d.message
              << "\n";
  }
}

std::optional<json::Value> LoadInput(const RunOptions& options) {
  std::string text = "{}";
  std::string where = "--input";
  if (options.input_json) text = *options.input_json;
  if (options.input_file) {
    auto file = ReadFile(*options.input_file);
    if (!file) return std::nullopt;
    text = *file;
    where = *options.input_file;
  }
  auto parsed = json::Parse(text);
  if (!parsed.ok()) {
    std::cerr << where << ": the input is not valid JSON: " << parsed.status().message() << "\n";
    return std::nullopt;
  }
  constexpr size_t kMaxInputBytes = size_t{256} * 1024;  // AWS's limit on an execution's input
  size_t size = json::SerializedSize(*parsed, kMaxInputBytes);
  if (size > kMaxInputBytes) {
    std::cerr << where << ": the input is larger than " << kMaxInputBytes
              << " bytes, the limit on an execution's input\n";
    return std::nullopt;
  }
  return *std::move(parsed);
}

// A Step Functions Local mock config that has the test case for `machine`.
std::optional<runtime::MockConfig> LoadMocks(const RunOptions& options,
                                             const std::string& machine_name) {
  auto text = ReadFile(*options.mocks_file);
  if (!text) return std::nullopt;
  auto doc = json::Parse(*text);
  if (!doc.ok()) {
    std::cerr << *options.mocks_file << ": " << doc.status().message() << "\n";
    return std::nullopt;
  }
  auto config = runtime::MockConfig::Parse(*doc);
  if (!config.ok()) {
    std::cerr << *options.mocks_file << ": " << config.status().message() << "\n";
    return std::nullopt;
  }
  auto handler = runtime::MockTaskHandler::Create(*config, machine_name, *options.test_case);
  if (!handler.ok()) {
    std::cerr << *options.mocks_file << ": " << handler.status().message() << "\n";
    return std::nullopt;
  }
  return *std::move(config);
}

}  // namespace

int Run(const RunOptions& options) {
  std::optional<std::string> text = ReadDefinition(options.definition_file, std::cerr);
  if (!text) return 2;
  definition::LoadResult loaded = definition::LoadAsl(*text);
  if (!loaded.ok()) {
    PrintErrors(options.definition_file, loaded.errors);
    return 2;
  }
  std::optional<json::Value> input = LoadInput(options);
  if (!input) return 2;
  // "machines/robot_mission/robot_mission.asl.json" is machine "robot_mission".
  std::string file_name = std::filesystem::path(options.definition_file).filename().string();
  std::string machine_name =
      options.machine_name.value_or(file_name.substr(0, file_name.find('.')));
  std::optional<runtime::MockConfig> mocks;
  if (options.mocks_file) {
    mocks = LoadMocks(options, machine_name);
    if (!mocks) return 2;
  }
  auto machines = ImportedMachines(options.definition_file, std::cerr);
  if (!machines) return 2;
  (*machines)[machine_name] = loaded.machine;  // a machine may start itself

  std::random_device entropy;
  runtime::ExecutionIdentity identity;
  identity.machine_name = machine_name;
  identity.seed = options.seed.value_or((uint64_t{entropy()} << 32) | entropy());
  identity.name =
      options.execution_name.value_or("run-" + std::to_string(identity.seed % 1000000000));

  runtime::InterpreterOptions interpreter_options;
  interpreter_options.max_history_events = options.max_events;
  runtime::Interpreter interpreter(loaded.machine, interpreter_options);
  runtime::RealClock real_clock;
  runtime::VirtualClock virtual_clock(absl::Now());
  runtime::Clock& clock =
      options.virtual_time ? static_cast<runtime::Clock&>(virtual_clock) : real_clock;
  LocalExecutions executions(*std::move(machines), clock, interpreter_options,
                             mocks ? &*mocks : nullptr, options.test_case.value_or(""));
  runtime::LocalRunner runner(interpreter, executions.RegistryFor(machine_name), clock);
  runner.set_roundtrip_state(options.roundtrip_state);
  runtime::RunResult result = runner.Run(identity, json::Share(*std::move(input)));

  if (options.history) {
    for (const runtime::HistoryEvent& e : result.history) {
      std::cerr << json::Serialize(runtime::EventToJson(e)) << "\n";
    }
  }
  const runtime::ExecutionState& s = result.state;
  if (s.status == runtime::ExecutionStatus::kSucceeded) {
    std::cout << json::Serialize(*s.output) << "\n";
    return 0;
  }
  json::Object failure;
  failure["error"] = s.failure.error;
  failure["cause"] = s.failure.cause;
  if (s.status == runtime::ExecutionStatus::kRunning) {
    failure["error"] = "Fleetflow.Stalled";
    failure["cause"] = "the execution waits for something that can never happen here";
  }
  std::cout << json::Serialize(failure) << "\n";
  return 1;
}

}  // namespace fleetflow::cli
