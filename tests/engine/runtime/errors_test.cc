// One test (or a few) per ASL error name, plus how Parallel and Map pass
// failures on.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/common/strings.h"
#include "runtime_test_util.h"

namespace fleetflow::runtime {
namespace {

using namespace ::fleetflow::runtime::testing;  // NOLINT
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A Task "T" (resource test:t) with `extra` fields, ending, and a Pass "H"
// that catchers can go to.
std::string TaskMachine(std::string_view extra) {
  // H must be reachable, so it exists only when a catcher can go there.
  return StrCat(
      R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"test:t",)", extra,
      R"("End":true})",
      extra.find("Catch") != std::string_view::npos ? R"(,"H":{"Type":"Pass","End":true})" : "",
      "}}");
}

constexpr std::string_view kCatchAll = R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],)";

// ---------------------------------------------------------------- States.ALL

TEST(Errors, StatesAllCatchesCustomErrors) {
  RunResult r = RunWith(TaskMachine(kCatchAll), "{}", AlwaysFail("Robot.Jammed", "gripper"));
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), R"({"Error":"Robot.Jammed","Cause":"gripper"})");
}

TEST(Errors, StatesAllCatchesEveryCatchableStatesError) {
  for (const char* error :
       {"States.TaskFailed", "States.Timeout", "States.HeartbeatTimeout", "States.Permissions",
        "States.ResultPathMatchFailure", "States.ParameterPathFailure", "States.BranchFailed",
        "States.NoChoiceMatched", "States.IntrinsicFailure",
        "States.ExceedToleratedFailureThreshold"}) {
    RunResult r = RunWith(TaskMachine(kCatchAll), "{}", AlwaysFail(error, "c"));
    EXPECT_EQ(r.state.status, ExecutionStatus::kSucceeded) << error;
    EXPECT_EQ(Out(r), StrCat(R"({"Error":")", error, R"(","Cause":"c"})")) << error;
  }
}

TEST(Errors, StatesAllMustBeAloneAndLast) {
  auto alone = definition::LoadAsl(
      TaskMachine(R"("Catch":[{"ErrorEquals":["States.ALL","Boom"],"Next":"H"}],)"));
  ASSERT_EQ(alone.errors.size(), 1u);
  EXPECT_EQ(alone.errors[0].location, "/States/T/Catch/0/ErrorEquals");
  EXPECT_EQ(alone.errors[0].message, "\"States.ALL\" must appear alone in ErrorEquals");

  auto last = definition::LoadAsl(TaskMachine(
      R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"},{"ErrorEquals":["Boom"],"Next":"H"}],)"));
  ASSERT_EQ(last.errors.size(), 1u);
  EXPECT_EQ(last.errors[0].message, "a catcher with \"States.ALL\" must be the last one");
}

// ---------------------------------------------------------------- States.TaskFailed

TEST(Errors, TaskFailedIsReportedAsItsOwnName) {
  RunResult r = RunWith(TaskMachine(""), "{}", AlwaysFail("States.TaskFailed", "lambda crashed"));
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.TaskFailed");
  EXPECT_EQ(r.state.failure.cause, "lambda crashed");
}

TEST(Errors, TaskFailedCatcherMatchesAnyErrorButTimeouts) {
  const std::string m =
      TaskMachine(R"("Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"H"}],)");
  for (const char* caught :
       {"Robot.Jammed", "States.TaskFailed", "States.Permissions", "States.NoChoiceMatched"}) {
    EXPECT_EQ(RunWith(m, "{}", AlwaysFail(caught)).state.status, ExecutionStatus::kSucceeded)
        << caught;
  }
  for (const char* not_caught : {"States.Timeout", "States.HeartbeatTimeout"}) {
    RunResult r = RunWith(m, "{}", AlwaysFail(not_caught));
    EXPECT_EQ(r.state.status, ExecutionStatus::kFailed) << not_caught;
    EXPECT_EQ(r.state.failure.error, not_caught);
  }
}

// ---------------------------------------------------------------- States.Timeout /
// HeartbeatTimeout

TEST(Errors, StatesTimeout) {
  RunResult r = DriveVirtually(TaskMachine(R"("TimeoutSeconds":3,)"), "{}",
                               std::make_shared<SilentHandler>());
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Timeout");
  const HistoryEvent& timed_out = r.history[r.history.size() - 2];
  EXPECT_EQ(EventTypeName(timed_out), "TaskTimedOut");
  EXPECT_EQ(timed_out.error, "States.Timeout");
  EXPECT_EQ(timed_out.resource, "test:t");
}

TEST(Errors, StatesHeartbeatTimeout) {
  RunResult r = DriveVirtually(TaskMachine(R"("TimeoutSeconds":60,"HeartbeatSeconds":5,)"), "{}",
                               std::make_shared<SilentHandler>());
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.HeartbeatTimeout");
  EXPECT_EQ(
      json::Serialize(EventToJson(r.history[r.history.size() - 2]).at("taskTimedOutEventDetails")),
      R"({"resource":"test:t","error":"States.HeartbeatTimeout"})");
}

TEST(Errors, HeartbeatMustBeShorterThanTimeout) {
  auto loaded = definition::LoadAsl(TaskMachine(R"("TimeoutSeconds":10,"HeartbeatSeconds":10,)"));
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_EQ(loaded.errors[0].location, "/States/T/HeartbeatSeconds");
  EXPECT_EQ(loaded.errors[0].message,
            "HeartbeatSeconds (10) must be smaller than TimeoutSeconds (10)");
}

// ---------------------------------------------------------------- States.Runtime

TEST(Errors, RuntimeFromAMissingOutputPath) {
  RunResult r = RunWith(
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","OutputPath":"$.missing","End":true}}})",
      R"({"a":1})");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_EQ(
      r.state.failure.cause,
      "An error occurred while executing the state 'A' (entered at the event id #2). Invalid path "
      "'$.missing' : No results for path: $['missing']");
}

TEST(Errors, RuntimeFromAMissingInputPath) {
  RunResult r =
      RunWith(R"({"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.a.b[2]","End":true}}})",
              R"({"a":{"b":[1]}})");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_THAT(r.state.failure.cause,
              HasSubstr("Invalid path '$.a.b[2]' : No results for path: $['a']['b'][2]"));
}

TEST(Errors, RuntimeIsNotCaughtNorRetried) {
  auto handler = Echo();
  RunResult r = RunWith(
      TaskMachine(StrCat(R"("OutputPath":"$.missing","Retry":[{"ErrorEquals":["States.ALL"]}],)",
                         R"("Catch":[{"ErrorEquals":["States.Runtime"],"Next":"H"}],)")),
      "{}", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_EQ(handler->calls().size(), 1u);
}

TEST(Errors, RuntimeWhenItemsPathIsNotAnArray) {
  RunResult r =
      RunWith(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","End":true,
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})",
              R"({"items":{"a":1}})");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_EQ(
      r.state.failure.cause,
      "An error occurred while executing the state 'M' (entered at the event id #2). Invalid path "
      "'$.items': the ItemsPath must select an array, not object");
}

TEST(Errors, RuntimeInABranchIsNotCaughtByTheParallel) {
  RunResult r = RunWith(R"({"StartAt":"Par","States":{
      "Par":{"Type":"Parallel","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Pass","OutputPath":"$.nope","End":true}}}]},
      "H":{"Type":"Pass","End":true}}})",
                        "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
}

// ---------------------------------------------------------------- States.DataLimitExceeded

// A handler whose result serializes to exactly `bytes` bytes (a JSON string).
std::shared_ptr<ScriptedHandler> ResultOfSize(size_t bytes) {
  return std::make_shared<ScriptedHandler>([bytes](const DispatchTask&, int) -> TaskOutcome {
    return json::Value(std::string(bytes - 2, 'x'));
  });
}

TEST(Errors, DataLimitExceededIsNotCaughtByStatesAll) {
  auto handler = ResultOfSize(300 * 1024);
  RunResult r =
      RunWith(TaskMachine(StrCat(R"("Retry":[{"ErrorEquals":["States.ALL"]}],)", kCatchAll)), "{}",
              handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.DataLimitExceeded");
  EXPECT_EQ(r.state.failure.cause,
            "The state/task 'T' returned a result with a size exceeding the maximum number of "
            "bytes service limit.");
  EXPECT_EQ(handler->calls().size(), 1u);
}

TEST(Errors, DataLimitIs256KiBInclusive) {
  RunResult at_limit = RunWith(TaskMachine(""), "{}", ResultOfSize(256 * 1024));
  ASSERT_EQ(at_limit.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(at_limit.state.output->as_string().size(), 256u * 1024 - 2);
  RunResult over = RunWith(TaskMachine(""), "{}", ResultOfSize(256 * 1024 + 1));
  EXPECT_EQ(over.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(over.state.failure.error, "States.DataLimitExceeded");
}

TEST(Errors, DataLimitExceededByAPassOutput) {
  std::string input = StrCat(R"({"blob":")", std::string(200 * 1024, 'y'), R"("})");
  RunResult r = RunWith(
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a.$":"$.blob","b.$":"$.blob"},"End":true}}})",
      input);
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.DataLimitExceeded");
  EXPECT_EQ(r.state.failure.cause,
            "The state/task 'A' returned a result with a size exceeding the maximum number of "
            "bytes service limit.");
}

TEST(Errors, DataLimitExceededByTaskParameters) {
  auto handler = Echo();
  std::string input = StrCat(R"({"blob":")", std::string(300 * 1024, 'z'), R"("})");
  RunResult r = RunWith(TaskMachine(kCatchAll), input, handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.DataLimitExceeded");
  EXPECT_TRUE(handler->calls().empty());
}

TEST(Errors, DataLimitFollowsTheOption) {
  InterpreterOptions options;
  options.max_payload_bytes = 10;
  RunResult r = RunWith(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})",
                        R"({"abc":"defgh"})", nullptr, 7, options);  // 17 bytes
  EXPECT_EQ(r.state.failure.error, "States.DataLimitExceeded");
}

// ---------------------------------------------------------------- States.ResultPathMatchFailure

TEST(Errors, ResultPathMatchFailure) {
  RunResult r = RunWith(TaskMachine(R"("ResultPath":"$.a.b",)"), R"({"a":"text"})", Echo());
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.ResultPathMatchFailure");
  EXPECT_EQ(
      r.state.failure.cause,
      R"(An error occurred while executing the state 'T' (entered at the event id #2). Unable to apply ResultPath '$.a.b' to input '{"a":"text"}')");
}

TEST(Errors, ResultPathMatchFailureIsCatchable) {
  RunResult r = RunWith(TaskMachine(StrCat(R"("ResultPath":"$.list[3]",)", kCatchAll)),
                        R"({"list":[1]})", Echo());
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Out(r), StartsWith(R"({"Error":"States.ResultPathMatchFailure","Cause":")"));
}

TEST(Errors, ResultPathCreatesMissingObjects) {
  RunResult r =
      RunWith(TaskMachine(R"("ResultPath":"$.a.b.c",)"), R"({"k":1})",
              std::make_shared<ScriptedHandler>(
                  [](const DispatchTask&, int) -> TaskOutcome { return json::Value(5); }));
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), R"({"k":1,"a":{"b":{"c":5}}})");
}

// ---------------------------------------------------------------- States.IntrinsicFailure

TEST(Errors, IntrinsicFailure) {
  RunResult r = RunWith(
      R"j({"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"States.ArrayGetItem($.a, 5)"},"End":true}}})j",
      R"({"a":[1]})");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.IntrinsicFailure");
  EXPECT_EQ(r.state.failure.cause,
            "An error occurred while executing the state 'A' (entered at the event id #2). Invalid "
            "arguments in "
            "States.ArrayGetItem: index 5 is out of bounds for an array of 1 items");
}

TEST(Errors, IntrinsicFailureIsCatchable) {
  auto handler = Echo();
  RunResult r = RunWith(
      TaskMachine(StrCat(R"j("Parameters":{"x.$":"States.StringToJson('{oops')"},)j", kCatchAll)),
      "{}", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Out(r), StartsWith(R"({"Error":"States.IntrinsicFailure","Cause":")"));
  EXPECT_TRUE(handler->calls().empty());
}

// ---------------------------------------------------------------- States.NoChoiceMatched

TEST(Errors, NoChoiceMatched) {
  RunResult r = RunWith(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"S"}]},
      "S":{"Type":"Succeed"}}})",
                        R"({"n":2})");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.NoChoiceMatched");
  EXPECT_EQ(r.state.failure.cause,
            "An error occurred while executing the state 'C' (entered at the event id #2). No "
            "Choice Rule matched "
            "and no Default state was specified.");
}

TEST(Errors, NoChoiceMatchedInABranchIsCaughtByTheParallel) {
  RunResult r = RunWith(R"({"StartAt":"Par","States":{
      "Par":{"Type":"Parallel","End":true,"Catch":[{"ErrorEquals":["States.NoChoiceMatched"],"Next":"H","ResultPath":"$.err"}],
        "Branches":[{"StartAt":"C","States":{
          "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"S"}]},
          "S":{"Type":"Succeed"}}}]},
      "H":{"Type":"Pass","End":true}}})",
                        R"({"n":2})");
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_THAT(Out(r), StartsWith(R"({"n":2,"err":{"Error":"States.NoChoiceMatched","Cause":)"));
}

// ----------------------------------------------------------------
// States.ExceedToleratedFailureThreshold

// A Map over the input whose iterations fail for items that are true.
std::string ToleranceMachine(std::string_view tolerance) {
  return StrCat(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,)", tolerance,
                R"("ItemProcessor":{"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Variable":"$","BooleanEquals":true,"Next":"F"}],"Default":"OK"},
        "F":{"Type":"Fail","Error":"Item.Bad","Cause":"bad item"},
        "OK":{"Type":"Pass","Result":"ok","End":true}}}}}})");
}

TEST(Errors, ExceedToleratedFailureCount) {
  RunResult r = RunWith(ToleranceMachine(R"("ToleratedFailureCount":1,)"), "[true,false,true]");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.ExceedToleratedFailureThreshold");
  EXPECT_EQ(r.state.failure.cause, "The specified tolerated failure threshold was exceeded");
}

TEST(Errors, WithinToleratedFailureCount) {
  RunResult r = RunWith(ToleranceMachine(R"("ToleratedFailureCount":1,)"), "[false,true,false]");
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), R"(["ok",{"Error":"Item.Bad","Cause":"bad item"},"ok"])");
}

TEST(Errors, ToleratedFailureCountZero) {
  RunResult r = RunWith(ToleranceMachine(R"("ToleratedFailureCount":0,)"), "[false,true]");
  EXPECT_EQ(r.state.failure.error, "States.ExceedToleratedFailureThreshold");
}

TEST(Errors, ToleratedFailurePercentage) {
  // 2 of 4 is 50%, which does not exceed 50; 3 of 4 does.
  RunResult within =
      RunWith(ToleranceMachine(R"("ToleratedFailurePercentage":50,)"), "[true,true,false,false]");
  EXPECT_EQ(within.state.status, ExecutionStatus::kSucceeded);
  RunResult over =
      RunWith(ToleranceMachine(R"("ToleratedFailurePercentage":50,)"), "[true,true,true,false]");
  EXPECT_EQ(over.state.failure.error, "States.ExceedToleratedFailureThreshold");
}

TEST(Errors, WithoutToleranceTheIterationsOwnErrorPropagates) {
  RunResult r = RunWith(ToleranceMachine(""), "[false,true]");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "Item.Bad");
  EXPECT_EQ(r.state.failure.cause, "bad item");
}

TEST(Errors, ExceedToleratedFailureThresholdIsCatchable) {
  std::string m = ToleranceMachine(
      R"("ToleratedFailureCount":0,"Catch":[{"ErrorEquals":["States.ExceedToleratedFailureThreshold"],"Next":"H"}],)");
  m.replace(m.find(R"("End":true,)"), 11, R"("Next":"H",)");
  m.insert(m.size() - 2, R"(,"H":{"Type":"Pass","End":true})");
  RunResult r = RunWith(m, "[true]");
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded) << r.state.failure.error;
  EXPECT_EQ(
      Out(r),
      R"({"Error":"States.ExceedToleratedFailureThreshold","Cause":"The specified tolerated failure threshold was exceeded"})");
}

// ---------------------------------------------------------------- custom error names

TEST(Errors, CustomErrorFromAFailState) {
  RunResult r = RunWith(
      R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Robot.LowBattery","Cause":"12%"}}})",
      "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "Robot.LowBattery");
  EXPECT_EQ(r.state.failure.cause, "12%");
  EXPECT_EQ(r.history.back().error, "Robot.LowBattery");
}

TEST(Errors, CustomErrorFromErrorPathAndCausePath) {
  RunResult r = RunWith(
      R"j({"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('at {}%', $.b)"}}})j",
      R"({"e":"Robot.LowBattery","b":12})");
  EXPECT_EQ(r.state.failure.error, "Robot.LowBattery");
  EXPECT_EQ(r.state.failure.cause, "at 12%");
}

TEST(Errors, CustomErrorCaughtByName) {
  RunResult r =
      RunWith(TaskMachine(R"("Catch":[{"ErrorEquals":["Other"],"Next":"H","ResultPath":"$.wrong"},
                                                 {"ErrorEquals":["Robot.Jammed"],"Next":"H","ResultPath":"$.right"}],)"),
              "{}", AlwaysFail("Robot.Jammed", "c"));
  EXPECT_EQ(Out(r), R"({"right":{"Error":"Robot.Jammed","Cause":"c"}})");
}

TEST(Errors, ErrorNamesAreCaseSensitive) {
  RunResult r = RunWith(TaskMachine(R"("Catch":[{"ErrorEquals":["robot.jammed"],"Next":"H"}],)"),
                        "{}", AlwaysFail("Robot.Jammed"));
  EXPECT_EQ(r.state.status, ExecutionStatus::kFailed);
}

// ---------------------------------------------------------------- Parallel

constexpr std::string_view kParallelWithFailingBranch = R"({"StartAt":"Par","States":{
    "Par":{"Type":"Parallel",%END%"Branches":[
      {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"Done"},"Done":{"Type":"Pass","End":true}}},
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Branch.Broken","Cause":"branch 1"}}}]}%MORE%}})";

std::string ParallelMachine(std::string_view end, std::string_view more = "") {
  std::string m(kParallelWithFailingBranch);
  m.replace(m.find("%END%"), 5, end);
  m.replace(m.find("%MORE%"), 6, more);
  return m;
}

TEST(Errors, ParallelFailsWithTheBranchsOwnError) {
  RunResult r = RunWith(ParallelMachine(R"("End":true,)"), "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "Branch.Broken");
  EXPECT_EQ(r.state.failure.cause, "branch 1");
  // The other branch is stopped at once: the execution ends at t=0, and its
  // Wait never completes.
  EXPECT_THAT(TimesOf(r.history, EventType::kExecutionFailed), ElementsAre(0));
  for (const HistoryEvent& e : r.history) {
    EXPECT_FALSE(e.type == EventType::kStateExited && *e.name == "W") << "the Wait branch went on";
  }
  EXPECT_THAT(EventNames(r.history), ::testing::Contains("ParallelStateFailed"));
}

TEST(Errors, ParallelCatchSeesTheBranchsError) {
  RunResult r = RunWith(
      ParallelMachine(R"("Next":"H","Catch":[{"ErrorEquals":["Branch.Broken"],"Next":"H"}],)",
                      R"(,"H":{"Type":"Pass","End":true})"),
      "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), R"({"Error":"Branch.Broken","Cause":"branch 1"})");
}

TEST(Errors, MapFailsWithTheIterationsOwnError) {
  RunResult r = RunWith(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
      "Catch":[{"ErrorEquals":["Robot.Jammed"],"Next":"H"}],
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"test:t","End":true}}}},
      "H":{"Type":"Pass","End":true}}})",
                        "[1,2]", AlwaysFail("Robot.Jammed", "arm"));
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), R"({"Error":"Robot.Jammed","Cause":"arm"})");
}

// ---------------------------------------------------------------- Map frames

TEST(Errors, ThousandItemMapWithMaxConcurrencyTenKeepsAtMostElevenFrames) {
  std::string items = "[";
  for (int i = 0; i < 1000; ++i) items += (i ? "," : "") + std::to_string(i);
  items += "]";
  RunResult r =
      RunWith(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":10,"End":true,
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})",
              items);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(Out(r), items);
  EXPECT_LE(r.state.frames.size(), 11u);
  // Never more than 10 iterations between their start and their end.
  int running = 0, peak = 0;
  for (const HistoryEvent& e : r.history) {
    if (e.type == EventType::kMapIterationStarted) peak = std::max(peak, ++running);
    if (e.type == EventType::kMapIterationSucceeded) --running;
  }
  EXPECT_EQ(peak, 10);
}

}  // namespace
}  // namespace fleetflow::runtime
