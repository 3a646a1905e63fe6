// JSONata states in the interpreter: what a Task receives from Arguments and
// Credentials, deterministic $random/$uuid, variables by reference, Map
// batches, and the QueryEvaluationError causes. The conformance cases
// (tests/conformance/cases/jsonata/) cover each field against AWS's docs.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/common/strings.h"
#include "runtime_test_util.h"

namespace fleetflow::runtime {
namespace {

using namespace ::fleetflow::runtime::testing;  // NOLINT
using ::testing::HasSubstr;

TEST(JsonataStates, TaskReceivesArgumentsAndTimeouts) {
  auto handler = std::make_shared<ScriptedHandler>(
      [](const DispatchTask&, int) -> TaskOutcome { return J(R"({"v":3})"); });
  RunResult r = RunWith(R"({"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{
      "Type":"Task","Resource":"arn:aws:lambda:::function:f",
      "Arguments":{"robot":"{% $states.input.id %}","token":"{% $states.context.Task.Token %}",
                   "n":"{% $count($states.input.rooms) %}"},
      "TimeoutSeconds":"{% $states.input.t %}","HeartbeatSeconds":5,
      "Output":"{% $states.result.v + $states.input.t %}","End":true}}})",
                        R"({"id":"vac-1","rooms":[1,2,3],"t":30})", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded) << r.state.failure.cause;
  EXPECT_EQ(Out(r), "33");
  auto calls = handler->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].input.at("robot"), "vac-1");
  EXPECT_EQ(calls[0].input.at("n"), 3);
  EXPECT_THAT(std::string(calls[0].input.at("token").as_string()), HasSubstr("#"));
  EXPECT_EQ(calls[0].timeout_seconds, 30);
  EXPECT_EQ(calls[0].heartbeat_seconds, 5);
}

constexpr std::string_view kRandom = R"({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{
    "Type":"Pass","Output":{"r":"{% $random() %}","u":"{% $uuid() %}","s":"{% $random(3) %}"},
    "End":true}}})";

TEST(JsonataStates, RandomAndUuidComeFromTheExecutionsSeed) {
  RunResult a = RunWith(kRandom, "{}", nullptr, 11);
  RunResult b = RunWith(kRandom, "{}", nullptr, 11);
  RunResult c = RunWith(kRandom, "{}", nullptr, 12);
  ASSERT_EQ(a.state.status, ExecutionStatus::kSucceeded) << a.state.failure.cause;
  EXPECT_EQ(Out(a), Out(b));
  EXPECT_NE(Out(a), Out(c));
  // A seeded $random does not depend on the execution.
  EXPECT_EQ(a.state.output->at("s"), c.state.output->at("s"));
}

TEST(JsonataStates, ErrorCauseNamesExpressionAndField) {
  RunResult r = RunWith(R"({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{
      "Type":"Pass","Output":{"a":[{"b":"{% $states.input.x.y %}"}]},"End":true}}})",
                        "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.QueryEvaluationError");
  EXPECT_EQ(r.state.failure.cause,
            "An error occurred while executing the state 'P' (entered at the event id #2). The "
            "JSONata expression '$states.input.x.y' specified for the field 'Output/a[0]/b' "
            "returned nothing (undefined).");
}

TEST(JsonataStates, WholeStatesObjectAndMembersAgree) {
  RunResult r = RunWith(R"({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{
      "Type":"Pass","Output":{"same":"{% $states.input = $lookup($states, 'input') %}",
                              "div":"{% $states.input.n / 2 %}"},"End":true}}})",
                        R"({"n":9})");
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded) << r.state.failure.cause;
  EXPECT_EQ(Out(r), R"({"same":true,"div":4.5})");
}

TEST(JsonataStates, InnerScopeVariableShadowsNothingAndReadsOuter) {
  RunResult r = RunWith(R"({"QueryLanguage":"JSONata","StartAt":"S","States":{
      "S":{"Type":"Pass","Assign":{"k":10},"Next":"Par"},
      "Par":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass",
          "Assign":{"local":"{% $k * 2 %}"},"Next":"C"},
          "C":{"Type":"Pass","Output":"{% $local + $k %}","End":true}}}],"End":true}}})",
                        "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded) << r.state.failure.cause;
  EXPECT_EQ(Out(r), "[30]");
}

TEST(JsonataStates, CredentialsAreEvaluatedAtEachDispatch) {
  std::vector<std::string> roles;
  auto handler =
      std::make_shared<ScriptedHandler>([&roles](const DispatchTask& task, int n) -> TaskOutcome {
        roles.push_back(task.credentials ? json::Serialize(*task.credentials) : "none");
        if (n == 0) return Failure{"Robot.Busy", "try again"};
        return J(R"({"ok":true})");
      });
  RunResult r = RunWith(R"({"QueryLanguage":"JSONata","StartAt":"S","States":{
      "S":{"Type":"Pass","Assign":{"account":"123456789012"},"Next":"T"},
      "T":{"Type":"Task","Resource":"arn:aws:lambda:::function:f",
      "Credentials":{"RoleArn":"{% 'arn:aws:iam::' & $account & ':role/' & $states.input.robot & '-' & $states.context.State.RetryCount %}"},
      "Retry":[{"ErrorEquals":["Robot.Busy"],"IntervalSeconds":1}],"End":true}}})",
                        R"({"robot":"vac-1"})", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded) << r.state.failure.cause;
  EXPECT_EQ(roles,
            (std::vector<std::string>{R"({"RoleArn":"arn:aws:iam::123456789012:role/vac-1-0"})",
                                      R"({"RoleArn":"arn:aws:iam::123456789012:role/vac-1-1"})"}));
}

TEST(JsonataStates, LiteralCredentialsPassThrough) {
  std::optional<json::Value> seen;
  auto handler =
      std::make_shared<ScriptedHandler>([&seen](const DispatchTask& task, int) -> TaskOutcome {
        seen = task.credentials;
        return J("{}");
      });
  RunResult r = RunWith(R"({"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{
      "Type":"Task","Resource":"arn:aws:lambda:::function:f",
      "Credentials":{"RoleArn":"arn:aws:iam::1:role/r"},"End":true}}})",
                        "{}", handler);
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded) << r.state.failure.cause;
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(json::Serialize(*seen), R"({"RoleArn":"arn:aws:iam::1:role/r"})");
}

TEST(JsonataStates, ItemBatcherStartsOneIterationPerBatch) {
  RunResult r = RunWith(R"({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{
      "Type":"Map","Items":"{% $states.input.rooms %}",
      "ItemSelector":{"room":"{% $states.context.Map.Item.Value %}",
                      "i":"{% $states.context.Map.Item.Index %}"},
      "ItemBatcher":{"MaxItemsPerBatch":"{% $states.input.per %}",
                     "BatchInput":{"robot":"{% $states.input.robot %}"}},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"T","States":{"T":{
          "Type":"Task","Resource":"arn:aws:lambda:::function:f","End":true}}},
      "End":true}}})",
                        R"({"rooms":["a","b","c","d","e"],"per":2,"robot":"vac-1"})", Echo());
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded) << r.state.failure.cause;
  EXPECT_EQ(Out(r),
            R"([{"Items":[{"room":"a","i":0},{"room":"b","i":1}],"BatchInput":{"robot":"vac-1"}},)"
            R"({"Items":[{"room":"c","i":2},{"room":"d","i":3}],"BatchInput":{"robot":"vac-1"}},)"
            R"({"Items":[{"room":"e","i":4}],"BatchInput":{"robot":"vac-1"}}])");
  auto names = EventNames(r.history);
  EXPECT_EQ(std::count(names.begin(), names.end(), "MapIterationStarted"), 3);
}

TEST(JsonataStates, ItemBatcherLimitOutOfRangeFailsTheMap) {
  RunResult r = RunWith(R"({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{
      "Type":"Map","ItemBatcher":{"MaxInputBytesPerBatch":"{% 300000 %}"},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{
          "Type":"Pass","End":true}}},"End":true}}})",
                        "[1,2]");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.QueryEvaluationError");
  EXPECT_THAT(r.state.failure.cause,
              HasSubstr("The JSONata expression '300000' specified for the field "
                        "'ItemBatcher/MaxInputBytesPerBatch' returned an unexpected value: "
                        "expected an integer from 1 to 262144, got 300000"));
}

}  // namespace
}  // namespace fleetflow::runtime
