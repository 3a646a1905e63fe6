// The durable engine over a real store (SQLite and PostgreSQL): executions
// run, wait for timers, tasks and callbacks, survive an engine restart, and
// their rows and histories are what Step Functions would show.

#include "engine/runtime/durable/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"

#include <condition_variable>
#include <fstream>
#include <future>

#include "engine/definition/loader.h"
#include "engine/runtime/durable/step_record.h"
#include "engine/runtime/state_codec.h"
#include "tests/engine/store/store_test_env.h"

namespace fleetflow::runtime::durable {
namespace {

using ::testing::HasSubstr;

// A resource that answers at once with {"echo": <input>}.
class EchoHandler : public TaskHandler {
 public:
  void Invoke(const DispatchTask& task, TaskCallback done) override {
    json::Object out;
    out["echo"] = task.input ? *task.input : json::Value();
    done(json::Value(std::move(out)));
  }
};

// A callback resource: delivers nothing, the token comes back through Send.
class CallbackHandler : public TaskHandler {
 public:
  void Invoke(const DispatchTask&, TaskCallback done) override { done(json::Value()); }
};

class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<store::testing::StoreEnv>(GetParam());
    if (!env_->Available()) GTEST_SKIP() << "FLEETFLOW_TEST_PG_URL is not set (tests/run sets it)";
    auto opened = env_->Open();
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
    resources_.Register("fleetflow:echo", std::make_shared<EchoHandler>());
    resources_.Register("fleetflow:callback", std::make_shared<CallbackHandler>());
    StartEngine();
  }

  void TearDown() override {
    if (engine_) engine_->Shutdown();
  }

  void StartEngine() {
    engine_ = std::make_unique<Engine>(*store_, resources_, clock_);
    engine_->AddCommitObserver([this](const store::ExecutionRecord&) {
      std::lock_guard lock(mu_);
      ++commits_;
      cv_.notify_all();
    });
    ASSERT_TRUE(engine_->Start().ok());
  }

  void RestartEngine() {
    engine_->Shutdown();
    engine_.reset();
    StartEngine();
  }

  // Stores the machine's definition under an id, as the server does.
  std::string Define(const std::string& asl) {
    definition::LoadResult loaded = definition::LoadAsl(asl);
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.errors[0].message);
    std::string id = "def-" + std::to_string(next_definition_++);
    store::MachineRecord m;
    m.arn = "arn:fleetflow:states:local:stateMachine:M" + id;
    m.name = "M" + id;
    m.definition = asl;
    m.definition_id = id;
    m.revision_id = "r1";
    m.created = m.updated = absl::Now();
    EXPECT_TRUE(store_->CreateMachine(m).ok());
    return id;
  }

  absl::StatusOr<store::ExecutionRecord> Start(const std::string& definition_id,
                                               const std::string& name,
                                               const std::string& input = "{}") {
    StartRequest request;
    request.machine_arn = "arn:fleetflow:states:local:stateMachine:M" + definition_id;
    request.machine_name = "M" + definition_id;
    request.definition_id = definition_id;
    request.name = name;
    request.input = input;
    std::promise<absl::StatusOr<store::ExecutionRecord>> result;
    engine_->StartExecution(
        request, [&](absl::StatusOr<store::ExecutionRecord> r) { result.set_value(std::move(r)); });
    return result.get_future().get();
  }

  absl::Status Send(const std::string& arn, Event event) {
    std::promise<absl::Status> result;
    engine_->Send(arn, std::move(event), [&](absl::Status s) { result.set_value(s); });
    return result.get_future().get();
  }

  // Waits (for commits, at most a minute) until the execution has ended.
  store::ExecutionRecord AwaitEnd(const std::string& arn) {
    std::unique_lock lock(mu_);
    absl::Time give_up = absl::Now() + absl::Minutes(1);
    while (absl::Now() < give_up) {
      auto row = store_->GetExecution(arn);
      if (row.ok() && row->status != store::ExecutionStatus::kRunning) return *row;
      cv_.wait_for(lock, std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << arn << " did not end";
    return {};
  }

  // The pending task of an execution: its token is in the task row.
  store::TaskRecord AwaitTask(const std::string& arn) {
    absl::Time give_up = absl::Now() + absl::Minutes(1);
    while (absl::Now() < give_up) {
      auto row = store_->GetExecution(arn);
      if (row.ok()) {
        auto state = DecodeState(row->state);
        if (state.ok() && !state->tasks.empty()) {
          auto task = store_->GetTask(state->tasks.begin()->first);
          if (task.ok()) return *task;
        }
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    ADD_FAILURE() << arn << " has no task";
    return {};
  }

  // Every event of the execution, in order; asserts ids run 1..n with no gap.
  std::vector<json::Value> History(const std::string& arn) {
    std::vector<json::Value> events;
    auto batches = store_->ReadHistory(arn, 0, 100000);
    EXPECT_TRUE(batches.ok());
    for (const store::HistoryBatch& b : *batches) {
      auto parsed = json::Parse(b.events);
      EXPECT_TRUE(parsed.ok());
      for (const json::Value& e : parsed->as_array()) {
        EXPECT_EQ(e.at("id").to_number<int64_t>(), static_cast<int64_t>(events.size()) + 1);
        events.push_back(e);
      }
    }
    return events;
  }

  static std::vector<std::string> Types(const std::vector<json::Value>& events) {
    std::vector<std::string> types;
    for (const json::Value& e : events) types.emplace_back(e.at("type").as_string());
    return types;
  }

  std::unique_ptr<store::testing::StoreEnv> env_;
  std::unique_ptr<store::Store> store_;
  ResourceRegistry resources_;
  RealClock clock_;
  std::unique_ptr<Engine> engine_;
  std::mutex mu_;
  std::condition_variable cv_;
  int commits_ = 0;
  int next_definition_ = 1;
};

TEST_P(EngineTest, PassChainRunsInOneCommittedStep) {
  std::string id = Define(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},
    "B":{"Type":"Pass","Result":2,"ResultPath":"$.b","End":true}}})");
  auto row = Start(id, "e1", R"({"x":0})");
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->status, store::ExecutionStatus::kSucceeded);
  EXPECT_EQ(row->output, R"({"x":0,"a":1,"b":2})");
  auto stored = store_->GetExecution(row->arn);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, store::ExecutionStatus::kSucceeded);
  EXPECT_EQ(stored->output, R"({"x":0,"a":1,"b":2})");
  EXPECT_NE(stored->stop, absl::InfinitePast());
  EXPECT_THAT(Types(History(row->arn)),
              ::testing::ElementsAre("ExecutionStarted", "PassStateEntered", "PassStateExited",
                                     "PassStateEntered", "PassStateExited", "ExecutionSucceeded"));
  EXPECT_EQ(*store_->CountTimers(), 0);
}

TEST_P(EngineTest, StartIsIdempotentByNameAndInput) {
  std::string id =
      Define(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}})");
  auto first = Start(id, "same", R"({"n":1})");
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = Start(id, "same", R"({"n":1})");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->arn, first->arn);
  EXPECT_EQ(again->start, first->start);
  auto other = Start(id, "same", R"({"n":2})");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(other.status().message()), HasSubstr("ExecutionAlreadyExists"));
}

TEST_P(EngineTest, IntegrationTaskResultCompletesTheExecution) {
  std::string id = Define(R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"fleetflow:echo","End":true}}})");
  auto row = Start(id, "e", R"({"room":7})");
  ASSERT_TRUE(row.ok()) << row.status();
  store::ExecutionRecord end = AwaitEnd(row->arn);
  EXPECT_EQ(end.status, store::ExecutionStatus::kSucceeded);
  EXPECT_EQ(end.output, R"({"echo":{"room":7}})");
  EXPECT_THAT(
      Types(History(row->arn)),
      ::testing::ElementsAre("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                             "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"));
  EXPECT_EQ(*store_->CountTasks(), 0);
}

TEST_P(EngineTest, CallbackTokenCompletesTheTaskOnce) {
  std::string id = Define(R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"fleetflow:callback.waitForTaskToken",
         "Parameters":{"token.$":"$$.Task.Token"},"End":true}}})");
  auto row = Start(id, "cb");
  ASSERT_TRUE(row.ok()) << row.status();
  store::TaskRecord task = AwaitTask(row->arn);
  EXPECT_EQ(ExecutionOfToken(task.token), row->arn);
  EXPECT_THAT(task.input, HasSubstr(task.token));
  ASSERT_TRUE(Send(row->arn, TaskSucceededEvent{task.token, json::Value(42)}).ok());
  store::ExecutionRecord end = AwaitEnd(row->arn);
  EXPECT_EQ(end.output, "42");
  // The token is spent: a second answer is refused and changes nothing.
  absl::Status again = Send(row->arn, TaskSucceededEvent{task.token, json::Value(43)});
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetExecution(row->arn)->output, "42");
}

TEST_P(EngineTest, ActivityWorkerGetsTheTaskAndAnswers) {
  std::string id = Define(R"({"StartAt":"Scan","States":{
    "Scan":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:scan",
            "End":true}}})");
  auto row = Start(id, "act", R"({"room":3})");
  ASSERT_TRUE(row.ok()) << row.status();
  auto task = engine_->PollActivity(ActivityArn("scan"), "w1", absl::Seconds(30));
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_TRUE(task->has_value());
  EXPECT_EQ((*task)->input, R"({"room":3})");
  EXPECT_EQ((*task)->execution_arn, row->arn);
  // No second worker gets the same task while it is leased.
  auto none = engine_->PollActivity(ActivityArn("scan"), "w2", absl::Milliseconds(50));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(Send(row->arn, TaskSucceededEvent{(*task)->token, json::Value("done")}).ok());
  store::ExecutionRecord end = AwaitEnd(row->arn);
  EXPECT_EQ(end.output, "\"done\"");
}

// The process's thread count, from /proc.
int Threads() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// Answers of activity polls, in the order they came.
struct PollAnswers {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<int, ActivityHub::PollResult>> answers;  // (poll number, answer)

  ActivityHub::PollDone For(int number) {
    return [this, number](ActivityHub::PollResult r) {
      std::lock_guard lock(mu);
      answers.emplace_back(number, std::move(r));
      cv.notify_all();
    };
  }
  void AwaitCount(size_t n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return answers.size() >= n; });
  }
};

TEST_P(EngineTest, WaitingActivityPollsHoldNoThreadAndAreServedInOrder) {
  std::string id = Define(R"({"StartAt":"Scan","States":{
    "Scan":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:scan",
            "End":true}}})");
  PollAnswers polls;
  int threads_before = Threads();
  std::vector<uint64_t> ids;
  for (int i = 0; i < 500; ++i) {
    ids.push_back(engine_->PollActivity(ActivityArn("scan"), "w" + std::to_string(i),
                                        absl::Minutes(10), polls.For(i)));
    ASSERT_NE(ids.back(), 0u);
  }
  EXPECT_EQ(Threads(), threads_before);
  for (int e = 0; e < 3; ++e) ASSERT_TRUE(Start(id, "scan-" + std::to_string(e)).ok());
  polls.AwaitCount(3);
  {
    std::lock_guard lock(polls.mu);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(polls.answers[i].first, i);  // the oldest polls first
      ASSERT_TRUE(polls.answers[i].second.ok());
      EXPECT_TRUE(polls.answers[i].second->has_value());
    }
  }
  // The others are still waiting; cancelled, each is answered once, with no task.
  for (int i = 3; i < 500; ++i) engine_->CancelActivityPoll(ids[i]);
  engine_->CancelActivityPoll(ids[0]);  // answered already: nothing happens
  polls.AwaitCount(500);
  std::lock_guard lock(polls.mu);
  ASSERT_EQ(polls.answers.size(), 500u);
  for (size_t i = 3; i < polls.answers.size(); ++i) {
    ASSERT_TRUE(polls.answers[i].second.ok());
    EXPECT_FALSE(polls.answers[i].second->has_value());
  }
}

TEST_P(EngineTest, ACancelledActivityPollGetsNoTaskAndTheNextOneDoes) {
  std::string id = Define(R"({"StartAt":"Scan","States":{
    "Scan":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:scan",
            "End":true}}})");
  PollAnswers polls;
  uint64_t first =
      engine_->PollActivity(ActivityArn("scan"), "w0", absl::Minutes(10), polls.For(0));
  ASSERT_NE(engine_->PollActivity(ActivityArn("scan"), "w1", absl::Minutes(10), polls.For(1)), 0u);
  engine_->CancelActivityPoll(first);
  ASSERT_TRUE(Start(id, "scan-once").ok());
  polls.AwaitCount(2);
  std::lock_guard lock(polls.mu);
  for (auto& [number, answer] : polls.answers) {
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->has_value(), number == 1) << "poll " << number;
  }
}

TEST_P(EngineTest, APollWithNoWaitStillGetsAQueuedTask) {
  std::string id = Define(R"({"StartAt":"Scan","States":{
    "Scan":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:scan",
            "End":true}}})");
  auto row = Start(id, "queued");
  ASSERT_TRUE(row.ok()) << row.status();
  AwaitTask(row->arn);
  auto task = engine_->PollActivity(ActivityArn("scan"), "w", absl::ZeroDuration());
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_TRUE(task->has_value());
  EXPECT_EQ((*task)->execution_arn, row->arn);
}

TEST_P(EngineTest, ShutdownAnswersWaitingActivityPolls) {
  PollAnswers polls;
  ASSERT_NE(engine_->PollActivity(ActivityArn("scan"), "w", absl::Minutes(10), polls.For(0)), 0u);
  engine_->Shutdown();
  polls.AwaitCount(1);
  EXPECT_EQ(polls.answers[0].second.status().code(), absl::StatusCode::kUnavailable);
  // Later polls are refused at once, without a callback.
  EXPECT_EQ(engine_->PollActivity(ActivityArn("scan"), "w", absl::Minutes(10), polls.For(1)), 0u);
  EXPECT_EQ(engine_->PollActivity(ActivityArn("scan"), "w", absl::Seconds(1)).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(polls.answers.size(), 1u);
}

TEST_P(EngineTest, WaitFiresAfterAnEngineRestart) {
  std::string id = Define(R"({"StartAt":"W","States":{
    "W":{"Type":"Wait","Seconds":1,"Next":"P"},
    "P":{"Type":"Pass","Result":"woke","End":true}}})");
  auto row = Start(id, "sleeper");
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(*store_->CountTimers(), 1);
  RestartEngine();  // the timer is only a row now
  store::ExecutionRecord end = AwaitEnd(row->arn);
  EXPECT_EQ(end.status, store::ExecutionStatus::kSucceeded);
  EXPECT_EQ(end.output, "\"woke\"");
  EXPECT_EQ(*store_->CountTimers(), 0);
}

TEST_P(EngineTest, StopAbortsAndCancelsTheTask) {
  std::string id = Define(R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"fleetflow:callback.waitForTaskToken","End":true}}})");
  auto row = Start(id, "stopped");
  ASSERT_TRUE(row.ok()) << row.status();
  store::TaskRecord task = AwaitTask(row->arn);
  ASSERT_TRUE(Send(row->arn, AbortEvent{"Operator.Stop", "robot recalled"}).ok());
  store::ExecutionRecord end = AwaitEnd(row->arn);
  EXPECT_EQ(end.status, store::ExecutionStatus::kAborted);
  EXPECT_EQ(end.error, "Operator.Stop");
  EXPECT_EQ(end.cause, "robot recalled");
  EXPECT_EQ(*store_->CountTasks(), 0);
  EXPECT_EQ(Send(row->arn, TaskSucceededEvent{task.token, json::Value(1)}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Send("arn:fleetflow:states:local:execution:M:none", AbortEvent{}).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(EngineTest, AnExecutionWhoseStateCannotBeReadFailsAndCannotBeRedriven) {
  std::string id = Define(R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"fleetflow:callback.waitForTaskToken","End":true}}})");
  auto row = Start(id, "garbled");
  ASSERT_TRUE(row.ok()) << row.status();
  store::TaskRecord task = AwaitTask(row->arn);
  // Damage the stored state, as a bad disk or a bad migration would (again
  // if the engine's own step, taking the callback's task, came between).
  bool damaged = false;
  for (int attempt = 0; attempt < 100 && !damaged; ++attempt) {
    auto stored = store_->GetExecution(row->arn);
    ASSERT_TRUE(stored.ok());
    store::Transition damage;
    damage.expected_version = stored->version;
    damage.execution = *stored;
    damage.execution.version = stored->version + 1;
    damage.execution.state = "{not a state";
    auto committed = store_->Commit(std::span<const store::Transition>(&damage, 1));
    ASSERT_TRUE(committed.ok());
    damaged = (*committed)[0].ok();
  }
  ASSERT_TRUE(damaged);

  // The next event fails it with the reason instead of retrying forever.
  EXPECT_EQ(Send(row->arn, TaskSucceededEvent{task.token, json::Value(1)}).code(),
            absl::StatusCode::kFailedPrecondition);
  store::ExecutionRecord end = AwaitEnd(row->arn);
  EXPECT_EQ(end.status, store::ExecutionStatus::kFailed);
  EXPECT_EQ(end.error, "Fleetflow.EngineError");
  EXPECT_EQ(Types(History(row->arn)).back(), "ExecutionFailed");

  absl::Status redrive = Send(row->arn, RedriveEvent{"r1"});
  EXPECT_EQ(redrive.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(redrive.message(), "ExecutionNotRedrivable: ")) << redrive;
}

TEST_P(EngineTest, MissedHeartbeatFailsTheTask) {
  std::string id = Define(R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"fleetflow:callback.waitForTaskToken","HeartbeatSeconds":1,
         "End":true}}})");
  auto row = Start(id, "silent");
  ASSERT_TRUE(row.ok()) << row.status();
  store::ExecutionRecord end = AwaitEnd(row->arn);
  EXPECT_EQ(end.status, store::ExecutionStatus::kFailed);
  EXPECT_EQ(end.error, "States.HeartbeatTimeout");
}

TEST_P(EngineTest, ManyConcurrentExecutionsAllFinish) {
  std::string id = Define(R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"fleetflow:echo","Next":"M"},
    "M":{"Type":"Map","ItemsPath":"$.echo.items","MaxConcurrency":2,
         "Iterator":{"StartAt":"I","States":{"I":{"Type":"Task","Resource":"fleetflow:echo","End":true}}},
         "End":true}}})");
  std::vector<std::string> arns;
  for (int i = 0; i < 40; ++i) {
    auto row = Start(id, "c" + std::to_string(i), R"({"items":[1,2,3]})");
    ASSERT_TRUE(row.ok()) << row.status();
    arns.push_back(row->arn);
  }
  for (const std::string& arn : arns) {
    store::ExecutionRecord end = AwaitEnd(arn);
    EXPECT_EQ(end.status, store::ExecutionStatus::kSucceeded) << end.error << end.cause;
    EXPECT_EQ(end.output, R"([{"echo":1},{"echo":2},{"echo":3}])");
    History(arn);  // gap-free
  }
  EXPECT_GT(engine_->stats().commits.commits, 0u);
}

INSTANTIATE_TEST_SUITE_P(Stores, EngineTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fleetflow::runtime::durable
