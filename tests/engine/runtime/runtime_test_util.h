#pragma once
// Helpers shared by the runtime tests: scripted task handlers, a one-call
// runner over LocalRunner + VirtualClock, and a small virtual-time driver
// that calls the Interpreter directly (for tasks that never answer).

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/definition/loader.h"
#include "engine/runtime/local_runner.h"

namespace fleetflow::runtime::testing {

inline const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);  // 2023-11-14T22:13:20Z

inline json::Value J(std::string_view text) {
  auto v = json::Parse(text);
  EXPECT_TRUE(v.ok()) << v.status() << " in " << text;
  return v.ok() ? *v : json::Value();
}

// History events point at state names owned by the MachineDef, so every
// machine a test loads is kept alive for the whole test program.
inline definition::MachinePtr Load(std::string_view definition) {
  static std::mutex mu;
  static std::vector<definition::MachinePtr> keep_alive;
  auto loaded = definition::LoadAsl(definition);
  EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty()
                                   ? ""
                                   : loaded.errors[0].location + ": " + loaded.errors[0].message);
  if (loaded.machine) {
    std::lock_guard<std::mutex> lock(mu);
    keep_alive.push_back(loaded.machine);
  }
  return loaded.machine;
}

// One recorded task invocation.
struct Call {
  std::string state;
  std::string resource;
  int attempt = 0;
  json::Value input;
  double timeout_seconds = 0, heartbeat_seconds = 0;
};

// Answers each task with fn(task, n), n counting this state's invocations
// from 0. Records every call.
class ScriptedHandler : public TaskHandler {
 public:
  using Fn = std::function<TaskOutcome(const DispatchTask&, int)>;
  explicit ScriptedHandler(Fn fn) : fn_(std::move(fn)) {}

  void Invoke(const DispatchTask& task, TaskCallback done) override {
    int n;
    {
      std::lock_guard<std::mutex> lock(mu_);
      n = counts_[task.state_name]++;
      calls_.push_back({task.state_name, task.resource, task.attempt, *task.input,
                        task.timeout_seconds, task.heartbeat_seconds});
    }
    done(fn_(task, n));
  }

  std::vector<Call> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  Fn fn_;
  std::mutex mu_;
  std::map<std::string, int> counts_;
  std::vector<Call> calls_;
};

// Fails with the listed errors in order, then returns `result` forever.
inline std::shared_ptr<ScriptedHandler> FailThenSucceed(std::vector<std::string> errors,
                                                        json::Value result = json::Object{
                                                            {"ok", true}}) {
  return std::make_shared<ScriptedHandler>(
      [errors, result](const DispatchTask&, int n) -> TaskOutcome {
        if (n < static_cast<int>(errors.size()))
          return Failure{errors[static_cast<size_t>(n)], "attempt " + std::to_string(n)};
        return result;
      });
}

inline std::shared_ptr<ScriptedHandler> AlwaysFail(std::string error, std::string cause = "bad") {
  return std::make_shared<ScriptedHandler>([error, cause](const DispatchTask&, int) -> TaskOutcome {
    return Failure{error, cause};
  });
}

// Returns the task's input.
inline std::shared_ptr<ScriptedHandler> Echo() {
  return std::make_shared<ScriptedHandler>(
      [](const DispatchTask& t, int) -> TaskOutcome { return *t.input; });
}

// Keeps the callbacks and never calls them.
class SilentHandler : public TaskHandler {
 public:
  void Invoke(const DispatchTask& task, TaskCallback done) override {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(task);
    pending_.push_back(std::move(done));
  }
  size_t invocations() {
    std::lock_guard<std::mutex> lock(mu_);
    return tasks_.size();
  }

 private:
  std::mutex mu_;
  std::vector<DispatchTask> tasks_;
  std::vector<TaskCallback> pending_;
};

// Runs `definition` to its end with LocalRunner and a VirtualClock at kT0.
inline RunResult RunWith(std::string_view definition, std::string_view input,
                         std::shared_ptr<TaskHandler> handler = nullptr, uint64_t seed = 7,
                         InterpreterOptions options = {}) {
  definition::MachinePtr machine = Load(definition);
  if (!machine) return RunResult{};
  Interpreter interpreter(machine, options);
  ResourceRegistry registry;
  if (handler) registry.Register("", handler);
  VirtualClock clock(kT0);
  LocalRunner runner(interpreter, registry, clock);
  return runner.Run({"exec", "Machine", seed}, json::Share(J(input)));
}

// LocalRunner on a VirtualClock fires the earliest timer even while tasks are
// outstanding, so a task that never answers times out as in real time.
inline RunResult DriveVirtually(std::string_view definition, std::string_view input,
                                std::shared_ptr<TaskHandler> handler, uint64_t seed = 7) {
  return RunWith(definition, input, std::move(handler), seed);
}

inline std::vector<std::string> EventNames(const std::vector<HistoryEvent>& history) {
  std::vector<std::string> names;
  for (const HistoryEvent& e : history) names.push_back(EventTypeName(e));
  return names;
}

// Seconds after kT0 of every event of `type`.
inline std::vector<double> TimesOf(const std::vector<HistoryEvent>& history, EventType type) {
  std::vector<double> out;
  for (const HistoryEvent& e : history) {
    if (e.type == type) out.push_back(absl::ToDoubleSeconds(e.timestamp - kT0));
  }
  return out;
}

inline std::string Out(const RunResult& r) {
  return r.state.output ? json::Serialize(*r.state.output) : "<no output>";
}

}  // namespace fleetflow::runtime::testing
