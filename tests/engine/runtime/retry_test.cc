// Retry, Catch and timeouts, measured on the virtual clock: every retry's
// TaskScheduled event carries the virtual time at which it was scheduled.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <future>
#include <thread>

#include "engine/common/strings.h"
#include "engine/runtime/mock_config.h"
#include "runtime_test_util.h"

namespace fleetflow::runtime {
namespace {

using namespace ::fleetflow::runtime::testing;  // NOLINT
using ::testing::ElementsAre;
using ::testing::StartsWith;

// One Task state "Work" with the given Retry (and extra fields), then End,
// or Next "Recover" (a Pass) when `extra` holds a Catch.
std::string Machine(std::string_view retry, std::string_view extra = "") {
  std::string m = R"({"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"test:work",)";
  if (!retry.empty()) m += StrCat(R"("Retry":)", retry, ",");
  m += extra;
  m += R"("End":true})";
  // Recover must be reachable, so it exists only when a catcher can go there.
  if (extra.find("Catch") != std::string_view::npos)
    m += R"(,"Recover":{"Type":"Pass","End":true})";
  m += "}}";
  return m;
}

std::vector<double> Scheduled(const RunResult& r) {
  return TimesOf(r.history, EventType::kTaskScheduled);
}

// ---------------------------------------------------------------- backoff arithmetic

TEST(Retry, BackoffMultipliesTheInterval) {
  auto handler = FailThenSucceed({"Boom", "Boom", "Boom"});
  RunResult r = RunWith(
      Machine(R"([{"ErrorEquals":["Boom"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3}])"),
      "{}", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded)
      << r.state.failure.error << r.state.failure.cause;
  // Delays 2, 2*3, 2*3^2.
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 2, 8, 26));
  EXPECT_EQ(Out(r), R"({"ok":true})");
  EXPECT_EQ(handler->calls().size(), 4u);
}

TEST(Retry, DefaultsAreOneSecondDoublingAndThreeAttempts) {
  auto handler = AlwaysFail("Boom", "bad");
  RunResult r = RunWith(Machine(R"([{"ErrorEquals":["Boom"]}])"), "{}", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 1, 3, 7));
  EXPECT_EQ(r.state.failure.error, "Boom");
  EXPECT_EQ(r.state.failure.cause, "bad");
  EXPECT_THAT(TimesOf(r.history, EventType::kExecutionFailed), ElementsAre(7));
}

TEST(Retry, DefaultMaxAttemptsSucceedsOnTheLastTry) {
  RunResult r = RunWith(Machine(R"([{"ErrorEquals":["Boom"]}])"), "{}",
                        FailThenSucceed({"Boom", "Boom", "Boom"}));
  EXPECT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 1, 3, 7));
}

TEST(Retry, MaxDelaySecondsCapsTheDelay) {
  RunResult r = RunWith(
      Machine(
          R"([{"ErrorEquals":["Boom"],"IntervalSeconds":1,"BackoffRate":10,"MaxDelaySeconds":15,"MaxAttempts":4}])"),
      "{}", AlwaysFail("Boom"));
  // Delays 1, 10, min(100, 15), min(1000, 15).
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 1, 11, 26, 41));
  EXPECT_EQ(r.state.failure.error, "Boom");
}

TEST(Retry, BackoffRateOneKeepsTheDelayConstant) {
  RunResult r = RunWith(
      Machine(
          R"([{"ErrorEquals":["Boom"],"IntervalSeconds":5,"BackoffRate":1.0,"MaxAttempts":2}])"),
      "{}", AlwaysFail("Boom"));
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 5, 10));
}

TEST(Retry, FractionalBackoffRate) {
  RunResult r = RunWith(
      Machine(
          R"([{"ErrorEquals":["Boom"],"IntervalSeconds":2,"BackoffRate":1.5,"MaxAttempts":3}])"),
      "{}", AlwaysFail("Boom"));
  // Delays 2, 3, 4.5.
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 2, 5, 9.5));
}

TEST(Retry, MaxAttemptsZeroNeverRetries) {
  auto handler = AlwaysFail("Boom");
  RunResult r = RunWith(Machine(R"([{"ErrorEquals":["Boom"],"MaxAttempts":0}])"), "{}", handler);
  EXPECT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_THAT(Scheduled(r), ElementsAre(0));
  EXPECT_EQ(handler->calls().size(), 1u);
  EXPECT_EQ(r.state.failure.error, "Boom");
}

TEST(Retry, MaxAttemptsZeroGoesStraightToCatch) {
  RunResult r = RunWith(Machine(R"([{"ErrorEquals":["Boom"],"MaxAttempts":0}])",
                                R"("Catch":[{"ErrorEquals":["Boom"],"Next":"Recover"}],)"),
                        "{}", AlwaysFail("Boom"));
  EXPECT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Scheduled(r), ElementsAre(0));
  EXPECT_EQ(Out(r), R"({"Error":"Boom","Cause":"bad"})");
}

TEST(Retry, NonMatchingRetrierIsSkipped) {
  RunResult r = RunWith(
      Machine(
          R"([{"ErrorEquals":["Other"],"IntervalSeconds":50},{"ErrorEquals":["Boom"],"IntervalSeconds":3,"MaxAttempts":1}])"),
      "{}", AlwaysFail("Boom"));
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 3));
  EXPECT_EQ(r.state.failure.error, "Boom");
}

TEST(Retry, OnlyTheFirstMatchingRetrierApplies) {
  // Once the Boom retrier is exhausted, the later States.ALL retrier is not consulted.
  RunResult r = RunWith(
      Machine(
          R"([{"ErrorEquals":["Boom"],"IntervalSeconds":2,"MaxAttempts":1},{"ErrorEquals":["States.ALL"],"IntervalSeconds":7,"MaxAttempts":5}])"),
      "{}", AlwaysFail("Boom"));
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 2));
  EXPECT_EQ(r.state.status, ExecutionStatus::kFailed);
}

TEST(Retry, StatesAllRetriesCustomErrors) {
  RunResult r =
      RunWith(Machine(R"([{"ErrorEquals":["States.ALL"],"IntervalSeconds":4,"MaxAttempts":1}])"),
              "{}", FailThenSucceed({"Robot.Jammed"}));
  EXPECT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 4));
}

// The ASL specification's example: ErrorA, ErrorB, ErrorC, ErrorB against
// [{ErrorA, ErrorB: MaxAttempts 2}, {ErrorC: IntervalSeconds 5}].
TEST(Retry, EachRetrierKeepsItsOwnCounter) {
  auto handler = FailThenSucceed({"ErrorA", "ErrorB", "ErrorC", "ErrorB"});
  RunResult r = RunWith(
      Machine(
          R"([{"ErrorEquals":["ErrorA","ErrorB"],"IntervalSeconds":1,"BackoffRate":2.0,"MaxAttempts":2},
                  {"ErrorEquals":["ErrorC"],"IntervalSeconds":5}])"),
      "{}", handler);
  // ErrorA: first retrier, attempt 1 -> 1 s. ErrorB: first retrier, attempt 2 -> 2 s.
  // ErrorC: second retrier, attempt 1 -> 5 s. ErrorB: first retrier exhausted -> fail.
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 1, 3, 8));
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "ErrorB");
  EXPECT_EQ(r.state.failure.cause, "attempt 3");
  EXPECT_EQ(handler->calls().size(), 4u);
}

TEST(Retry, SeparateCountersAllowMoreRetriesInTotal) {
  RunResult r = RunWith(
      Machine(
          R"([{"ErrorEquals":["ErrorA","ErrorB"],"IntervalSeconds":1,"BackoffRate":2.0,"MaxAttempts":2},
                  {"ErrorEquals":["ErrorC"],"IntervalSeconds":5}])"),
      "{}", FailThenSucceed({"ErrorA", "ErrorB", "ErrorC", "ErrorC"}));
  // The second ErrorC is that retrier's attempt 2: 5 * 2 = 10 s.
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 1, 3, 8, 18));
  EXPECT_EQ(r.state.status, ExecutionStatus::kSucceeded);
}

// ---------------------------------------------------------------- jitter

std::vector<double> Gaps(const std::vector<double>& times) {
  std::vector<double> gaps;
  for (size_t i = 1; i < times.size(); ++i) gaps.push_back(times[i] - times[i - 1]);
  return gaps;
}

TEST(Retry, FullJitterKeepsEveryDelayWithinZeroAndTheComputedDelay) {
  const std::string m = Machine(
      R"([{"ErrorEquals":["Boom"],"IntervalSeconds":10,"BackoffRate":2,"MaxAttempts":6,"JitterStrategy":"FULL"}])");
  for (uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    RunResult r = RunWith(m, "{}", AlwaysFail("Boom"), seed);
    std::vector<double> gaps = Gaps(Scheduled(r));
    ASSERT_EQ(gaps.size(), 6u) << seed;
    bool any_jittered = false;
    for (size_t k = 0; k < gaps.size(); ++k) {
      double computed = 10 * std::pow(2.0, static_cast<double>(k));
      EXPECT_GE(gaps[k], 0) << "seed " << seed << " retry " << k + 1;
      EXPECT_LE(gaps[k], computed) << "seed " << seed << " retry " << k + 1;
      any_jittered = any_jittered || gaps[k] != computed;
    }
    EXPECT_TRUE(any_jittered) << seed;
  }
}

TEST(Retry, FullJitterIsReproducibleForASeed) {
  const std::string m = Machine(
      R"([{"ErrorEquals":["Boom"],"IntervalSeconds":10,"MaxAttempts":4,"JitterStrategy":"FULL"}])");
  std::vector<double> a = Scheduled(RunWith(m, "{}", AlwaysFail("Boom"), 11));
  std::vector<double> b = Scheduled(RunWith(m, "{}", AlwaysFail("Boom"), 11));
  std::vector<double> c = Scheduled(RunWith(m, "{}", AlwaysFail("Boom"), 12));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Retry, JitterNoneIsExact) {
  RunResult r = RunWith(
      Machine(
          R"([{"ErrorEquals":["Boom"],"IntervalSeconds":3,"MaxAttempts":2,"JitterStrategy":"NONE"}])"),
      "{}", AlwaysFail("Boom"));
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 3, 9));
}

// ---------------------------------------------------------------- $$.State.RetryCount

TEST(Retry, RetryCountIsInTheContextObject) {
  auto handler = FailThenSucceed({"Boom", "Boom"});
  RunResult r = RunWith(Machine(R"([{"ErrorEquals":["Boom"]}])",
                                R"("Parameters":{"retry.$":"$$.State.RetryCount"},)"),
                        "{}", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  std::vector<Call> calls = handler->calls();
  ASSERT_EQ(calls.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(json::Serialize(calls[i].input), StrCat(R"({"retry":)", i, "}"));
    EXPECT_EQ(calls[i].attempt, i);
  }
}

TEST(Retry, RetryCountStartsAtZeroInTheNextState) {
  auto handler = std::make_shared<ScriptedHandler>([](const DispatchTask& t, int n) -> TaskOutcome {
    if (t.state_name == "First" && n == 0) return Failure{"Boom", ""};
    return *t.input;
  });
  RunResult r = RunWith(R"({"StartAt":"First","States":{
      "First":{"Type":"Task","Resource":"test:a","Parameters":{"c.$":"$$.State.RetryCount"},
               "Retry":[{"ErrorEquals":["Boom"]}],"Next":"Second"},
      "Second":{"Type":"Task","Resource":"test:b","Parameters":{"c.$":"$$.State.RetryCount","prev.$":"$.c"},"End":true}}})",
                        "{}", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), R"({"c":0,"prev":1})");
}

// ---------------------------------------------------------------- Catch

TEST(Catch, AfterRetriesAreExhaustedWithResultPath) {
  auto handler = AlwaysFail("Boom", "bad");
  RunResult r = RunWith(
      Machine(R"([{"ErrorEquals":["Boom"],"MaxAttempts":2}])",
              R"("Catch":[{"ErrorEquals":["Boom"],"Next":"Recover","ResultPath":"$.error"}],)"),
      R"({"a":1})", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 1, 3));
  EXPECT_EQ(Out(r), R"({"a":1,"error":{"Error":"Boom","Cause":"bad"}})");
  EXPECT_EQ(handler->calls().size(), 3u);
  // The catcher moves on at once: Recover is entered when the last attempt fails.
  std::vector<double> entered;
  for (const HistoryEvent& e : r.history) {
    if (e.type == EventType::kStateEntered && *e.name == "Recover")
      entered.push_back(absl::ToDoubleSeconds(e.timestamp - kT0));
  }
  EXPECT_THAT(entered, ElementsAre(3));
}

TEST(Catch, WithoutResultPathTheErrorOutputReplacesTheInput) {
  RunResult r =
      RunWith(Machine("", R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],)"),
              R"({"a":1})", AlwaysFail("Boom", "bad"));
  EXPECT_EQ(Out(r), R"({"Error":"Boom","Cause":"bad"})");
}

TEST(Catch, NullResultPathKeepsTheInput) {
  RunResult r = RunWith(
      Machine("",
              R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover","ResultPath":null}],)"),
      R"({"a":1})", AlwaysFail("Boom", "bad"));
  EXPECT_EQ(Out(r), R"({"a":1})");
}

TEST(Catch, FirstMatchingCatcherWins) {
  RunResult r = RunWith(R"({"StartAt":"Work","States":{
      "Work":{"Type":"Task","Resource":"test:work","End":true,"Catch":[
        {"ErrorEquals":["Other"],"Next":"A"},
        {"ErrorEquals":["Boom","Else"],"Next":"B"},
        {"ErrorEquals":["States.ALL"],"Next":"C"}]},
      "A":{"Type":"Pass","Result":"A","End":true},
      "B":{"Type":"Pass","Result":"B","End":true},
      "C":{"Type":"Pass","Result":"C","End":true}}})",
                        "{}", AlwaysFail("Boom"));
  EXPECT_EQ(Out(r), R"("B")");
}

TEST(Catch, StatesAllDoesNotCatchOrRetryRuntimeErrors) {
  auto handler = Echo();
  RunResult r = RunWith(
      Machine(
          R"([{"ErrorEquals":["States.ALL"]}])",
          R"("Parameters":{"x.$":"$.missing"},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],)"),
      "{}", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_EQ(r.state.failure.cause,
            "An error occurred while executing the state 'Work' (entered at the event id #2). The "
            "JSONPath "
            "'$.missing' specified for the field 'x.$' could not be found in the input '{}'");
  EXPECT_TRUE(handler->calls().empty());
  EXPECT_TRUE(Scheduled(r).empty());
}

TEST(Catch, StatesAllDoesNotCatchARuntimeErrorFromTheResource) {
  // No handler is registered: the registry fails the task with States.Runtime.
  RunResult r = RunWith(Machine(R"([{"ErrorEquals":["States.ALL"]}])",
                                R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],)"),
                        "{}", nullptr);
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_THAT(r.state.failure.cause,
              StartsWith("No handler for resource 'test:work' (state 'Work')"));
  EXPECT_THAT(Scheduled(r), ElementsAre(0));
}

TEST(Catch, TaskFailedMatchesCustomErrors) {
  RunResult r =
      RunWith(Machine(R"([{"ErrorEquals":["States.TaskFailed"],"MaxAttempts":1}])",
                      R"("Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Recover"}],)"),
              "{}", AlwaysFail("Robot.Jammed", "gripper"));
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 1));
  EXPECT_EQ(Out(r), R"({"Error":"Robot.Jammed","Cause":"gripper"})");
}

TEST(Catch, TaskFailedDoesNotMatchATimeoutReportedByTheTask) {
  RunResult r =
      RunWith(Machine(R"([{"ErrorEquals":["States.TaskFailed"]}])",
                      R"("Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Recover"}],)"),
              "{}", AlwaysFail("States.Timeout", "slow"));
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Timeout");
  EXPECT_THAT(Scheduled(r), ElementsAre(0));
}

TEST(Catch, ExplicitTimeoutCatcherMatches) {
  RunResult ok =
      RunWith(Machine("", R"("Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Recover"}],)"),
              "{}", AlwaysFail("States.Timeout", "slow"));
  EXPECT_EQ(ok.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(ok), R"({"Error":"States.Timeout","Cause":"slow"})");
}

// ---------------------------------------------------------------- task timeouts

TEST(TaskTimeout, SilentTaskFailsWithStatesTimeout) {
  auto silent = std::make_shared<SilentHandler>();
  RunResult r = DriveVirtually(Machine("", R"("TimeoutSeconds":5,)"), "{}", silent);
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Timeout");
  EXPECT_THAT(TimesOf(r.history, EventType::kTaskTimedOut), ElementsAre(5));
  EXPECT_EQ(silent->invocations(), 1u);
  EXPECT_THAT(EventNames(r.history),
              ElementsAre("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                          "TaskTimedOut", "ExecutionFailed"));
}

TEST(TaskTimeout, TimeoutIsRetriedThenCaught) {
  RunResult r = DriveVirtually(
      Machine(R"([{"ErrorEquals":["States.Timeout"],"IntervalSeconds":1,"MaxAttempts":1}])",
              R"("TimeoutSeconds":5,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],)"),
      "{}", std::make_shared<SilentHandler>());
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 6));
  EXPECT_THAT(TimesOf(r.history, EventType::kTaskTimedOut), ElementsAre(5, 11));
  EXPECT_EQ(Out(r), R"({"Error":"States.Timeout","Cause":""})");
}

TEST(TaskTimeout, TaskFailedDoesNotCatchARealTimeout) {
  RunResult r = DriveVirtually(
      Machine(
          "",
          R"("TimeoutSeconds":5,"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Recover"}],)"),
      "{}", std::make_shared<SilentHandler>());
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Timeout");
}

TEST(TaskTimeout, TimeoutSecondsPathReadsTheInput) {
  auto silent = std::make_shared<SilentHandler>();
  RunResult r =
      DriveVirtually(Machine("", R"("TimeoutSecondsPath":"$.limit",)"), R"({"limit":3})", silent);
  EXPECT_EQ(r.state.failure.error, "States.Timeout");
  EXPECT_THAT(TimesOf(r.history, EventType::kTaskTimedOut), ElementsAre(3));
  for (const HistoryEvent& e : r.history) {
    if (e.type == EventType::kTaskScheduled) {
      EXPECT_EQ(e.timeout_seconds, 3);
    }
  }
}

TEST(TaskTimeout, AnswerBeforeTheTimeoutWins) {
  RunResult r = DriveVirtually(Machine("", R"("TimeoutSeconds":5,)"), R"({"v":1})", Echo());
  EXPECT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), R"({"v":1})");
}

TEST(TaskTimeout, HeartbeatTimeout) {
  RunResult r = DriveVirtually(Machine("", R"("TimeoutSeconds":100,"HeartbeatSeconds":10,)"), "{}",
                               std::make_shared<SilentHandler>());
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.HeartbeatTimeout");
  EXPECT_THAT(TimesOf(r.history, EventType::kTaskTimedOut), ElementsAre(10));
}

TEST(TaskTimeout, StatesTimeoutCatchesAHeartbeatTimeout) {
  RunResult r = DriveVirtually(
      Machine(
          "",
          R"("TimeoutSeconds":100,"HeartbeatSeconds":10,"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Recover"}],)"),
      "{}", std::make_shared<SilentHandler>());
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), R"({"Error":"States.HeartbeatTimeout","Cause":""})");
}

TEST(TaskTimeout, HeartbeatsPushTheDeadlineBack) {
  definition::MachinePtr machine =
      Load(Machine("", R"("TimeoutSeconds":100,"HeartbeatSeconds":10,)"));
  Interpreter interpreter(machine);
  ExecutionState state;
  Decision start =
      interpreter.Start(state, {"exec", "Machine", 1}, json::Share(json::Object()), kT0);
  std::string token;
  std::vector<ArmTimer> arms;
  for (const Command& c : start.commands) {
    if (auto* t = std::get_if<DispatchTask>(&c)) token = t->token;
    if (auto* a = std::get_if<ArmTimer>(&c)) arms.push_back(*a);
  }
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(arms.size(), 2u);
  EXPECT_EQ(arms[0].due, kT0 + absl::Seconds(100));
  EXPECT_EQ(arms[1].due, kT0 + absl::Seconds(10));
  const int64_t first_heartbeat = arms[1].timer_id;

  Decision beat = interpreter.Handle(state, TaskHeartbeatEvent{token}, kT0 + absl::Seconds(8));
  int64_t second_heartbeat = 0;
  bool cancelled_first = false;
  for (const Command& c : beat.commands) {
    if (auto* a = std::get_if<ArmTimer>(&c)) {
      EXPECT_EQ(a->due, kT0 + absl::Seconds(18));
      second_heartbeat = a->timer_id;
    }
    if (auto* x = std::get_if<CancelTimer>(&c)) cancelled_first = x->timer_id == first_heartbeat;
  }
  EXPECT_TRUE(cancelled_first);
  ASSERT_NE(second_heartbeat, 0);

  // The old heartbeat timer is stale and changes nothing.
  Decision stale =
      interpreter.Handle(state, TimerFiredEvent{first_heartbeat}, kT0 + absl::Seconds(10));
  EXPECT_TRUE(stale.history.empty());
  EXPECT_EQ(state.status, ExecutionStatus::kRunning);

  Decision expired =
      interpreter.Handle(state, TimerFiredEvent{second_heartbeat}, kT0 + absl::Seconds(18));
  EXPECT_EQ(state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(state.failure.error, "States.HeartbeatTimeout");
  ASSERT_FALSE(expired.history.empty());
  EXPECT_EQ(EventTypeName(expired.history.front()), "TaskTimedOut");
}

TEST(TaskTimeout, LateAnswerAfterTheTimeoutIsIgnored) {
  definition::MachinePtr machine = Load(Machine("", R"("TimeoutSeconds":5,)"));
  Interpreter interpreter(machine);
  ExecutionState state;
  Decision start =
      interpreter.Start(state, {"exec", "Machine", 1}, json::Share(json::Object()), kT0);
  std::string token;
  int64_t timeout_timer = 0;
  for (const Command& c : start.commands) {
    if (auto* t = std::get_if<DispatchTask>(&c)) token = t->token;
    if (auto* a = std::get_if<ArmTimer>(&c)) timeout_timer = a->timer_id;
  }
  interpreter.Handle(state, TimerFiredEvent{timeout_timer}, kT0 + absl::Seconds(5));
  ASSERT_EQ(state.status, ExecutionStatus::kFailed);
  Decision late =
      interpreter.Handle(state, TaskSucceededEvent{token, json::Object()}, kT0 + absl::Seconds(6));
  EXPECT_TRUE(late.history.empty());
  EXPECT_EQ(state.failure.error, "States.Timeout");
}

// LocalRunner with a VirtualClock should make the wait for a silent task's
// timeout instant, as it does for every other timer.
TEST(TaskTimeout, LocalRunnerTimesOutASilentTaskOnTheVirtualClock) {
  struct Shared {
    definition::MachinePtr machine;
    std::unique_ptr<Interpreter> interpreter;
    ResourceRegistry registry;
    VirtualClock clock{kT0};
    std::promise<RunResult> done;
  };
  auto shared = std::make_shared<Shared>();
  shared->machine = Load(Machine("", R"("TimeoutSeconds":5,)"));
  shared->interpreter = std::make_unique<Interpreter>(shared->machine);
  shared->registry.Register("", std::make_shared<SilentHandler>());
  std::future<RunResult> result = shared->done.get_future();
  std::thread([shared] {
    LocalRunner runner(*shared->interpreter, shared->registry, shared->clock);
    shared->done.set_value(runner.Run({"exec", "Machine", 1}, json::Share(json::Object())));
  }).detach();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(5)), std::future_status::ready)
      << "LocalRunner::Run hangs";
  RunResult r = result.get();
  EXPECT_EQ(r.state.failure.error, "States.Timeout");
}

// ---------------------------------------------------------------- execution timeout

TEST(ExecutionTimeout, MachineTimeoutSecondsEndsTheExecution) {
  RunResult r = RunWith(
      R"({"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}})",
      "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kTimedOut);
  EXPECT_EQ(r.state.failure.error, "States.Timeout");
  EXPECT_EQ(r.state.failure.cause, "The execution timed out after 5 seconds");
  EXPECT_EQ(EventNames(r.history).back(), "ExecutionTimedOut");
  EXPECT_THAT(TimesOf(r.history, EventType::kExecutionTimedOut), ElementsAre(5));
  EXPECT_STREQ(ExecutionStatusName(r.state.status), "TIMED_OUT");
}

TEST(ExecutionTimeout, FinishingInTimeSucceeds) {
  RunResult r = RunWith(
      R"({"TimeoutSeconds":10,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}})",
      R"({"k":1})");
  EXPECT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), R"({"k":1})");
}

TEST(ExecutionTimeout, InterruptsRetries) {
  std::string m =
      R"({"TimeoutSeconds":15,"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"test:work",
      "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":10,"MaxAttempts":3}],"End":true}}})";
  RunResult r = RunWith(m, "{}", AlwaysFail("Boom"));
  ASSERT_EQ(r.state.status, ExecutionStatus::kTimedOut);
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 10));
  EXPECT_THAT(TimesOf(r.history, EventType::kExecutionTimedOut), ElementsAre(15));
}

// ---------------------------------------------------------------- mocks and fan-out states

TEST(Retry, WithMockedResponses) {
  auto config = MockConfig::Parse(J(R"({
    "StateMachines":{"Machine":{"TestCases":{"Flaky":{"Work":"TwoFailures"}}}},
    "MockedResponses":{"TwoFailures":{
      "0-1":{"Throw":{"Error":"Robot.Busy","Cause":"try later"}},
      "2":{"Return":{"done":true}}}}})"));
  ASSERT_TRUE(config.ok()) << config.status();
  auto mock = MockTaskHandler::Create(*config, "Machine", "Flaky");
  ASSERT_TRUE(mock.ok()) << mock.status();
  RunResult r =
      RunWith(Machine(R"([{"ErrorEquals":["Robot.Busy"],"IntervalSeconds":2}])"), "{}", *mock);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Scheduled(r), ElementsAre(0, 2, 6));
  EXPECT_EQ(Out(r), R"({"done":true})");
}

TEST(Retry, ReRunsAFailedParallelState) {
  auto handler = FailThenSucceed({"Boom"}, json::Value("ok"));
  RunResult r = RunWith(R"({"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,
      "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":2}],
      "Branches":[{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"test:t","End":true}}},
                  {"StartAt":"P","States":{"P":{"Type":"Pass","Result":"p","End":true}}}]}}})",
                        "{}", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(TimesOf(r.history, EventType::kParallelStateStarted), ElementsAre(0, 2));
  EXPECT_EQ(Out(r), R"(["ok","p"])");
}

TEST(Retry, ReRunsAFailedMapState) {
  auto handler = std::make_shared<ScriptedHandler>([](const DispatchTask& t, int n) -> TaskOutcome {
    if (n == 1) return Failure{"Boom", "second item, first round"};
    return *t.input;
  });
  RunResult r = RunWith(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,
      "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":3}],
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"test:t","End":true}}}}}})",
                        "[1,2]", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(TimesOf(r.history, EventType::kMapStateStarted), ElementsAre(0, 3));
  EXPECT_EQ(Out(r), "[1,2]");
  EXPECT_EQ(handler->calls().size(), 4u);
}

}  // namespace
}  // namespace fleetflow::runtime
