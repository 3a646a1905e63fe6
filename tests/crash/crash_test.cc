// Crash safety: 1,000 executions (Wait, Retry, Map, Parallel, activity tasks
// answered by workers) run while `fleetflow server` is killed with SIGKILL at
// 50 random moments and restarted each time. Every execution must end with
// exactly the output it gets in an uninterrupted run, and every history must
// be gap-free with no event twice. Once per store.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "engine/json/json.h"
#include "fleetflow/v1/engine.grpc.pb.h"
#include "fleetflow/v1/tasks.grpc.pb.h"
#include "tests/engine/store/store_test_env.h"

namespace fleetflow {
namespace {

namespace v1 = ::fleetflow::v1;

constexpr int kExecutions = 1000;
constexpr int kKills = 50;
constexpr const char* kActivity = "arn:fleetflow:states:local:activity:crash-work";
// Every execution ends behind this activity, answered only while the gate is
// open: the test opens it after the last kill, so every kill finds the
// executions started so far still in flight.
constexpr const char* kGate = "arn:fleetflow:states:local:activity:crash-gate";

// Wait (1-5 s), then a Parallel of an activity task that fails its first
// attempt for every third execution (Retry) and a Map over three integration
// tasks, then the gate (see kGate).
constexpr const char* kMachine = R"json({
  "StartAt": "Prepare",
  "States": {
    "Prepare": {"Type": "Pass", "Parameters": {"n.$": "$.n", "delay.$": "$.delay",
                "items.$": "States.ArrayRange(1, 3, 1)"}, "Next": "Sleep"},
    "Sleep": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Fan"},
    "Fan": {"Type": "Parallel", "Next": "Gate", "Branches": [
      {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "arn:fleetflow:states:local:activity:crash-work",
        "Parameters": {"n.$": "$.n", "retry.$": "$$.State.RetryCount"},
        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 3}], "End": true}}},
      {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
        "ItemSelector": {"n.$": "$.n", "i.$": "$$.Map.Item.Value"},
        "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Task", "Resource": "fleetflow:echo",
          "ResultSelector": {"v.$": "States.MathAdd($.n, $.i)"}, "End": true}}}, "End": true}}}]},
    "Gate": {"Type": "Task", "Resource": "arn:fleetflow:states:local:activity:crash-gate",
             "ResultPath": null, "Next": "Done"},
    "Done": {"Type": "Pass", "Parameters": {"work.$": "$[0]", "map.$": "$[1]"}, "End": true}
  }
})json";

bool Transient(const grpc::Status& s) {
  return s.error_code() == grpc::StatusCode::UNAVAILABLE ||
         s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
         s.error_code() == grpc::StatusCode::CANCELLED;
}

// A channel that reconnects within half a second of the server coming back
// (gRPC's default backoff grows to two minutes), with its own subchannels.
std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

// `fleetflow server` as a child process that can be killed and restarted.
class ServerProcess {
 public:
  ServerProcess(std::string store_url, std::string log)
      : store_url_(std::move(store_url)), log_(std::move(log)) {
    // Below Linux's ephemeral ports (32768+), so no client socket takes it
    // between a kill and the restart.
    port_ = 20000 + static_cast<int>(getpid() % 12000);
    address_ = "127.0.0.1:" + std::to_string(port_);
  }
  ~ServerProcess() { Kill(); }

  void Start() {
    pid_ = fork();
    if (pid_ == 0) {
      FILE* out = std::fopen(log_.c_str(), "a");
      dup2(fileno(out), 1);
      dup2(fileno(out), 2);
      execl(FLEETFLOW_BINARY, FLEETFLOW_BINARY, "server", "--store", store_url_.c_str(), "--listen",
            address_.c_str(), "--activity-lease", "3", nullptr);
      _exit(127);
    }
    auto channel = Channel(address_);
    bool up =
        channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(30));
    int status = 0;
    bool exited = waitpid(pid_, &status, WNOHANG) == pid_;
    ASSERT_TRUE(up) << "the server did not come up" << (exited ? " (it exited)" : "") << "; see "
                    << log_;
  }

  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  const std::string& address() const { return address_; }

 private:
  std::string store_url_, log_, address_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// Runs the workload against a server; `chaos` kills and restarts it meanwhile.
class Workload {
 public:
  explicit Workload(const std::string& address) : channel_(Channel(address)) {}

  // Retries a call while the server is down (it is being restarted).
  template <typename Call>
  grpc::Status Retry(Call call) {
    for (int attempt = 0;; ++attempt) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      grpc::Status s = call(context);
      if (!Transient(s) || attempt > 600) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  void Setup() {
    v1::StateMachines::Stub machines(channel_);
    v1::CreateStateMachineRequest create;
    create.set_name("crash");
    create.set_definition(kMachine);
    v1::CreateStateMachineResponse created;
    ASSERT_TRUE(
        Retry([&](auto& c) { return machines.CreateStateMachine(&c, create, &created); }).ok());
    v1::Activities::Stub activities(channel_);
    for (const char* name : {"crash-work", "crash-gate"}) {
      v1::CreateActivityRequest activity;
      activity.set_name(name);
      v1::CreateActivityResponse made;
      ASSERT_TRUE(
          Retry([&](auto& c) { return activities.CreateActivity(&c, activity, &made); }).ok());
    }
  }

  void StartAll() {
    v1::Executions::Stub executions(channel_);
    for (int i = 0; i < kExecutions; ++i) {
      v1::StartExecutionRequest start;
      start.set_state_machine_arn("arn:fleetflow:states:local:stateMachine:crash");
      start.set_name("e" + std::to_string(i));
      start.set_input("{\"n\":" + std::to_string(i) + ",\"delay\":" + std::to_string(1 + i % 5) +
                      "}");
      v1::StartExecutionResponse started;
      grpc::Status s =
          Retry([&](auto& c) { return executions.StartExecution(&c, start, &started); });
      // A retried start whose first attempt committed, and whose execution
      // already ended, is ExecutionAlreadyExists: the execution exists.
      ASSERT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS)
          << s.error_message();
    }
  }

  // Workers answer activity tasks until StopWorkers.
  void StartWorkers(int count = 4) {
    for (int w = 0; w < count; ++w) workers_.emplace_back([this] { Work(stop_); });
    for (int w = 0; w < 2; ++w) workers_.emplace_back([this] { PassGate(); });
  }
  void CloseGate() { gate_open_ = false; }
  void OpenGate() { gate_open_ = true; }

  // Answers gate tasks while the gate is open.
  void PassGate() {
    v1::Activities::Stub activities(channel_);
    v1::Tasks::Stub tasks(channel_);
    while (!stop_) {
      if (!gate_open_) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      v1::GetActivityTaskRequest poll;
      poll.set_activity_arn(kGate);
      v1::GetActivityTaskResponse task;
      if (!activities.GetActivityTask(&context, poll, &task).ok() || task.task_token().empty()) {
        continue;
      }
      v1::SendTaskSuccessRequest ok;
      ok.set_task_token(task.task_token());
      ok.set_output("{}");
      v1::SendTaskSuccessResponse ignored;
      grpc::Status answered =
          Retry([&](auto& c) { return tasks.SendTaskSuccess(&c, ok, &ignored); });
      EXPECT_TRUE(answered.ok() || answered.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
          << answered.error_message();
    }
  }
  void StopWorkers() {
    stop_ = true;
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  // A worker: fails the first attempt of every third execution ("Flaky").
  void Work(const std::atomic<bool>& stop) {
    v1::Activities::Stub activities(channel_);
    v1::Tasks::Stub tasks(channel_);
    while (!stop) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      v1::GetActivityTaskRequest poll;
      poll.set_activity_arn(kActivity);
      v1::GetActivityTaskResponse task;
      grpc::Status s = activities.GetActivityTask(&context, poll, &task);
      if (!s.ok() || task.task_token().empty()) {
        if (!s.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      auto input = json::Parse(task.input());
      ASSERT_TRUE(input.ok());
      int64_t n = input->at("n").to_number<int64_t>();
      int64_t retry = input->at("retry").to_number<int64_t>();
      grpc::Status answered;
      if (n % 3 == 0 && retry == 0) {
        v1::SendTaskFailureRequest fail;
        fail.set_task_token(task.task_token());
        fail.set_error("Flaky");
        fail.set_cause("first attempt");
        v1::SendTaskFailureResponse ignored;
        answered = Retry([&](auto& c) { return tasks.SendTaskFailure(&c, fail, &ignored); });
      } else {
        v1::SendTaskSuccessRequest ok;
        ok.set_task_token(task.task_token());
        ok.set_output("{\"n\":" + std::to_string(n) + ",\"attempt\":" + std::to_string(retry) +
                      "}");
        v1::SendTaskSuccessResponse ignored;
        answered = Retry([&](auto& c) { return tasks.SendTaskSuccess(&c, ok, &ignored); });
      }
      // A task answered twice (delivered again after a crash) is refused the
      // second time: that is the at-least-once contract, not an error.
      EXPECT_TRUE(answered.ok() || answered.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
          << answered.error_message();
    }
  }

  // Whether some execution is running now.
  bool AnyRunning() {
    v1::Executions::Stub executions(channel_);
    v1::ListExecutionsRequest list;
    list.set_status_filter(v1::EXECUTION_STATUS_RUNNING);
    list.set_max_results(1);
    v1::ListExecutionsResponse running;
    grpc::Status s = Retry([&](auto& c) { return executions.ListExecutions(&c, list, &running); });
    return s.ok() && !running.executions().empty();
  }

  // Waits until no execution runs; returns name -> (status, output).
  std::map<std::string, std::pair<std::string, std::string>> AwaitAll() {
    v1::Executions::Stub executions(channel_);
    std::map<std::string, std::pair<std::string, std::string>> results;
    auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    while (std::chrono::steady_clock::now() < give_up) {
      v1::ListExecutionsRequest list;
      list.set_state_machine_arn("arn:fleetflow:states:local:stateMachine:crash");
      list.set_status_filter(v1::EXECUTION_STATUS_RUNNING);
      list.set_max_results(1);
      v1::ListExecutionsResponse running;
      grpc::Status s =
          Retry([&](auto& c) { return executions.ListExecutions(&c, list, &running); });
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (s.ok() && running.executions().empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    for (int i = 0; i < kExecutions; ++i) {
      v1::DescribeExecutionRequest describe;
      describe.set_execution_arn("arn:fleetflow:states:local:execution:crash:e" +
                                 std::to_string(i));
      v1::DescribeExecutionResponse d;
      grpc::Status s =
          Retry([&](auto& c) { return executions.DescribeExecution(&c, describe, &d); });
      EXPECT_TRUE(s.ok()) << "e" << i << ": " << s.error_message();
      results[d.name()] = {v1::ExecutionStatus_Name(d.status()), d.output()};
    }
    return results;
  }

  // Asserts ids 1..n in order, each once, ExecutionStarted first and one
  // closing event last.
  void CheckHistory(int i) {
    v1::Executions::Stub executions(channel_);
    v1::GetExecutionHistoryRequest request;
    request.set_execution_arn("arn:fleetflow:states:local:execution:crash:e" + std::to_string(i));
    request.set_max_results(1000);
    std::vector<v1::HistoryEvent> events;
    do {
      v1::GetExecutionHistoryResponse page;
      grpc::Status s =
          Retry([&](auto& c) { return executions.GetExecutionHistory(&c, request, &page); });
      ASSERT_TRUE(s.ok()) << s.error_message();
      for (const auto& e : page.events()) events.push_back(e);
      request.set_next_token(page.next_token());
    } while (!request.next_token().empty());
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().type(), "ExecutionStarted");
    int closing = 0;
    for (size_t k = 0; k < events.size(); ++k) {
      ASSERT_EQ(events[k].id(), static_cast<int64_t>(k) + 1)
          << "e" << i << " has a gap or a repeat";
      EXPECT_LT(events[k].previous_event_id(), events[k].id());
      const std::string& type = events[k].type();
      if (type == "ExecutionSucceeded" || type == "ExecutionFailed" || type == "ExecutionAborted" ||
          type == "ExecutionTimedOut") {
        ++closing;
        EXPECT_EQ(k + 1, events.size()) << "e" << i << ": events after the closing one";
      }
    }
    EXPECT_EQ(closing, 1) << "e" << i;
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> gate_open_{true};
  std::vector<std::thread> workers_;
};

// What execution n ends with: the machine is deterministic.
std::string ExpectedOutput(int n) {
  std::string map;
  for (int i = 1; i <= 3; ++i) {
    map += (i > 1 ? "," : "") + std::string("{\"v\":") + std::to_string(n + i) + "}";
  }
  return "{\"work\":{\"n\":" + std::to_string(n) + ",\"attempt\":" + (n % 3 == 0 ? "1" : "0") +
         "},\"map\":[" + map + "]}";
}

class CrashTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CrashTest, KilledServerLosesNothing) {
  // The reference: the same workload, never interrupted.
  std::map<std::string, std::pair<std::string, std::string>> expected;
  {
    store::testing::StoreEnv env(GetParam());
    if (!env.Available()) GTEST_SKIP() << "FLEETFLOW_TEST_PG_URL is not set (tests/run sets it)";
    ServerProcess server(env.url(),
                         ::testing::TempDir() + "crash-reference-" + GetParam() + ".log");
    server.Start();
    Workload load(server.address());
    load.Setup();
    load.StartWorkers();
    load.StartAll();
    expected = load.AwaitAll();
    load.StopWorkers();
  }
  ASSERT_EQ(expected.size(), static_cast<size_t>(kExecutions));
  for (const auto& [name, result] : expected)
    ASSERT_EQ(result.first, "EXECUTION_STATUS_SUCCEEDED") << name;

  store::testing::StoreEnv env(GetParam());
  std::string log = ::testing::TempDir() + "crash-" + GetParam() + ".log";
  ServerProcess server(env.url(), log);
  server.Start();
  Workload load(server.address());
  load.Setup();
  load.CloseGate();
  load.StartWorkers();
  int kills_in_flight = 0;  // kills that found executions running
  std::thread chaos([&] {
    std::mt19937 random(12345);
    for (int k = 0; k < kKills; ++k) {
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 500)(random)));
      if (load.AnyRunning()) ++kills_in_flight;
      server.Kill();
      server.Start();
    }
  });
  load.StartAll();
  chaos.join();
  load.OpenGate();  // after the last kill: now the executions may end
  std::map<std::string, std::pair<std::string, std::string>> got = load.AwaitAll();
  load.StopWorkers();

  // The kills must have hit a workload in flight, or the test shows nothing.
  EXPECT_GE(kills_in_flight, kKills * 9 / 10);
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [name, result] : expected) {
    EXPECT_EQ(got[name], result) << name << " (server log: " << log << ")";
  }
  for (int i = 0; i < kExecutions; ++i) load.CheckHistory(i);
}

// PostgreSQL restarted three times under load: the server reconnects with
// backoff, every execution ends as it would have, no history has a gap.
TEST(PostgresFaults, RestartUnderLoadLosesNothing) {
  const char* restart = std::getenv("FLEETFLOW_TEST_PG_RESTART");
  store::testing::StoreEnv env("postgres");
  if (!env.Available() || restart == nullptr) {
    GTEST_SKIP()
        << "FLEETFLOW_TEST_PG_URL / FLEETFLOW_TEST_PG_RESTART are not set (tests/run sets them)";
  }
  std::string log = ::testing::TempDir() + "pg-restart.log";
  ServerProcess server(env.url(), log);
  server.Start();
  Workload load(server.address());
  load.Setup();
  load.StartWorkers();
  std::thread faults([&] {
    for (int k = 0; k < 3; ++k) {
      std::this_thread::sleep_for(std::chrono::seconds(3));
      EXPECT_EQ(std::system(restart), 0) << restart;
    }
  });
  load.StartAll();
  faults.join();
  std::map<std::string, std::pair<std::string, std::string>> got = load.AwaitAll();
  load.StopWorkers();
  ASSERT_EQ(got.size(), static_cast<size_t>(kExecutions));
  for (int i = 0; i < kExecutions; ++i) {
    const auto& result = got["e" + std::to_string(i)];
    EXPECT_EQ(result.first, "EXECUTION_STATUS_SUCCEEDED") << i << " (server log: " << log << ")";
    EXPECT_EQ(result.second, ExpectedOutput(i)) << i;
  }
  for (int i = 0; i < kExecutions; ++i) load.CheckHistory(i);
}

INSTANTIATE_TEST_SUITE_P(Stores, CrashTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fleetflow
