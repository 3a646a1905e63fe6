// DOT and Mermaid drawings of a machine, and the path overlay read from a history.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/definition/export/graph_export.h"
#include "engine/definition/loader.h"
#include "engine/runtime/history.h"
#include "engine/runtime/local_runner.h"
#include "engine/runtime/mock_config.h"

namespace fleetflow::definition::graph_export {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Every kind of state: a task with retry and catch, a choice, a wait, a
// parallel with two branches, a map, pass, succeed and fail.
constexpr const char* kMachine = R"({
  "StartAt": "Check",
  "States": {
    "Check": {"Type": "Task", "Resource": "fleetflow:devices:status", "TimeoutSeconds": 900,
              "ResultPath": "$.status",
              "Retry": [{"ErrorEquals": ["Devices.Unavailable"], "MaxAttempts": 5}],
              "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Lost", "ResultPath": null}],
              "Next": "Ready"},
    "Ready": {"Type": "Choice",
              "Choices": [{"And": [{"Variable": "$.status.docked", "BooleanEquals": true},
                                   {"Variable": "$.status.battery", "NumericGreaterThanEquals": 30}],
                           "Next": "Both"},
                          {"Not": {"Variable": "$.status.state", "StringEquals": "cleaning"}, "Next": "Pause"}],
              "Default": "Lost"},
    "Pause": {"Type": "Wait", "Seconds": 1800, "Next": "Check"},
    "Both": {"Type": "Parallel", "ResultPath": null, "Next": "Rooms",
             "Branches": [
               {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
               {"StartAt": "Right", "States": {"Right": {"Type": "Task", "Resource": "fleetflow:mqtt:publish", "End": true}}}]},
    "Rooms": {"Type": "Map", "ItemsPath": "$.rooms", "MaxConcurrency": 2, "ResultPath": null,
              "ItemProcessor": {"StartAt": "Clean", "States": {
                "Clean": {"Type": "Task", "Resource": "fleetflow:events:await.waitForTaskToken",
                          "Parameters": {"token.$": "$$.Task.Token"}, "End": true}}},
              "Next": "Done"},
    "Done": {"Type": "Succeed"},
    "Lost": {"Type": "Fail", "Error": "Robot.Lost", "Cause": "no answer"}
  }
})";

MachinePtr Load(const char* text = kMachine) {
  LoadResult loaded = LoadAsl(text);
  EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].message);
  return loaded.machine;
}

// Box ids are the states in model order: Check s0, Ready s1, Pause s2, Both s3,
// Rooms s4, Done s5, Lost s6, Left s7, Right s8, Clean s9.
TEST(Dot, StatesAreShapedByType) {
  std::string dot = ToDot(*Load());
  EXPECT_THAT(dot, HasSubstr("digraph machine {"));
  EXPECT_THAT(dot, HasSubstr("s0 [label=\"Check\\ndevices:status\\ntimeout 15m\", shape=box, "
                             "style=\"rounded,filled\""));
  EXPECT_THAT(dot, HasSubstr("s1 [label=\"Ready\", shape=diamond"));
  EXPECT_THAT(
      dot, HasSubstr("s2 [label=\"Pause\\nwait 30m\", shape=box, style=\"rounded,filled,dashed\""));
  EXPECT_THAT(
      dot,
      HasSubstr(
          "s5 [label=\"Done\", shape=box, style=\"rounded,filled,bold\", fillcolor=\"#bbf7d0\""));
  EXPECT_THAT(dot, HasSubstr("s6 [label=\"Lost\\nRobot.Lost\", shape=box, "
                             "style=\"rounded,filled,bold\", fillcolor=\"#fecaca\""));
  EXPECT_THAT(dot, HasSubstr("s7 [label=\"Left\", shape=box, style=\"filled\""));
  EXPECT_THAT(dot, HasSubstr("s9 [label=\"Clean\\nevents:await (callback)\""));
}

TEST(Dot, TransitionsRetriesAndCatches) {
  std::string dot = ToDot(*Load());
  EXPECT_THAT(dot, HasSubstr("__start -> s0;"));
  EXPECT_THAT(dot, HasSubstr("s0 -> s1;"));
  EXPECT_THAT(dot, HasSubstr("s0 -> s0 [label=\"retry Devices.Unavailable x5\", style=dotted"));
  EXPECT_THAT(dot, HasSubstr("s0 -> s6 [label=\"Timeout\", style=dashed"));
  // Choice rules with their condition, one clause per line, and the default.
  EXPECT_THAT(
      dot, HasSubstr("s1 -> s3 [label=\"$.status.docked == true\\nand $.status.battery >= 30\"]"));
  EXPECT_THAT(dot, HasSubstr("s1 -> s2 [label=\"$.status.state != \\\"cleaning\\\"\"]"));
  EXPECT_THAT(dot, HasSubstr("s1 -> s6 [label=\"else\""));
  EXPECT_THAT(dot, HasSubstr("s2 -> s0;"));
  EXPECT_THAT(dot, HasSubstr("s5 -> __end;"));
}

TEST(Dot, ParallelAndMapAreClusters) {
  std::string dot = ToDot(*Load());
  EXPECT_THAT(dot, HasSubstr("subgraph cluster_3 {"));
  EXPECT_THAT(dot, HasSubstr("subgraph cluster_b1 {"));
  EXPECT_THAT(dot, HasSubstr("label=\"branch 1\""));
  EXPECT_THAT(dot, HasSubstr("label=\"branch 2\""));
  EXPECT_THAT(dot, HasSubstr("subgraph cluster_4 {"));
  EXPECT_THAT(dot,
              HasSubstr("s4 [label=\"Rooms\\nmap over $.rooms\\nmax 2 at once\", shape=box3d"));
  // The owner's box starts each block; its own edges leave from the cluster.
  EXPECT_THAT(dot, HasSubstr("s3 -> s7 [style=dotted, arrowhead=empty];"));
  EXPECT_THAT(dot, HasSubstr("s3 -> s8 [style=dotted, arrowhead=empty];"));
  EXPECT_THAT(dot, HasSubstr("s4 -> s9 [style=dotted, arrowhead=empty];"));
  EXPECT_THAT(dot, HasSubstr("s7 -> s4 [ltail=cluster_3];"));
  EXPECT_THAT(dot, HasSubstr("s9 -> s5 [ltail=cluster_4];"));
  // Inner ends do not go to the machine's end.
  EXPECT_THAT(dot, Not(HasSubstr("s9 -> __end")));
  // s4's cluster is nested inside no other.
  size_t parallel = dot.find("subgraph cluster_3 {");
  size_t map = dot.find("subgraph cluster_4 {");
  EXPECT_LT(dot.find("s7 [", parallel), map);
}

TEST(Mermaid, Structure) {
  std::string m = ToMermaid(*Load());
  EXPECT_THAT(m, HasSubstr("flowchart TB\n"));
  EXPECT_THAT(m, HasSubstr("s0(\"Check<br/>devices:status<br/>timeout 15m\")"));
  EXPECT_THAT(m, HasSubstr("s1{\"Ready\"}"));
  EXPECT_THAT(m, HasSubstr("s5([\"Done\"])"));
  EXPECT_THAT(m, HasSubstr("s6[[\"Lost<br/>Robot.Lost\"]]"));
  EXPECT_THAT(m, HasSubstr("subgraph c3 [\"Both<br/>parallel, 2 branches\"]"));
  EXPECT_THAT(m, HasSubstr("subgraph b1 [\"branch 1\"]"));
  EXPECT_THAT(m, HasSubstr("subgraph c4 [\"Rooms<br/>map over $.rooms<br/>max 2 at once\"]"));
  EXPECT_THAT(m, HasSubstr("__start --> s0"));
  EXPECT_THAT(m, HasSubstr("s0 -.->|\"retry Devices.Unavailable x5\"| s0"));
  EXPECT_THAT(m, HasSubstr("s0 -.->|\"Timeout\"| s6"));
  EXPECT_THAT(
      m, HasSubstr("s1 -->|\"$.status.docked == true<br/>and $.status.battery #gt;= 30\"| c3"));
  EXPECT_THAT(m, HasSubstr("c3 --> c4"));
  EXPECT_THAT(m, HasSubstr("c4 --> s5"));
  EXPECT_THAT(m, HasSubstr("s5 --> __end"));
  EXPECT_THAT(m, HasSubstr("class s1 choice"));
}

// Runs the machine with mocked tasks; its history in the shape `run --history` prints.
std::string RunHistory(const MachinePtr& machine, const char* mocks, bool events_object) {
  auto config = runtime::MockConfig::Parse(*json::Parse(mocks));
  EXPECT_TRUE(config.ok()) << config.status();
  auto handler = runtime::MockTaskHandler::Create(*config, "m", "t");
  EXPECT_TRUE(handler.ok());
  std::shared_ptr<runtime::MockTaskHandler> h = *handler;
  runtime::ResourceRegistry registry;
  registry.SetInterceptor(h,
                          [h](const runtime::DispatchTask& t) { return h->Mocks(t.state_name); });
  runtime::Interpreter interpreter(machine);
  runtime::VirtualClock clock(absl::UnixEpoch());
  runtime::LocalRunner runner(interpreter, registry, clock);
  runtime::ExecutionIdentity id;
  id.name = "e";
  id.machine_name = "m";
  runtime::RunResult r =
      runner.Run(id, json::Share(*json::Parse(R"({"rooms": ["kitchen", "hall"]})")));
  std::string out = events_object ? "{\"events\": [" : "";
  for (size_t i = 0; i < r.history.size(); ++i) {
    if (events_object && i > 0) out += ",";
    out += json::Serialize(runtime::EventToJson(r.history[i]));
    if (!events_object) out += "\n";
  }
  return events_object ? out + "]}" : out;
}

constexpr const char* kSucceeding = R"({
  "StateMachines": {"m": {"TestCases": {"t": {"Check": "Status", "Right": "Ok", "Clean": "Ok"}}}},
  "MockedResponses": {
    "Status": {"0": {"Return": {"docked": false, "battery": 10, "state": "idle"}},
               "1": {"Throw": {"Error": "Devices.Unavailable", "Cause": "busy"}},
               "2": {"Return": {"docked": true, "battery": 80, "state": "idle"}}},
    "Ok": {"0-9": {"Return": {}}}}
})";

constexpr const char* kFailing = R"({
  "StateMachines": {"m": {"TestCases": {"t": {"Check": "Silent"}}}},
  "MockedResponses": {"Silent": {"0": {"Throw": {"Error": "States.Timeout", "Cause": "gone"}}}}
})";

TEST(Overlay, ReadsThePathOfBothShapes) {
  MachinePtr machine = Load();
  for (bool events_object : {false, true}) {
    auto overlay = ReadHistory(RunHistory(machine, kSucceeding, events_object), *machine);
    ASSERT_TRUE(overlay.ok()) << overlay.status();
    EXPECT_EQ(overlay->status, "SUCCEEDED");
    EXPECT_EQ(overlay->visits.at("Check"), 2);
    EXPECT_EQ(overlay->visits.at("Clean"), 2);
    EXPECT_EQ(overlay->visits.count("Lost"), 0u);
    EXPECT_EQ((overlay->transitions.at({"Check", "Ready", false})), 2);
    EXPECT_EQ((overlay->transitions.at({"Ready", "Pause", false})), 1);
    EXPECT_EQ((overlay->transitions.at({"Both", "Rooms", false})), 1);
    EXPECT_EQ(overlay->starts.at("Check"), 1);
    EXPECT_EQ(overlay->starts.at("Left"), 1);
    EXPECT_EQ(overlay->starts.at("Clean"), 2);
    EXPECT_TRUE(overlay->failed.empty());
    EXPECT_TRUE(overlay->exited.count("Done"));
  }
}

TEST(Overlay, MarksCaughtAndFailedStates) {
  MachinePtr machine = Load();
  auto overlay = ReadHistory(RunHistory(machine, kFailing, false), *machine);
  ASSERT_TRUE(overlay.ok()) << overlay.status();
  EXPECT_EQ(overlay->status, "FAILED");
  EXPECT_EQ(overlay->error, "Robot.Lost");
  EXPECT_EQ(overlay->cause, "no answer");
  EXPECT_EQ((overlay->transitions.at({"Check", "Lost", true})), 1);
  EXPECT_TRUE(overlay->caught.count("Check"));
  EXPECT_EQ(overlay->failed, std::set<std::string>{"Lost"});

  DrawOptions options;
  options.overlay = &*overlay;
  options.title = "m: FAILED";
  std::string dot = ToDot(*machine, options);
  EXPECT_THAT(dot, HasSubstr("label=\"m: FAILED\";"));
  EXPECT_THAT(dot, HasSubstr("color=\"#dc2626\", penwidth=3"));  // Lost
  EXPECT_THAT(dot, HasSubstr("s0 -> s6 [label=\"Timeout\", style=dashed, color=\"#b91c1c\", "
                             "fontcolor=\"#b91c1c\", color=\"#ea580c\", penwidth=2.5]"));
  EXPECT_THAT(dot, HasSubstr("s0 -> s1 [color=\"#9ca3af\""));  // not taken
  EXPECT_THAT(dot, HasSubstr("__start -> s0 [color=\"#1d4ed8\", penwidth=2.5]"));

  std::string m = ToMermaid(*machine, options);
  EXPECT_THAT(m, HasSubstr("class s6 failed"));
  EXPECT_THAT(m, HasSubstr("class s0 caught"));
  EXPECT_THAT(m, HasSubstr("class s1 untaken"));
  EXPECT_THAT(m, HasSubstr("linkStyle "));
}

TEST(Overlay, CountsVisitsInLabels) {
  MachinePtr machine = Load();
  auto overlay = ReadHistory(RunHistory(machine, kSucceeding, false), *machine);
  ASSERT_TRUE(overlay.ok());
  DrawOptions options;
  options.overlay = &*overlay;
  std::string dot = ToDot(*machine, options);
  EXPECT_THAT(dot, HasSubstr("s0 [label=\"Check  x2\\n"));
  EXPECT_THAT(dot, HasSubstr("s0 -> s1 [label=\"x2\", color=\"#1d4ed8\", penwidth=2.5]"));
}

TEST(Overlay, RejectsAnotherMachinesHistory) {
  MachinePtr machine = Load();
  auto overlay = ReadHistory(
      R"({"id":1,"previousEventId":0,"type":"PassStateEntered","stateEnteredEventDetails":{"name":"Elsewhere"}})",
      *machine);
  ASSERT_FALSE(overlay.ok());
  EXPECT_THAT(overlay.status().ToString(), HasSubstr("'Elsewhere'"));
  EXPECT_FALSE(ReadHistory("not json", *machine).ok());
}

}  // namespace
}  // namespace fleetflow::definition::graph_export
