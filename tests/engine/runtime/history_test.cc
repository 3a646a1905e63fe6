// Execution history: which events a run records, in which order, how they are
// numbered, and their GetExecutionHistory JSON shape.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "absl/time/time.h"
#include "engine/common/timestamp.h"

#include "engine/common/strings.h"
#include "runtime_test_util.h"

namespace fleetflow::runtime {
namespace {

using namespace ::fleetflow::runtime::testing;  // NOLINT
using ::testing::ElementsAre;

constexpr std::string_view kMapOfPasses = R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
    "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})";

constexpr std::string_view kParallelOfPasses =
    R"({"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,
    "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}})";

// Events as "Type" or "Type(name)" for state events.
std::vector<std::string> Described(const std::vector<HistoryEvent>& history) {
  std::vector<std::string> out;
  for (const HistoryEvent& e : history) {
    std::string s = EventTypeName(e);
    if (e.name != nullptr) s += StrCat("(", *e.name, ")");
    if (e.type >= EventType::kMapIterationStarted && e.type <= EventType::kMapIterationAborted) {
      s += StrCat("#", e.index);
    }
    out.push_back(s);
  }
  return out;
}

void ExpectSequentialIds(const std::vector<HistoryEvent>& history) {
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].id, static_cast<int64_t>(i + 1)) << i;
    EXPECT_GE(history[i].previous_id, 0) << i;
    EXPECT_LT(history[i].previous_id, history[i].id) << i;
  }
}

// ---------------------------------------------------------------- sequences

TEST(History, MapOfTwoItems) {
  RunResult r = RunWith(kMapOfPasses, "[1,2]");
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(
      Described(r.history),
      ElementsAre("ExecutionStarted", "MapStateEntered(M)", "MapStateStarted(M)",
                  "MapIterationStarted(M)#0", "PassStateEntered(P)", "MapIterationStarted(M)#1",
                  "PassStateEntered(P)", "PassStateExited(P)", "MapIterationSucceeded(M)#0",
                  "PassStateExited(P)", "MapIterationSucceeded(M)#1", "MapStateSucceeded(M)",
                  "MapStateExited(M)", "ExecutionSucceeded"));
  ExpectSequentialIds(r.history);
  EXPECT_EQ(Out(r), "[1,2]");
}

TEST(History, MapWithMaxConcurrencyOneRunsIterationsInTurn) {
  RunResult r = RunWith(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})",
                        "[1,2]");
  EXPECT_THAT(Described(r.history),
              ElementsAre("ExecutionStarted", "MapStateEntered(M)", "MapStateStarted(M)",
                          "MapIterationStarted(M)#0", "PassStateEntered(P)", "PassStateExited(P)",
                          "MapIterationSucceeded(M)#0", "MapIterationStarted(M)#1",
                          "PassStateEntered(P)", "PassStateExited(P)", "MapIterationSucceeded(M)#1",
                          "MapStateSucceeded(M)", "MapStateExited(M)", "ExecutionSucceeded"));
  ExpectSequentialIds(r.history);
}

TEST(History, EmptyMap) {
  RunResult r = RunWith(kMapOfPasses, "[]");
  EXPECT_THAT(Described(r.history),
              ElementsAre("ExecutionStarted", "MapStateEntered(M)", "MapStateStarted(M)",
                          "MapStateSucceeded(M)", "MapStateExited(M)", "ExecutionSucceeded"));
  EXPECT_EQ(Out(r), "[]");
}

TEST(History, ParallelOfTwoBranches) {
  RunResult r = RunWith(kParallelOfPasses, R"({"x":1})");
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Described(r.history),
              ElementsAre("ExecutionStarted", "ParallelStateEntered(Par)",
                          "ParallelStateStarted(Par)", "PassStateEntered(A)", "PassStateEntered(B)",
                          "PassStateExited(A)", "PassStateExited(B)", "ParallelStateSucceeded(Par)",
                          "ParallelStateExited(Par)", "ExecutionSucceeded"));
  ExpectSequentialIds(r.history);
  EXPECT_EQ(Out(r), R"([{"x":1},{"x":1}])");
}

TEST(History, BranchEventsChainToTheParallelStart) {
  RunResult r = RunWith(kParallelOfPasses, "{}");
  ASSERT_GE(r.history.size(), 7u);
  // 3 = ParallelStateStarted; each branch's first event points back to it,
  // and each branch's exit to its own entry.
  EXPECT_EQ(r.history[2].id, 3);
  EXPECT_EQ(r.history[3].previous_id, 3);  // A entered
  EXPECT_EQ(r.history[4].previous_id, 3);  // B entered
  EXPECT_EQ(r.history[5].previous_id, 4);  // A exited
  EXPECT_EQ(r.history[6].previous_id, 5);  // B exited
  EXPECT_EQ(r.history[0].previous_id, 0);
}

TEST(History, RetriedTask) {
  RunResult r = RunWith(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"test:t",
      "Retry":[{"ErrorEquals":["Boom"]}],"End":true}}})",
                        "{}", FailThenSucceed({"Boom"}));
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(EventNames(r.history),
              ElementsAre("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                          "TaskFailed", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                          "TaskStateExited", "ExecutionSucceeded"));
  ExpectSequentialIds(r.history);
  EXPECT_THAT(TimesOf(r.history, EventType::kTaskScheduled), ElementsAre(0, 1));
  EXPECT_THAT(TimesOf(r.history, EventType::kTaskStarted), ElementsAre(0, 1));
  EXPECT_EQ(r.history[4].error, "Boom");
  EXPECT_EQ(r.history[4].cause, "attempt 0");
  EXPECT_EQ(r.history[4].resource, "test:t");
}

TEST(History, CaughtFailure) {
  RunResult r = RunWith(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"test:t","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}]},
      "H":{"Type":"Pass","End":true}}})",
                        "{}", AlwaysFail("Boom"));
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Described(r.history),
              ElementsAre("ExecutionStarted", "TaskStateEntered(T)", "TaskScheduled(T)",
                          "TaskStarted(T)", "TaskFailed(T)", "TaskStateExited(T)",
                          "PassStateEntered(H)", "PassStateExited(H)", "ExecutionSucceeded"));
  ExpectSequentialIds(r.history);
}

TEST(History, UncaughtFailure) {
  RunResult r =
      RunWith(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"test:t","End":true}}})",
              "{}", AlwaysFail("Boom", "bad"));
  EXPECT_THAT(EventNames(r.history),
              ElementsAre("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                          "TaskFailed", "ExecutionFailed"));
  EXPECT_EQ(r.history.back().error, "Boom");
  EXPECT_EQ(r.history.back().cause, "bad");
}

TEST(History, FailState) {
  RunResult r =
      RunWith(R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}})", "{}");
  EXPECT_THAT(Described(r.history),
              ElementsAre("ExecutionStarted", "FailStateEntered(F)", "ExecutionFailed"));
}

TEST(History, ChoiceAndWait) {
  RunResult r = RunWith(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"W"}],"Default":"S"},
      "W":{"Type":"Wait","Seconds":10,"Next":"S"},
      "S":{"Type":"Succeed"}}})",
                        R"({"go":true})");
  EXPECT_THAT(Described(r.history),
              ElementsAre("ExecutionStarted", "ChoiceStateEntered(C)", "ChoiceStateExited(C)",
                          "WaitStateEntered(W)", "WaitStateExited(W)", "SucceedStateEntered(S)",
                          "SucceedStateExited(S)", "ExecutionSucceeded"));
  EXPECT_THAT(TimesOf(r.history, EventType::kStateExited), ElementsAre(0, 10, 10));
}

TEST(History, FailingMapIterationAbortsTheOthers) {
  RunResult r = RunWith(
      R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"F"}],"Default":"W"},
      "F":{"Type":"Fail","Error":"Zero"},
      "W":{"Type":"Wait","Seconds":5,"End":true}}}}}})",
      "[0,5]");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_THAT(
      Described(r.history),
      ElementsAre("ExecutionStarted", "MapStateEntered(M)", "MapStateStarted(M)",
                  "MapIterationStarted(M)#0", "ChoiceStateEntered(C)", "MapIterationStarted(M)#1",
                  "ChoiceStateEntered(C)", "ChoiceStateExited(C)", "FailStateEntered(F)",
                  "ChoiceStateExited(C)", "WaitStateEntered(W)", "MapIterationFailed(M)#0",
                  "MapIterationAborted(M)#1", "MapStateFailed(M)", "ExecutionFailed"));
  ExpectSequentialIds(r.history);
  EXPECT_EQ(r.state.failure.error, "Zero");
}

TEST(History, FailingBranchAbortsARunningTask) {
  RunResult r =
      RunWith(R"({"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"test:t","End":true}}},
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"BranchFailed"}}}]}}})",
              "{}", std::make_shared<SilentHandler>());
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_THAT(
      Described(r.history),
      ElementsAre("ExecutionStarted", "ParallelStateEntered(Par)", "ParallelStateStarted(Par)",
                  "TaskStateEntered(T)", "FailStateEntered(F)", "TaskScheduled(T)",
                  "TaskStateAborted(T)", "ParallelStateFailed(Par)", "ExecutionFailed"));
}

TEST(History, ItemSelectorFailureRecordsTheAbortedIterationAndMapStateFailed) {
  RunResult r =
      RunWith(R"j({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"Next":"H",
      "ItemSelector":{"x.$":"States.ArrayGetItem($$.Map.Item.Value, 3)"},
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],
      "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}},
      "H":{"Type":"Pass","End":true}}})j",
              "[[1,2,3,4],[1]]");
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Described(r.history),
              ElementsAre("ExecutionStarted", "MapStateEntered(M)", "MapStateStarted(M)",
                          "MapIterationStarted(M)#0", "WaitStateEntered(W)",
                          "MapIterationAborted(M)#0", "MapStateFailed(M)", "MapStateExited(M)",
                          "PassStateEntered(H)", "PassStateExited(H)", "ExecutionSucceeded"));
}

TEST(History, AbortedExecution) {
  definition::MachinePtr machine =
      Load(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}})");
  Interpreter interpreter(machine);
  ExecutionState state;
  Decision start =
      interpreter.Start(state, {"exec", "Machine", 1}, json::Share(json::Object()), kT0);
  ASSERT_EQ(start.commands.size(), 1u);
  int64_t wait_timer = std::get<ArmTimer>(start.commands[0]).timer_id;
  Decision d = interpreter.Handle(state, AbortEvent{"User.Stop", "stopped by operator"},
                                  kT0 + absl::Seconds(2));
  EXPECT_EQ(state.status, ExecutionStatus::kAborted);
  EXPECT_STREQ(ExecutionStatusName(state.status), "ABORTED");
  ASSERT_EQ(d.history.size(), 1u);
  EXPECT_EQ(
      json::Serialize(EventToJson(d.history[0])),
      R"({"id":3,"previousEventId":2,"timestamp":"2023-11-14T22:13:22Z","type":"ExecutionAborted",)"
      R"("executionAbortedEventDetails":{"error":"User.Stop","cause":"stopped by operator"}})");
  // The Wait's timer is cancelled, and a late firing changes nothing.
  ASSERT_EQ(d.commands.size(), 1u);
  EXPECT_EQ(std::get<CancelTimer>(d.commands[0]).timer_id, wait_timer);
  EXPECT_TRUE(interpreter.Handle(state, TimerFiredEvent{wait_timer}, kT0 + absl::Seconds(10))
                  .history.empty());
}

TEST(History, TimestampsFollowTheVirtualClock) {
  RunResult r = RunWith(R"({"StartAt":"W1","States":{
      "W1":{"Type":"Wait","Seconds":3,"Next":"W2"},
      "W2":{"Type":"Wait","Seconds":4,"End":true}}})",
                        "{}");
  std::vector<double> times;
  for (const HistoryEvent& e : r.history) times.push_back(absl::ToDoubleSeconds(e.timestamp - kT0));
  EXPECT_THAT(times, ElementsAre(0, 0, 3, 3, 7, 7));
}

TEST(History, NotRecordedWhenDisabled) {
  InterpreterOptions options;
  options.record_history = false;
  RunResult r = RunWith(kParallelOfPasses, "{}", nullptr, 7, options);
  EXPECT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_TRUE(r.history.empty());
  EXPECT_EQ(r.state.last_event_id, 10);  // ids are still counted
}

TEST(History, TransitionsCountEnteredStates) {
  RunResult r = RunWith(kMapOfPasses, "[1,2,3]");
  EXPECT_EQ(r.state.transitions, 4u);  // M + three P
}

// ---------------------------------------------------------------- names

TEST(EventTypeName, FixedNames) {
  const std::pair<EventType, const char*> names[] = {
      {EventType::kExecutionStarted, "ExecutionStarted"},
      {EventType::kExecutionSucceeded, "ExecutionSucceeded"},
      {EventType::kExecutionFailed, "ExecutionFailed"},
      {EventType::kExecutionTimedOut, "ExecutionTimedOut"},
      {EventType::kExecutionAborted, "ExecutionAborted"},
      {EventType::kTaskScheduled, "TaskScheduled"},
      {EventType::kTaskStarted, "TaskStarted"},
      {EventType::kTaskSucceeded, "TaskSucceeded"},
      {EventType::kTaskFailed, "TaskFailed"},
      {EventType::kTaskTimedOut, "TaskTimedOut"},
      {EventType::kTaskStateAborted, "TaskStateAborted"},
      {EventType::kWaitStateAborted, "WaitStateAborted"},
      {EventType::kParallelStateStarted, "ParallelStateStarted"},
      {EventType::kParallelStateSucceeded, "ParallelStateSucceeded"},
      {EventType::kParallelStateFailed, "ParallelStateFailed"},
      {EventType::kParallelStateAborted, "ParallelStateAborted"},
      {EventType::kMapStateStarted, "MapStateStarted"},
      {EventType::kMapStateSucceeded, "MapStateSucceeded"},
      {EventType::kMapStateFailed, "MapStateFailed"},
      {EventType::kMapStateAborted, "MapStateAborted"},
      {EventType::kMapIterationStarted, "MapIterationStarted"},
      {EventType::kMapIterationSucceeded, "MapIterationSucceeded"},
      {EventType::kMapIterationFailed, "MapIterationFailed"},
      {EventType::kMapIterationAborted, "MapIterationAborted"},
  };
  for (const auto& [type, name] : names) {
    HistoryEvent e;
    e.type = type;
    EXPECT_EQ(EventTypeName(e), name);
  }
}

TEST(EventTypeName, StateEventsAreTypedByTheState) {
  for (const char* state_type :
       {"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}) {
    HistoryEvent e;
    e.state_type = state_type;
    e.type = EventType::kStateEntered;
    EXPECT_EQ(EventTypeName(e), StrCat(state_type, "StateEntered"));
    e.type = EventType::kStateExited;
    EXPECT_EQ(EventTypeName(e), StrCat(state_type, "StateExited"));
  }
}

// ---------------------------------------------------------------- EventToJson

std::string EventJson(const HistoryEvent& e) { return json::Serialize(EventToJson(e)); }

TEST(EventToJson, PassRun) {
  RunResult r =
      RunWith(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"r":2},"End":true}}})",
              R"({"a":1})");
  ASSERT_EQ(r.history.size(), 4u);
  EXPECT_EQ(
      EventJson(r.history[0]),
      R"({"id":1,"previousEventId":0,"timestamp":"2023-11-14T22:13:20Z","type":"ExecutionStarted",)"
      R"("executionStartedEventDetails":{"input":"{\"a\":1}"}})");
  EXPECT_EQ(
      EventJson(r.history[1]),
      R"({"id":2,"previousEventId":0,"timestamp":"2023-11-14T22:13:20Z","type":"PassStateEntered",)"
      R"("stateEnteredEventDetails":{"name":"A","input":"{\"a\":1}"}})");
  EXPECT_EQ(
      EventJson(r.history[2]),
      R"({"id":3,"previousEventId":2,"timestamp":"2023-11-14T22:13:20Z","type":"PassStateExited",)"
      R"("stateExitedEventDetails":{"name":"A","output":"{\"r\":2}"}})");
  EXPECT_EQ(
      EventJson(r.history[3]),
      R"({"id":4,"previousEventId":3,"timestamp":"2023-11-14T22:13:20Z","type":"ExecutionSucceeded",)"
      R"("executionSucceededEventDetails":{"output":"{\"r\":2}"}})");
}

TEST(EventToJson, TaskEvents) {
  RunResult r = RunWith(
      R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"test:t","Parameters":{"p":1},
      "Retry":[{"ErrorEquals":["Boom"]}],"End":true}}})",
      "{}", FailThenSucceed({"Boom"}, J(R"({"done":true})")));
  ASSERT_EQ(r.history.size(), 10u);
  EXPECT_EQ(
      EventJson(r.history[2]),
      R"({"id":3,"previousEventId":2,"timestamp":"2023-11-14T22:13:20Z","type":"TaskScheduled",)"
      R"("taskScheduledEventDetails":{"resource":"test:t","parameters":"{\"p\":1}"}})");
  EXPECT_EQ(
      EventJson(r.history[3]),
      R"({"id":4,"previousEventId":3,"timestamp":"2023-11-14T22:13:20Z","type":"TaskStarted",)"
      R"("taskStartedEventDetails":{"resource":"test:t"}})");
  EXPECT_EQ(
      EventJson(r.history[4]),
      R"({"id":5,"previousEventId":4,"timestamp":"2023-11-14T22:13:20Z","type":"TaskFailed",)"
      R"("taskFailedEventDetails":{"resource":"test:t","error":"Boom","cause":"attempt 0"}})");
  EXPECT_EQ(
      EventJson(r.history[7]),
      R"({"id":8,"previousEventId":7,"timestamp":"2023-11-14T22:13:21Z","type":"TaskSucceeded",)"
      R"("taskSucceededEventDetails":{"resource":"test:t","output":"{\"done\":true}"}})");
}

TEST(EventToJson, TaskScheduledTimeoutsAreWholeSeconds) {
  // GetExecutionHistory types timeoutInSeconds and heartbeatInSeconds as longs.
  HistoryEvent e;
  e.id = 3;
  e.previous_id = 2;
  e.timestamp = kT0;
  e.type = EventType::kTaskScheduled;
  e.resource = "test:t";
  e.payload = json::Share(json::Object());
  e.timeout_seconds = 30;
  e.heartbeat_seconds = 10;
  EXPECT_EQ(
      json::Serialize(EventToJson(e).at("taskScheduledEventDetails")),
      R"({"resource":"test:t","parameters":"{}","timeoutInSeconds":30,"heartbeatInSeconds":10})");
}

TEST(EventToJson, FailureEvents) {
  RunResult r = RunWith(
      R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Robot.Lost","Cause":"no signal"}}})",
      "{}");
  ASSERT_EQ(r.history.size(), 3u);
  EXPECT_EQ(
      EventJson(r.history[2]),
      R"({"id":3,"previousEventId":2,"timestamp":"2023-11-14T22:13:20Z","type":"ExecutionFailed",)"
      R"("executionFailedEventDetails":{"error":"Robot.Lost","cause":"no signal"}})");
}

TEST(EventToJson, TimedOutTaskWithoutCauseHasNoCauseField) {
  HistoryEvent e;
  e.id = 4;
  e.previous_id = 3;
  e.timestamp = kT0 + absl::Milliseconds(1500);
  e.type = EventType::kTaskTimedOut;
  e.resource = "test:t";
  e.error = "States.Timeout";
  EXPECT_EQ(
      EventJson(e),
      R"({"id":4,"previousEventId":3,"timestamp":"2023-11-14T22:13:21.500Z","type":"TaskTimedOut",)"
      R"("taskTimedOutEventDetails":{"resource":"test:t","error":"States.Timeout"}})");
}

TEST(EventToJson, MapEvents) {
  RunResult r = RunWith(kMapOfPasses, "[1,2]");
  ASSERT_GE(r.history.size(), 4u);
  EXPECT_EQ(
      EventJson(r.history[2]),
      R"({"id":3,"previousEventId":2,"timestamp":"2023-11-14T22:13:20Z","type":"MapStateStarted",)"
      R"("mapStateStartedEventDetails":{"length":2}})");
  EXPECT_EQ(
      EventJson(r.history[3]),
      R"({"id":4,"previousEventId":3,"timestamp":"2023-11-14T22:13:20Z","type":"MapIterationStarted",)"
      R"("mapIterationStartedEventDetails":{"name":"M","index":0}})");
  EXPECT_EQ(
      EventJson(r.history[8]),
      R"({"id":9,"previousEventId":6,"timestamp":"2023-11-14T22:13:20Z","type":"MapIterationSucceeded",)"
      R"("mapIterationSucceededEventDetails":{"name":"M","index":0}})");
}

TEST(EventToJson, ParallelStartedHasNoDetails) {
  RunResult r = RunWith(kParallelOfPasses, "{}");
  EXPECT_EQ(
      EventJson(r.history[2]),
      R"({"id":3,"previousEventId":2,"timestamp":"2023-11-14T22:13:20Z","type":"ParallelStateStarted"})");
}

TEST(EventToJson, ExecutionTimedOut) {
  RunResult r = RunWith(
      R"({"TimeoutSeconds":2,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":9,"End":true}}})",
      "{}");
  EXPECT_EQ(
      EventJson(r.history.back()),
      R"({"id":3,"previousEventId":2,"timestamp":"2023-11-14T22:13:22Z","type":"ExecutionTimedOut",)"
      R"("executionTimedOutEventDetails":{"error":"States.Timeout","cause":"The execution timed out after 2 seconds"}})");
}

}  // namespace
}  // namespace fleetflow::runtime

namespace fleetflow::runtime {
namespace {

// The fast civil-date arithmetic agrees with absl's time zone library over
// four centuries, leap days and the epoch's negative side included.
TEST(Timestamps, AgreeWithAbslFormatTime) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 20000; ++i) {
    int64_t millis = static_cast<int64_t>(random() % 12'000'000'000'000ull) - 2'000'000'000'000;
    absl::Time t = absl::FromUnixMillis(millis);
    std::string expected = absl::FormatTime("%Y-%m-%dT%H:%M:%S", t, absl::UTCTimeZone());
    int64_t ms = ((millis % 1000) + 1000) % 1000;
    if (ms != 0) {
      char frac[8];
      std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms));
      expected += frac;
    }
    expected += 'Z';
    ASSERT_EQ(FormatTimestamp(t), expected) << millis;
  }
  EXPECT_EQ(FormatTimestamp(absl::FromUnixMillis(951782400000)), "2000-02-29T00:00:00Z");
}

}  // namespace
}  // namespace fleetflow::runtime
