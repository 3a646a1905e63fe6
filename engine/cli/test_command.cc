// `fleetflow test`: runs machines against their test files (docs/machine-tests.md).
//
// A test file X.test.json is a Step Functions Local mock config (StateMachines
// -> X -> TestCases, MockedResponses) with two more members: "Input" (the
// default execution input) and "Tests", the expectations of each test case:
// its "Path" (the states entered, in order) and either its "Output" or its
// "Error" (and optionally "Cause").

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "engine/cli/commands.h"
#include "engine/cli/local_executions.h"
#include "engine/cli/machine_commands.h"
#include "engine/common/strings.h"
#include "engine/definition/loader.h"
#include "engine/json/json.h"
#include "engine/runtime/history.h"
#include "engine/runtime/local_runner.h"
#include "engine/runtime/mock_config.h"

namespace fleetflow::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTestSuffix = ".test.json";
constexpr size_t kMaxDifferences = 8;

bool IsTestFile(const fs::path& p) { return p.filename().string().ends_with(kTestSuffix); }

// "machines/robot_mission.test.json" -> "robot_mission".
std::string MachineNameOf(const fs::path& test_file) {
  std::string name = test_file.filename().string();
  return name.substr(0, name.size() - kTestSuffix.size());
}

// The machine a test file tests: its "Machine" member (relative to the test
// file), else NAME.flow, NAME.asl.json, NAME.asl.yaml or NAME.asl.yml beside it.
std::optional<fs::path> MachineFileOf(const fs::path& test_file, const json::Object& doc) {
  fs::path dir = test_file.parent_path();
  if (const json::Value* m = doc.if_contains("Machine"); m != nullptr && m->is_string()) {
    return dir / std::string(m->get_string());
  }
  std::string name = MachineNameOf(test_file);
  for (const char* ext : {".flow", ".asl.json", ".asl.yaml", ".asl.yml"}) {
    fs::path candidate = dir / (name + ext);
    if (fs::exists(candidate)) return candidate;
  }
  return std::nullopt;
}

// Test files named by the arguments: directories are searched recursively; a
// machine file stands for the test file beside it.
std::vector<fs::path> FindTestFiles(const std::vector<std::string>& args, bool& ok) {
  std::vector<fs::path> found;
  for (const std::string& arg : args) {
    fs::path p(arg);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> in_dir;
      for (const auto& entry : fs::recursive_directory_iterator(p, ec)) {
        if (entry.is_regular_file() && IsTestFile(entry.path())) in_dir.push_back(entry.path());
      }
      std::sort(in_dir.begin(), in_dir.end());
      if (in_dir.empty())
        std::cerr << arg << ": no *" << kTestSuffix << " file in this directory\n";
      found.insert(found.end(), in_dir.begin(), in_dir.end());
    } else if (!fs::exists(p, ec)) {
      std::cerr << arg << ": no such file or directory\n";
      ok = false;
    } else if (IsTestFile(p)) {
      found.push_back(p);
    } else {
      std::string name = p.filename().string();
      std::string stem = name.substr(0, name.find('.'));
      fs::path test_file = p.parent_path() / (stem + std::string(kTestSuffix));
      if (fs::exists(test_file)) {
        found.push_back(test_file);
      } else {
        std::cerr << arg << ": no test file " << test_file.string() << "\n";
        ok = false;
      }
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

// Where two JSON values differ, as "pointer: expected X, got Y" lines.
void DiffJson(const json::Value& expected, const json::Value& actual, const std::string& pointer,
              std::vector<std::string>& out) {
  if (out.size() >= kMaxDifferences) return;
  if (expected.is_object() && actual.is_object()) {
    const json::Object& e = expected.get_object();
    const json::Object& a = actual.get_object();
    for (const auto& [key, value] : e) {
      std::string at = StrCat(pointer, "/", std::string_view(key));
      if (const json::Value* other = a.if_contains(key)) {
        DiffJson(value, *other, at, out);
      } else if (out.size() < kMaxDifferences) {
        out.push_back(StrCat(at, ": expected ", json::Serialize(value), ", missing"));
      }
    }
    for (const auto& [key, value] : a) {
      if (!e.contains(key) && out.size() < kMaxDifferences) {
        out.push_back(
            StrCat(pointer, "/", std::string_view(key), ": unexpected ", json::Serialize(value)));
      }
    }
    return;
  }
  if (expected.is_array() && actual.is_array() &&
      expected.get_array().size() == actual.get_array().size()) {
    for (size_t i = 0; i < expected.get_array().size(); ++i) {
      DiffJson(expected.get_array()[i], actual.get_array()[i], StrCat(pointer, "/", i), out);
    }
    return;
  }
  if (!json::Equal(expected, actual)) {
    out.push_back(StrCat(pointer.empty() ? "/" : pointer, ": expected ", json::Serialize(expected),
                         ", got ", json::Serialize(actual)));
  }
}

// The two paths around their first difference.
std::string DiffPath(const std::vector<std::string>& expected,
                     const std::vector<std::string>& actual) {
  size_t i = 0;
  while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) ++i;
  auto window = [i](const std::vector<std::string>& path) {
    std::string out;
    size_t from = i >= 2 ? i - 2 : 0;
    if (from > 0) out += "... ";
    for (size_t k = from; k < path.size() && k < i + 4; ++k) {
      if (k > from) out += " ";
      out += k == i ? StrCat("[", path[k], "]") : path[k];
    }
    if (i + 4 < path.size()) out += " ...";
    if (i >= path.size()) out += " [end]";
    return out;
  };
  return StrCat("path differs at step ", i + 1, ":\n      expected: ", window(expected),
                "\n      actual:   ", window(actual));
}

std::vector<std::string> StatesEntered(const std::vector<runtime::HistoryEvent>& history) {
  std::vector<std::string> path;
  for (const runtime::HistoryEvent& e : history) {
    if (e.type == runtime::EventType::kStateEntered && e.name != nullptr) path.push_back(*e.name);
  }
  return path;
}

struct Counts {
  int passed = 0, failed = 0;
};

struct TestFileRun {
  fs::path file;
  std::string machine_name;
  definition::MachinePtr machine;
  std::map<std::string, definition::MachinePtr> machines;  // it and what it imports
  runtime::MockConfig mocks;
  json::Value input;
  const json::Object* tests = nullptr;
};

// Loads a test file and its machine; false (after a message) when either is unusable.
bool LoadTestFile(const fs::path& file, json::Value& doc, TestFileRun& run) {
  run.file = file;
  run.machine_name = MachineNameOf(file);
  std::optional<std::string> text = ReadFile(file.string());
  if (!text) return false;
  auto parsed = json::Parse(*text);
  if (!parsed.ok() || !parsed->is_object()) {
    std::cerr << file.string() << ": "
              << (parsed.ok() ? "must be a JSON object" : parsed.status().message()) << "\n";
    return false;
  }
  doc = *std::move(parsed);
  const json::Object& obj = doc.get_object();
  const json::Value* tests = obj.if_contains("Tests");
  if (tests == nullptr || !tests->is_object() || tests->get_object().empty()) {
    std::cerr << file.string() << ": needs \"Tests\": an object of test cases and expectations\n";
    return false;
  }
  run.tests = &tests->get_object();
  run.input = obj.contains("Input") ? obj.at("Input") : json::Value(json::Object());
  auto mocks = runtime::MockConfig::Parse(doc);
  if (!mocks.ok()) {
    std::cerr << file.string() << ": " << mocks.status().message() << "\n";
    return false;
  }
  run.mocks = *std::move(mocks);
  std::optional<fs::path> machine_file = MachineFileOf(file, obj);
  if (!machine_file) {
    std::cerr << file.string() << ": no machine " << run.machine_name
              << ".flow (or .asl.json, .asl.yaml) beside it; name it with \"Machine\"\n";
    return false;
  }
  std::optional<std::string> definition = ReadDefinition(machine_file->string(), std::cerr);
  if (!definition) return false;
  definition::LoadResult loaded = definition::LoadAsl(*definition);
  if (!loaded.ok()) {
    for (const definition::Diagnostic& d : loaded.errors) {
      std::cerr << machine_file->string() << ": " << (d.location.empty() ? "/" : d.location) << ": "
                << d.message << "\n";
    }
    return false;
  }
  run.machine = loaded.machine;
  auto machines = ImportedMachines(machine_file->string(), std::cerr);
  if (!machines) return false;
  run.machines = *std::move(machines);
  run.machines[run.machine_name] = run.machine;  // a machine may start itself
  return true;
}

// Runs one case; returns the differences (empty: it passed).
std::vector<std::string> RunCase(const TestFileRun& run, const std::string& name,
                                 const json::Value& expectation, const TestOptions& options) {
  std::vector<std::string> problems;
  const json::Object* expect = expectation.if_object();
  if (expect == nullptr) return {"the expectation must be an object"};
  const json::Value* output = expect->if_contains("Output");
  const json::Value* error = expect->if_contains("Error");
  const json::Value* cause = expect->if_contains("Cause");
  const json::Value* path = expect->if_contains("Path");
  if ((output == nullptr) == (error == nullptr)) {
    return {"the expectation needs exactly one of \"Output\" or \"Error\""};
  }
  if (path == nullptr || !path->is_array()) return {"the expectation needs \"Path\": an array"};

  auto handler = runtime::MockTaskHandler::Create(run.mocks, run.machine_name, name);
  if (!handler.ok()) return {StrCat(handler.status().message())};

  runtime::ExecutionIdentity identity;
  identity.machine_name = run.machine_name;
  identity.name = StrCat("test-", name);
  identity.seed = 1;
  runtime::Interpreter interpreter(run.machine);
  // A fixed start, so that outputs built from the context object are stable.
  runtime::VirtualClock clock(absl::FromUnixSeconds(1'798'761'600));  // 2027-01-01T00:00:00Z
  // Imported machines run as nested executions, with their mocks for this case.
  LocalExecutions executions(run.machines, clock, {}, &run.mocks, name);
  runtime::LocalRunner runner(interpreter, executions.RegistryFor(run.machine_name), clock);
  const json::Value& input = expect->contains("Input") ? expect->at("Input") : run.input;
  runtime::RunResult result = runner.Run(identity, json::Share(input));

  if (!options.history_dir.empty()) {
    fs::path out = fs::path(options.history_dir) / StrCat(run.machine_name, ".", name, ".json");
    std::ofstream file(out);
    file << "{\"events\": [\n";
    for (size_t i = 0; i < result.history.size(); ++i) {
      file << (i == 0 ? "  " : ",\n  ") << json::Serialize(runtime::EventToJson(result.history[i]));
    }
    file << "\n]}\n";
  }

  const runtime::ExecutionState& s = result.state;
  if (output != nullptr) {
    if (s.status != runtime::ExecutionStatus::kSucceeded) {
      problems.push_back(StrCat("expected success, got ", s.failure.error, ": ", s.failure.cause));
    } else {
      std::vector<std::string> diffs;
      DiffJson(*output, *s.output, "", diffs);
      for (std::string& d : diffs) problems.push_back(StrCat("output ", d));
    }
  } else {
    std::string expected_error(error->is_string() ? std::string_view(error->get_string()) : "");
    if (s.status == runtime::ExecutionStatus::kSucceeded) {
      problems.push_back(StrCat("expected error ", expected_error, ", but it succeeded with ",
                                json::Serialize(*s.output)));
    } else if (s.status == runtime::ExecutionStatus::kRunning) {
      problems.push_back(StrCat("expected error ", expected_error,
                                ", but the execution still waits (a task without a mock?)"));
    } else {
      if (s.failure.error != expected_error) {
        problems.push_back(StrCat("error: expected ", expected_error, ", got ", s.failure.error));
      }
      if (cause != nullptr && cause->is_string() &&
          s.failure.cause != std::string_view(cause->get_string())) {
        problems.push_back(StrCat("cause: expected \"", std::string_view(cause->get_string()),
                                  "\", got \"", s.failure.cause, "\""));
      }
    }
  }
  std::vector<std::string> expected_path;
  for (const json::Value& v : path->get_array()) {
    expected_path.push_back(v.is_string() ? std::string(v.get_string()) : json::Serialize(v));
  }
  std::vector<std::string> actual_path = StatesEntered(result.history);
  if (expected_path != actual_path) problems.push_back(DiffPath(expected_path, actual_path));
  return problems;
}

}  // namespace

int Test(const TestOptions& options) {
  bool ok = true;
  std::vector<fs::path> files = FindTestFiles(options.paths, ok);
  if (!options.history_dir.empty()) {
    std::error_code ec;
    fs::create_directories(options.history_dir, ec);
  }
  // Load everything first, so that progress counts every case.
  std::vector<json::Value> docs(files.size());
  std::vector<TestFileRun> runs;
  size_t total = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    TestFileRun run;
    if (!LoadTestFile(files[i], docs[i], run)) {
      ok = false;
      continue;
    }
    total += run.tests->size();
    runs.push_back(std::move(run));
  }
  Counts counts;
  size_t done = 0;
  int width = static_cast<int>(std::to_string(total).size());
  for (const TestFileRun& run : runs) {
    // Mocked test cases without expectations are not tested: say so.
    if (auto m = run.mocks.machines.find(run.machine_name); m != run.mocks.machines.end()) {
      for (const auto& [name, unused] : m->second) {
        if (!run.tests->contains(name)) {
          std::cout << run.file.string() << ": test case " << name
                    << " has mocks but no entry in \"Tests\"\n";
          ++counts.failed;
        }
      }
    }
    for (const auto& [key, expectation] : *run.tests) {
      std::string name(key);
      auto started = std::chrono::steady_clock::now();
      std::vector<std::string> problems = RunCase(run, name, expectation, options);
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
      ++done;
      std::string counter = std::to_string(done);
      counter.insert(0, static_cast<size_t>(width) - counter.size(), ' ');
      std::cout << "[" << counter << "/" << total << "] " << (problems.empty() ? "pass" : "FAIL")
                << "  " << run.machine_name << " " << name << " (" << ms << " ms)\n";
      for (const std::string& p : problems) std::cout << "    " << p << "\n";
      std::cout.flush();
      if (problems.empty()) {
        ++counts.passed;
      } else {
        ++counts.failed;
      }
    }
  }
  std::cout << counts.passed << " passed, " << counts.failed << " failed";
  if (!ok) std::cout << ", some test files could not be run (see above)";
  std::cout << " (" << runs.size() << " machine" << (runs.size() == 1 ? "" : "s") << ")\n";
  if (!ok) return 2;
  return counts.failed == 0 && total > 0 ? 0 : 1;
}

}  // namespace fleetflow::cli
