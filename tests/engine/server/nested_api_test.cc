// Nested executions on the server (engine/server/nested_executions.h): a Task
// on arn:aws:states:::states:startExecution[.sync[:2]] starts an execution of
// another machine, through a real channel to a real server on both stores.

#include <gtest/gtest.h>

#include "tests/engine/server/api_test_fixture.h"

namespace fleetflow::server::apitest {
namespace {

using SC = grpc::StatusCode;

// The child: fails when $.fail is true, else returns {"cleaned": $.room}.
constexpr std::string_view kChild = R"({"StartAt":"Check","States":{
  "Check":{"Type":"Choice","Choices":[{"Variable":"$.fail","BooleanEquals":true,"Next":"Broken"}],
           "Default":"Clean"},
  "Clean":{"Type":"Pass","Parameters":{"cleaned.$":"$.room"},"End":true},
  "Broken":{"Type":"Fail","Error":"Robot.Stuck","Cause":"wheel caught on a rug"}}})";

std::string Parent(std::string_view resource, std::string_view machine_arn,
                   std::string_view name_field = "") {
  return std::string(R"({"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":")") +
         std::string(resource) + R"(","Parameters":{"StateMachineArn":")" +
         std::string(machine_arn) + R"(","Input":{"room.$":"$.room","fail.$":"$.fail"})" +
         std::string(name_field) + R"(},"End":true}}})";
}

class NestedApiTest : public ApiTest {
 protected:
  // Polls DescribeExecution until the execution exists (at most a minute).
  void AwaitStarted(const std::string& execution_arn) {
    for (int i = 0; i < 3000; ++i) {
      v1::DescribeExecutionResponse r;
      if (Describe(execution_arn, &r).ok()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << execution_arn << " was not started within a minute";
  }
};

TEST_P(NestedApiTest, ASyncTwoTaskGetsTheChildsDescriptionWithItsOutput) {
  std::string child = CreateMachine("Room", kChild);
  std::string parent =
      CreateMachine("Mission", Parent("arn:aws:states:::states:startExecution.sync:2", child,
                                      R"j(,"Name.$":"States.Format('room-{}', $.room)")j"));
  std::string execution = StartOk(parent, "m1", R"({"room":"hall","fail":false})");
  v1::DescribeExecutionResponse end = AwaitEnd(execution);
  ASSERT_EQ(end.status(), v1::EXECUTION_STATUS_SUCCEEDED) << end.error() << ": " << end.cause();
  auto out = json::Parse(end.output());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at("Status"), json::Value("SUCCEEDED"));
  EXPECT_TRUE(json::Equal(out->at("Output"), *json::Parse(R"({"cleaned":"hall"})")));
  EXPECT_EQ(out->at("Name"), json::Value("room-hall"));
  std::string child_arn(out->at("ExecutionArn").as_string());
  EXPECT_EQ(child_arn, "arn:fleetflow:states:local:execution:Room:room-hall");

  // The child is an execution like any other.
  v1::DescribeExecutionResponse described = Describe(child_arn);
  EXPECT_EQ(described.status(), v1::EXECUTION_STATUS_SUCCEEDED);
  EXPECT_EQ(described.state_machine_arn(), child);
}

TEST_P(NestedApiTest, AFailedChildFailsTheSyncTaskWithItsDescriptionAsTheCause) {
  std::string child = CreateMachine("Room", kChild);
  std::string parent =
      CreateMachine("Mission", Parent("arn:aws:states:::states:startExecution.sync", child));
  std::string execution = StartOk(parent, "m2", R"({"room":"den","fail":true})");
  v1::DescribeExecutionResponse end = AwaitEnd(execution);
  ASSERT_EQ(end.status(), v1::EXECUTION_STATUS_FAILED);
  EXPECT_EQ(end.error(), "States.TaskFailed");
  auto cause = json::Parse(end.cause());
  ASSERT_TRUE(cause.ok()) << end.cause();
  EXPECT_EQ(cause->at("Status"), json::Value("FAILED"));
  EXPECT_EQ(cause->at("Error"), json::Value("Robot.Stuck"));
  EXPECT_EQ(cause->at("Cause"), json::Value("wheel caught on a rug"));
  EXPECT_TRUE(cause->at("Input").is_string());  // .sync: JSON text
}

TEST_P(NestedApiTest, StartWithoutSyncAnswersAtOnceAndTheChildRunsOn) {
  std::string child = CreateMachine("Nap", kSleep);
  std::string parent =
      CreateMachine("Mission", Parent("arn:aws:states:::states:startExecution", child));
  std::string execution = StartOk(parent, "m3", R"({"room":"a","fail":false})");
  v1::DescribeExecutionResponse end = AwaitEnd(execution);
  ASSERT_EQ(end.status(), v1::EXECUTION_STATUS_SUCCEEDED) << end.cause();
  auto out = json::Parse(end.output());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->as_object().size(), 2u);
  EXPECT_TRUE(out->at("StartDate").is_number());
  std::string child_arn(out->at("ExecutionArn").as_string());
  EXPECT_EQ(Describe(child_arn).status(), v1::EXECUTION_STATUS_RUNNING);
}

TEST_P(NestedApiTest, StoppingTheParentStopsTheChildItWaitsFor) {
  std::string child = CreateMachine("Nap", kSleep);
  std::string parent = CreateMachine(
      "Mission",
      Parent("arn:aws:states:::states:startExecution.sync:2", child, R"(,"Name":"nap-1")"));
  std::string execution = StartOk(parent, "m4", R"({"room":"a","fail":false})");
  std::string child_arn = "arn:fleetflow:states:local:execution:Nap:nap-1";
  AwaitStarted(child_arn);
  ASSERT_EQ(Describe(child_arn).status(), v1::EXECUTION_STATUS_RUNNING);

  v1::StopExecutionRequest stop;
  stop.set_execution_arn(execution);
  v1::StopExecutionResponse stopped;
  ASSERT_TRUE(IsOk(executions_->StopExecution(Ctx().get(), stop, &stopped)));
  EXPECT_EQ(AwaitEnd(execution).status(), v1::EXECUTION_STATUS_ABORTED);
  EXPECT_EQ(AwaitEnd(child_arn).status(), v1::EXECUTION_STATUS_ABORTED);
}

TEST_P(NestedApiTest, AnUnknownMachineOrABadNameFailsTheTaskWithTheAwsName) {
  std::string unknown =
      CreateMachine("Orphan", Parent("arn:aws:states:::states:startExecution.sync:2",
                                     "arn:aws:states:eu-west-1:123456789012:stateMachine:Missing"));
  v1::DescribeExecutionResponse end =
      AwaitEnd(StartOk(unknown, "o1", R"({"room":"a","fail":false})"));
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_FAILED);
  EXPECT_EQ(end.error(), "StepFunctions.StateMachineDoesNotExistException") << end.cause();

  std::string child = CreateMachine("Room", kChild);
  std::string bad_name = CreateMachine(
      "BadName",
      Parent("arn:aws:states:::states:startExecution.sync:2", child, R"(,"Name":"has space")"));
  end = AwaitEnd(StartOk(bad_name, "b1", R"({"room":"a","fail":false})"));
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_FAILED);
  EXPECT_EQ(end.error(), "StepFunctions.InvalidNameException") << end.cause();
}

TEST_P(NestedApiTest, AChildNameTakenWithAnotherInputFailsTheTask) {
  std::string child = CreateMachine("Room", kChild);
  StartOk(child, "taken", R"({"room":"other","fail":false})");
  std::string parent = CreateMachine(
      "Mission",
      Parent("arn:aws:states:::states:startExecution.sync:2", child, R"(,"Name":"taken")"));
  v1::DescribeExecutionResponse end =
      AwaitEnd(StartOk(parent, "t1", R"({"room":"a","fail":false})"));
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_FAILED);
  EXPECT_EQ(end.error(), "StepFunctions.ExecutionAlreadyExistsException") << end.cause();
}

TEST_P(NestedApiTest, AnAwsStyleArnNamesTheMachineOfThatNameHere) {
  CreateMachine("Room", kChild);
  std::string parent =
      CreateMachine("Mission", Parent("arn:aws:states:::states:startExecution.sync:2",
                                      "arn:aws:states:eu-west-1:123456789012:stateMachine:Room"));
  v1::DescribeExecutionResponse end =
      AwaitEnd(StartOk(parent, "m5", R"({"room":"attic","fail":false})"));
  ASSERT_EQ(end.status(), v1::EXECUTION_STATUS_SUCCEEDED) << end.cause();
  EXPECT_NE(end.output().find(R"("cleaned":"attic")"), std::string::npos) << end.output();
}

TEST_P(NestedApiTest, AParentWaitingAcrossARestartGetsItsChildsResult) {
  std::string child = CreateMachine("Callback", kCallback);
  std::string parent = CreateMachine(
      "Mission",
      Parent("arn:aws:states:::states:startExecution.sync:2", child, R"(,"Name":"cb-1")"));
  std::string execution = StartOk(parent, "m6", R"({"room":"a","fail":false})");
  std::string child_arn = "arn:fleetflow:states:local:execution:Callback:cb-1";
  AwaitStarted(child_arn);
  std::string token = AwaitTaskToken(child_arn);
  ASSERT_FALSE(token.empty());

  // The new process dispatches the parent's task again; it must find the
  // child it started, not start another or fail on the taken name.
  RestartServer();
  ASSERT_TRUE(IsOk(SendSuccess(token, R"({"done":true})")));
  v1::DescribeExecutionResponse end = AwaitEnd(execution);
  ASSERT_EQ(end.status(), v1::EXECUTION_STATUS_SUCCEEDED) << end.error() << ": " << end.cause();
  auto out = json::Parse(end.output());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at("ExecutionArn"), json::Value(child_arn));
  EXPECT_TRUE(json::Equal(out->at("Output"), *json::Parse(R"({"done":true})")));
}

INSTANTIATE_TEST_SUITE_P(Stores, NestedApiTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fleetflow::server::apitest
