// The startExecution integration's contract (engine/runtime/nested_execution.h)
// and nested executions run in this process (engine/runtime/local_nested.h).

#include <gtest/gtest.h>

#include "engine/runtime/local_nested.h"
#include "engine/runtime/local_runner.h"
#include "engine/runtime/nested_execution.h"
#include "tests/engine/runtime/runtime_test_util.h"

namespace fleetflow::runtime {
namespace {

using testing::J;
using testing::kT0;
using testing::Load;

DispatchTask Task(std::string resource, std::string_view params) {
  DispatchTask t;
  t.token = "arn:fleetflow:states:local:execution:Parent:p1#3#abc";
  t.resource = std::move(resource);
  t.state_name = "Child";
  t.input = json::Share(J(params));
  return t;
}

TEST(NestedStart, ReadsTheModeFromTheResource) {
  std::string base(kStartExecutionResource);
  const char* params = R"({"StateMachineArn":"arn:aws:states:eu-west-1:1:stateMachine:M"})";
  EXPECT_EQ(ReadNestedStart(Task(base, params)).value().mode, NestedMode::kStart);
  EXPECT_EQ(ReadNestedStart(Task(base + ".sync", params)).value().mode, NestedMode::kSync);
  EXPECT_EQ(ReadNestedStart(Task(base + ".sync:2", params)).value().mode, NestedMode::kSyncJson);
  EXPECT_EQ(ReadNestedStart(Task(base + ".waitForTaskToken", params)).value().mode,
            NestedMode::kCallback);
  EXPECT_TRUE(IsNestedExecution(base + ".sync:2"));
  EXPECT_FALSE(IsNestedExecution(base + ".sync:3"));
  EXPECT_FALSE(IsNestedExecution("arn:aws:states:::lambda:invoke"));
}

TEST(NestedStart, InputIsJsonOrJsonTextAndDefaultsToAnEmptyObject) {
  std::string r(kStartExecutionResource);
  auto object = ReadNestedStart(
      Task(r, R"({"StateMachineArn":"arn:x:states:r:1:stateMachine:M","Input":{"a":[1,2]},
                  "Name":"run-7"})"));
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(object.value().input, R"({"a":[1,2]})");
  EXPECT_EQ(object.value().name, "run-7");
  EXPECT_EQ(object.value().machine_arn, "arn:x:states:r:1:stateMachine:M");

  auto text = ReadNestedStart(
      Task(r, R"({"StateMachineArn":"arn:x:states:r:1:stateMachine:M","Input":"[true]"})"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value().input, "[true]");

  auto none = ReadNestedStart(Task(r, R"({"StateMachineArn":"arn:x:states:r:1:stateMachine:M"})"));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.value().input, "{}");
  EXPECT_EQ(none.value().name, "");
}

TEST(NestedStart, BadParametersFailTheTaskNamingTheState) {
  std::string r(kStartExecutionResource);
  auto no_arn = ReadNestedStart(Task(r, R"({"Input":{}})"));
  ASSERT_FALSE(no_arn.ok());
  EXPECT_EQ(no_arn.failure().error, "StepFunctions.InvalidArn");
  EXPECT_NE(no_arn.failure().cause.find("state 'Child'"), std::string::npos);

  auto not_machine =
      ReadNestedStart(Task(r, R"({"StateMachineArn":"arn:fleetflow:states:local:activity:scan"})"));
  EXPECT_EQ(not_machine.failure().error, "StepFunctions.InvalidArn");
  EXPECT_EQ(ReadNestedStart(Task(r, "[1]")).failure().error, "StepFunctions.InvalidArn");

  auto bad_text = ReadNestedStart(
      Task(r, R"({"StateMachineArn":"arn:x:states:r:1:stateMachine:M","Input":"{oops"})"));
  EXPECT_EQ(bad_text.failure().error, "StepFunctions.InvalidExecutionInput");
  auto bad_name =
      ReadNestedStart(Task(r, R"({"StateMachineArn":"arn:x:states:r:1:stateMachine:M","Name":3})"));
  EXPECT_EQ(bad_name.failure().error, "StepFunctions.InvalidName");
}

TEST(NestedStart, MachineNamesComeFromMachineVersionAndAliasArns) {
  EXPECT_EQ(MachineNameOfArn("arn:aws:states:eu-west-1:123:stateMachine:Mission"), "Mission");
  EXPECT_EQ(MachineNameOfArn("arn:aws:states:eu-west-1:123:stateMachine:Mission:3"), "Mission");
  EXPECT_EQ(MachineNameOfArn("arn:fleetflow:states:local:stateMachine:m:live"), "m");
  EXPECT_EQ(MachineNameOfArn("arn:aws:states:eu-west-1:123:stateMachine:"), "");
  EXPECT_EQ(MachineNameOfArn("stateMachine:Mission"), "");
}

TEST(NestedStart, ADerivedNameIsStablePerTaskAndDiffersBetweenTasks) {
  std::string a = DerivedChildName("token-a");
  EXPECT_EQ(a, DerivedChildName("token-a"));
  EXPECT_NE(a, DerivedChildName("token-b"));
  ASSERT_EQ(a.size(), 36u);  // a UUID's shape
  EXPECT_EQ(a[8], '-');
  EXPECT_EQ(a[23], '-');
}

ChildExecution Child(std::string status) {
  ChildExecution c;
  c.arn = "arn:fleetflow:states:local:execution:M:c1";
  c.machine_arn = "arn:fleetflow:states:local:stateMachine:M";
  c.name = "c1";
  c.status = std::move(status);
  c.input = R"({"robot":"r1"})";
  c.output = R"({"area":12.5})";
  c.start = kT0;
  c.stop = kT0 + absl::Seconds(2);
  return c;
}

TEST(NestedOutcome, SyncTwoGivesInputAndOutputAsJson) {
  TaskOutcome out = EndedOutcome(NestedMode::kSyncJson, Child("SUCCEEDED"));
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(json::Equal(out.value(), J(R"({
      "ExecutionArn":"arn:fleetflow:states:local:execution:M:c1",
      "StateMachineArn":"arn:fleetflow:states:local:stateMachine:M","Name":"c1",
      "Status":"SUCCEEDED","StartDate":1700000000000,"StopDate":1700000002000,
      "Input":{"robot":"r1"},"InputDetails":{"Included":true},
      "Output":{"area":12.5},"OutputDetails":{"Included":true}})")))
      << json::Serialize(out.value());
}

TEST(NestedOutcome, SyncGivesInputAndOutputAsJsonText) {
  TaskOutcome out = EndedOutcome(NestedMode::kSync, Child("SUCCEEDED"));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.value().at("Input"), json::Value(R"({"robot":"r1"})"));
  EXPECT_EQ(out.value().at("Output"), json::Value(R"({"area":12.5})"));
}

TEST(NestedOutcome, AChildThatDidNotSucceedFailsTheTaskWithItsDescription) {
  ChildExecution failed = Child("FAILED");
  failed.error = "Map.Rejected";
  failed.cause = "checksum mismatch";
  TaskOutcome out = EndedOutcome(NestedMode::kSyncJson, failed);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.failure().error, "States.TaskFailed");
  json::Value cause = J(out.failure().cause);
  EXPECT_EQ(cause.at("Status"), json::Value("FAILED"));
  EXPECT_EQ(cause.at("Error"), json::Value("Map.Rejected"));
  EXPECT_EQ(cause.at("Cause"), json::Value("checksum mismatch"));
  EXPECT_FALSE(cause.as_object().contains("Output"));

  EXPECT_EQ(EndedOutcome(NestedMode::kSync, Child("TIMED_OUT")).failure().error,
            "States.TaskFailed");
  EXPECT_TRUE(json::Equal(StartedResult("arn:e", kT0),
                          J(R"({"ExecutionArn":"arn:e","StartDate":1700000000000})")));
}

// --- Running children in this process -----------------------------------------

constexpr std::string_view kChild = R"j({"StartAt":"Double","States":{
  "Double":{"Type":"Pass","Parameters":{"twice.$":"States.MathAdd($.n, $.n)"},"Next":"Check"},
  "Check":{"Type":"Choice","Choices":[{"Variable":"$.twice","NumericGreaterThan":100,"Next":"TooBig"}],
           "Default":"Done"},
  "TooBig":{"Type":"Fail","Error":"Child.TooBig","Cause":"over 100"},
  "Done":{"Type":"Succeed"}}})j";

std::string Parent(std::string_view resource, std::string_view child_machine = "child") {
  return std::string(R"({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":")") +
         std::string(resource) +
         R"(","Parameters":{"StateMachineArn":"arn:fleetflow:states:local:stateMachine:)" +
         std::string(child_machine) +
         R"(","Input":{"n.$":"$.n"}},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
         "End":true},"Caught":{"Type":"Pass","End":true}}})";
}

struct LocalRun {
  RunResult result;
  std::vector<ChildExecution> children;
};

LocalRun RunParent(std::string_view parent, std::string_view input,
                   std::map<std::string, definition::MachinePtr> machines) {
  VirtualClock clock(kT0);
  std::map<std::string, std::unique_ptr<ResourceRegistry>> registries;
  std::shared_ptr<LocalNestedExecutions> nested;
  auto registry_for = [&](const std::string& machine) -> const ResourceRegistry& {
    auto& r = registries[machine];
    if (!r) {
      r = std::make_unique<ResourceRegistry>();
      r->Register(std::string(kStartExecutionResource), nested);
    }
    return *r;
  };
  nested =
      std::make_shared<LocalNestedExecutions>(machines, clock, InterpreterOptions{}, registry_for);
  Interpreter interpreter(Load(parent));
  LocalRunner runner(interpreter, registry_for("parent"), clock);
  LocalRun run;
  run.result = runner.Run({"p1", "parent", 3}, json::Share(J(input)));
  run.children = nested->children();
  return run;
}

TEST(LocalNested, ASyncChildsOutputIsTheTasksResult) {
  LocalRun run = RunParent(Parent("arn:aws:states:::states:startExecution.sync:2"), R"({"n":21})",
                           {{"child", Load(kChild)}});
  ASSERT_EQ(run.result.state.status, ExecutionStatus::kSucceeded);
  const json::Value& out = *run.result.state.output;
  EXPECT_EQ(out.at("Status"), json::Value("SUCCEEDED"));
  EXPECT_TRUE(json::Equal(out.at("Output"), J(R"({"twice":42})")));
  EXPECT_TRUE(json::Equal(out.at("Input"), J(R"({"n":21})")));
  ASSERT_EQ(run.children.size(), 1u);
  EXPECT_EQ(run.children[0].status, "SUCCEEDED");
  // Without a Name the child's name is derived from the task: the same every run.
  EXPECT_EQ(run.children[0].name, RunParent(Parent("arn:aws:states:::states:startExecution.sync:2"),
                                            R"({"n":21})", {{"child", Load(kChild)}})
                                      .children[0]
                                      .name);
}

TEST(LocalNested, AFailedChildFailsTheTaskCatchablyWithItsErrorInTheCause) {
  LocalRun run = RunParent(Parent("arn:aws:states:::states:startExecution.sync"), R"({"n":60})",
                           {{"child", Load(kChild)}});
  ASSERT_EQ(run.result.state.status, ExecutionStatus::kSucceeded);  // caught
  const json::Value& out = *run.result.state.output;
  EXPECT_EQ(out.at("Error"), json::Value("States.TaskFailed"));
  json::Value cause = J(std::string(out.at("Cause").as_string()));
  EXPECT_EQ(cause.at("Error"), json::Value("Child.TooBig"));
  EXPECT_EQ(cause.at("Status"), json::Value("FAILED"));
  EXPECT_EQ(cause.at("Input"), json::Value(R"({"n":60})"));  // .sync: JSON text
}

TEST(LocalNested, StartWithoutSyncGivesTheArnAndStartDate) {
  LocalRun run = RunParent(Parent("arn:aws:states:::states:startExecution"), R"({"n":1})",
                           {{"child", Load(kChild)}});
  ASSERT_EQ(run.result.state.status, ExecutionStatus::kSucceeded);
  const json::Value& out = *run.result.state.output;
  EXPECT_EQ(out.as_object().size(), 2u);
  EXPECT_EQ(out.at("ExecutionArn"), json::Value(run.children.at(0).arn));
  EXPECT_EQ(out.at("StartDate"), json::Value(absl::ToUnixMillis(kT0)));
}

TEST(LocalNested, AnUnknownMachineIsAnError) {
  LocalRun run = RunParent(Parent("arn:aws:states:::states:startExecution.sync:2", "nope"),
                           R"({"n":1})", {{"child", Load(kChild)}});
  const json::Value& out = *run.result.state.output;
  EXPECT_EQ(out.at("Error"), json::Value(kMachineDoesNotExist));
  EXPECT_TRUE(run.children.empty());
}

TEST(LocalNested, AMachineThatStartsItselfForeverStopsAtTheDepthLimit) {
  // Uncaught, so each level fails in turn up to the top.
  std::string self = R"({"StartAt":"Again","States":{"Again":{"Type":"Task",
      "Resource":"arn:aws:states:::states:startExecution.sync:2",
      "Parameters":{"StateMachineArn":"arn:fleetflow:states:local:stateMachine:parent"},
      "End":true}}})";
  LocalRun run = RunParent(self, "{}", {{"parent", Load(self)}});
  ASSERT_EQ(run.result.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(run.result.state.failure.error, "States.TaskFailed");
  EXPECT_EQ(run.children.size(), static_cast<size_t>(LocalNestedExecutions::kMaxDepth));
  EXPECT_NE(run.result.state.failure.cause.find("ExecutionLimitExceeded"), std::string::npos);
}

TEST(LocalNested, ANameUsedTwiceIsExecutionAlreadyExists) {
  std::string twice = R"({"StartAt":"One","States":{
    "One":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
      "Parameters":{"StateMachineArn":"arn:fleetflow:states:local:stateMachine:child",
                    "Name":"same","Input":{"n":1}},"ResultPath":null,"Next":"Two"},
    "Two":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
      "Parameters":{"StateMachineArn":"arn:fleetflow:states:local:stateMachine:child",
                    "Name":"same","Input":{"n":1}},"End":true}}})";
  LocalRun run = RunParent(twice, "{}", {{"child", Load(kChild)}});
  ASSERT_EQ(run.result.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(run.result.state.failure.error, kExecutionAlreadyExists);
}

}  // namespace
}  // namespace fleetflow::runtime
