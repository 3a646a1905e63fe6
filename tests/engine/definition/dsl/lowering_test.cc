// Every construct of docs/dsl.md section 4, lowered to the ASL it denotes.

#include <gtest/gtest.h>

#include "engine/definition/dsl/flow.h"

namespace fleetflow::definition::dsl {
namespace {

json::Value Lower(const std::string& text) {
  FlowOptions options;
  options.resolve_imports = false;
  FlowResult r = LoadFlow(text, "t.flow", options);
  EXPECT_TRUE(r.ok()) << r.Render();
  return r.asl;
}

json::Value Json(const std::string& text) {
  auto v = json::Parse(text);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : json::Value();
}

// The states of a one-block machine.
json::Value States(const std::string& text) {
  json::Value doc = Lower(text);
  return doc.is_object() ? doc.at("States") : json::Value();
}

TEST(DslLowering, MachineHeaderStartAndFallingThrough) {
  EXPECT_EQ(Lower(R"(## One cleaning mission of one robot.
machine
  version "1.0"
  timeout 4h

start Charge

pass Prepare        # falls through to Dock
  result
    command: "dock"

task Dock fleetflow:mqtt:publish
  next Report       # jumps over Charge

wait Charge for 30m
  next Prepare

pass Report
  end
)"),
            Json(R"({"Comment": "One cleaning mission of one robot.", "StartAt": "Charge",
  "TimeoutSeconds": 14400, "Version": "1.0", "States": {
    "Prepare": {"Type": "Pass", "Result": {"command": "dock"}, "Next": "Dock"},
    "Dock": {"Type": "Task", "Resource": "fleetflow:mqtt:publish", "Next": "Report"},
    "Charge": {"Type": "Wait", "Seconds": 1800, "Next": "Prepare"},
    "Report": {"Type": "Pass", "End": true}}})"));
}

TEST(DslLowering, PassAndTask) {
  EXPECT_EQ(States(R"(pass Defaults
  result
    battery_min: 30
    rooms: ["kitchen", "hall"]
  into $.config

task AwaitDocked fleetflow:events:await.waitForTaskToken
  args
    type: "robot.docked"
    robot: $.robot
    token: $$.Task.Token
  timeout $.limits.dock_s
  heartbeat 1m
  credentials
    RoleArn: $.role
  end
)"),
            Json(R"({"Defaults": {"Type": "Pass",
  "Result": {"battery_min": 30, "rooms": ["kitchen", "hall"]},
  "ResultPath": "$.config", "Next": "AwaitDocked"},
"AwaitDocked": {"Type": "Task",
  "Resource": "fleetflow:events:await.waitForTaskToken",
  "Parameters": {"type": "robot.docked", "robot.$": "$.robot", "token.$": "$$.Task.Token"},
  "TimeoutSecondsPath": "$.limits.dock_s", "HeartbeatSeconds": 60,
  "Credentials": {"RoleArn.$": "$.role"}, "End": true}})"));
}

TEST(DslLowering, DataFlowAndPayloads) {
  EXPECT_EQ(States(R"(task Status fleetflow:devices:status
  input $.robot
  args
    id: $.id
    fields: ["battery", "docked"]
    request: "status-${$$.Execution.Name}"
    nonce: States.UUID()
    filter: {docked: true, since: $.since}
    nested:
      deeper:
        x: 1.5
    "odd key": null
  select
    battery: $.battery
  into $.status
  output $.status
  assign
    last_battery: $.battery
  end
)"),
            Json(R"J({"Status": {"Type": "Task", "InputPath": "$.robot",
  "Resource": "fleetflow:devices:status",
  "Parameters": {"id.$": "$.id", "fields": ["battery", "docked"],
    "request.$": "States.Format('status-{}', $$.Execution.Name)",
    "nonce.$": "States.UUID()", "filter": {"docked": true, "since.$": "$.since"},
    "nested": {"deeper": {"x": 1.5}}, "odd key": null},
  "ResultSelector": {"battery.$": "$.battery"}, "ResultPath": "$.status",
  "OutputPath": "$.status", "Assign": {"last_battery.$": "$.battery"}, "End": true}})J"));
}

TEST(DslLowering, InterpolationEscapesTheTemplate) {
  json::Value s = States(R"(pass P
  args
    a: "it's {raw}: ${States.UUID()}"
    b: "costs \${5}"
    c: "back\\slash ${$.x} and ${ $.y }"
  end
)");
  EXPECT_EQ(s.at("P").at("Parameters"),
            Json(R"J({"a.$": "States.Format('it\\'s \\{raw\\}: {}', States.UUID())",
                     "b": "costs ${5}",
                     "c.$": "States.Format('back\\\\slash {} and {}', $.x, $.y)"})J"));
}

TEST(DslLowering, RetryAndCatch) {
  EXPECT_EQ(States(R"(task Upload fleetflow:s3:presign
  into $.upload
  retry Robot.Busy
  retry Robot.Busy, Robot.Offline every 10s attempts 5 backoff 1.5 max_delay 2m jitter full
  retry States.Timeout attempts 0 jitter none
  catch "Robot Error", States.TaskFailed -> Failed into $.error
  catch States.ALL -> Failed into null
    assign
      failure: $.Cause
  end
fail Failed
)"),
            Json(R"({"Upload": {"Type": "Task", "Resource": "fleetflow:s3:presign",
  "ResultPath": "$.upload",
  "Retry": [{"ErrorEquals": ["Robot.Busy"]},
    {"ErrorEquals": ["Robot.Busy", "Robot.Offline"], "IntervalSeconds": 10, "MaxAttempts": 5,
     "BackoffRate": 1.5, "MaxDelaySeconds": 120, "JitterStrategy": "FULL"},
    {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0, "JitterStrategy": "NONE"}],
  "Catch": [{"ErrorEquals": ["Robot Error", "States.TaskFailed"], "Next": "Failed",
             "ResultPath": "$.error"},
            {"ErrorEquals": ["States.ALL"], "Next": "Failed", "ResultPath": null,
             "Assign": {"failure.$": "$.Cause"}}],
  "End": true},
"Failed": {"Type": "Fail"}})"));
}

TEST(DslLowering, ChoiceRulesAndAssign) {
  EXPECT_EQ(States(R"(choice Ready
  assign
    reason: "not ready"
  when $.docked == true and $.battery >= 30 -> Clean
  when $tries < 3 -> Charge
    assign
      tries: States.MathAdd($tries, 1)
  else -> GiveUp
succeed Clean
succeed Charge
succeed GiveUp
)")
                .at("Ready"),
            Json(R"J({"Type": "Choice", "Assign": {"reason": "not ready"},
  "Choices": [
    {"And": [{"Variable": "$.docked", "BooleanEquals": true},
             {"Variable": "$.battery", "NumericGreaterThanEquals": 30}], "Next": "Clean"},
    {"Variable": "$tries", "NumericLessThan": 3, "Next": "Charge",
     "Assign": {"tries.$": "States.MathAdd($tries, 1)"}}],
  "Default": "GiveUp"})J"));
}

TEST(DslLowering, EveryComparison) {
  struct Case {
    const char* condition;
    const char* rule;
  };
  const Case cases[] = {
      {R"($.s == "docked")", R"({"Variable": "$.s", "StringEquals": "docked"})"},
      {R"($.s < "m")", R"({"Variable": "$.s", "StringLessThan": "m"})"},
      {R"($.s <= "m")", R"({"Variable": "$.s", "StringLessThanEquals": "m"})"},
      {R"($.s > "m")", R"({"Variable": "$.s", "StringGreaterThan": "m"})"},
      {R"($.s >= "m")", R"({"Variable": "$.s", "StringGreaterThanEquals": "m"})"},
      {R"($.r matches "vac-*")", R"({"Variable": "$.r", "StringMatches": "vac-*"})"},
      {R"($.b == 100)", R"({"Variable": "$.b", "NumericEquals": 100})"},
      {R"($.b < 30.5)", R"({"Variable": "$.b", "NumericLessThan": 30.5})"},
      {R"($.b <= 30)", R"({"Variable": "$.b", "NumericLessThanEquals": 30})"},
      {R"($.b > 30)", R"({"Variable": "$.b", "NumericGreaterThan": 30})"},
      {R"($.b >= -1)", R"({"Variable": "$.b", "NumericGreaterThanEquals": -1})"},
      {R"($.d == false)", R"({"Variable": "$.d", "BooleanEquals": false})"},
      {R"($.at < timestamp "2026-03-14T01:59:00Z")",
       R"({"Variable": "$.at", "TimestampLessThan": "2026-03-14T01:59:00Z"})"},
      {R"($.at == timestamp "2026-03-14T01:59:00Z")",
       R"({"Variable": "$.at", "TimestampEquals": "2026-03-14T01:59:00Z"})"},
      {R"($.b >= number $.min)", R"({"Variable": "$.b", "NumericGreaterThanEqualsPath": "$.min"})"},
      {R"($.a == string $.b)", R"({"Variable": "$.a", "StringEqualsPath": "$.b"})"},
      {R"($.x == bool $.y)", R"({"Variable": "$.x", "BooleanEqualsPath": "$.y"})"},
      {R"($.at > timestamp $.deadline)",
       R"({"Variable": "$.at", "TimestampGreaterThanPath": "$.deadline"})"},
      {R"($.e is null)", R"({"Variable": "$.e", "IsNull": true})"},
      {R"($.e is not null)", R"({"Variable": "$.e", "IsNull": false})"},
      {R"($.e is present)", R"({"Variable": "$.e", "IsPresent": true})"},
      {R"($.e is not number)", R"({"Variable": "$.e", "IsNumeric": false})"},
      {R"($.e is string)", R"({"Variable": "$.e", "IsString": true})"},
      {R"($.e is bool)", R"({"Variable": "$.e", "IsBoolean": true})"},
      {R"($.e is timestamp)", R"({"Variable": "$.e", "IsTimestamp": true})"},
      {R"($.s != "error")", R"({"Not": {"Variable": "$.s", "StringEquals": "error"}})"},
      {R"($.a == 1 or ($.b == 2 and $.c == 3))",
       R"({"Or": [{"Variable": "$.a", "NumericEquals": 1}, {"And": [
            {"Variable": "$.b", "NumericEquals": 2}, {"Variable": "$.c", "NumericEquals": 3}]}]})"},
      {R"(not ($.a == 1 or $.b == 2))",
       R"({"Not": {"Or": [{"Variable": "$.a", "NumericEquals": 1},
                         {"Variable": "$.b", "NumericEquals": 2}]}})"},
  };
  for (const Case& c : cases) {
    json::Value s = States(std::string("choice C\n  when ") + c.condition + " -> D\nsucceed D\n");
    ASSERT_TRUE(s.is_object()) << c.condition;
    json::Value rule = s.at("C").at("Choices").at(0);
    rule.as_object().erase("Next");
    EXPECT_EQ(rule, Json(c.rule)) << c.condition;
  }
}

TEST(DslLowering, WaitSucceedFail) {
  EXPECT_EQ(States(R"(choice Pick
  when $.a == 1 -> E
  when $.a == 2 -> F
  when $.a == 3 -> G
  when $.a == 4 -> H
  else -> A
wait A for 30m
wait B for $.delay_s
wait C until "2026-03-14T01:59:00Z"
wait D until $.resume_at
  end
fail E
  error Mission.Lost
  cause "no report for 15 minutes"
fail F
  error $.failure.name
  cause "robot ${$.robot} went silent"
fail G
  error "Mission Lost"
  cause States.JsonToString($.report)
succeed H
)"),
            Json(R"J({"A": {"Type": "Wait", "Seconds": 1800, "Next": "B"},
  "B": {"Type": "Wait", "SecondsPath": "$.delay_s", "Next": "C"},
  "C": {"Type": "Wait", "Timestamp": "2026-03-14T01:59:00Z", "Next": "D"},
  "D": {"Type": "Wait", "TimestampPath": "$.resume_at", "End": true},
  "E": {"Type": "Fail", "Error": "Mission.Lost", "Cause": "no report for 15 minutes"},
  "F": {"Type": "Fail", "ErrorPath": "$.failure.name",
        "CausePath": "States.Format('robot {} went silent', $.robot)"},
  "G": {"Type": "Fail", "Error": "Mission Lost", "CausePath": "States.JsonToString($.report)"},
  "H": {"Type": "Succeed"}, "Pick": {"Type": "Choice", "Choices": [
    {"Variable": "$.a", "NumericEquals": 1, "Next": "E"},
    {"Variable": "$.a", "NumericEquals": 2, "Next": "F"},
    {"Variable": "$.a", "NumericEquals": 3, "Next": "G"},
    {"Variable": "$.a", "NumericEquals": 4, "Next": "H"}], "Default": "A"}})J"));
}

TEST(DslLowering, ParallelAndMap) {
  EXPECT_EQ(States(R"(parallel Prepare
  into $.prep
  branch
    task Presign fleetflow:s3:presign
      args
        key: $.key
      end
  branch
    task Notify fleetflow:mqtt:publish
      args
        topic: "fleet/events"
      end

map CleanRooms over $.rooms
  label "rooms"
  item
    robot: $.robot
    room: $$.Map.Item.Value
  concurrency 1
  tolerate 1
  tolerate 10%
  into $.cleaned
  end
  do
    task CleanRoom fleetflow:mqtt:publish
      timeout 1h
      end
)"),
            Json(R"({"Prepare": {"Type": "Parallel",
  "Branches": [
    {"StartAt": "Presign", "States": {"Presign": {"Type": "Task",
      "Resource": "fleetflow:s3:presign", "Parameters": {"key.$": "$.key"}, "End": true}}},
    {"StartAt": "Notify", "States": {"Notify": {"Type": "Task",
      "Resource": "fleetflow:mqtt:publish", "Parameters": {"topic": "fleet/events"},
      "End": true}}}],
  "ResultPath": "$.prep", "Next": "CleanRooms"},
"CleanRooms": {"Type": "Map", "ItemsPath": "$.rooms", "Label": "rooms",
  "ItemSelector": {"robot.$": "$.robot", "room.$": "$$.Map.Item.Value"},
  "MaxConcurrency": 1, "ToleratedFailureCount": 1, "ToleratedFailurePercentage": 10,
  "ItemProcessor": {"StartAt": "CleanRoom", "States": {"CleanRoom": {"Type": "Task",
    "Resource": "fleetflow:mqtt:publish", "TimeoutSeconds": 3600, "End": true}}},
  "ResultPath": "$.cleaned", "End": true}})"));
}

TEST(DslLowering, DistributedMapWithBatchAndPaths) {
  EXPECT_EQ(States(R"(map Wave over $.robots
  mode distributed express
  concurrency $.limits.parallel
  tolerate count $.max_failed
  tolerate percent $.max_pct
  batch
    max_items 50
    max_bytes $.limit
    input {campaign: $.campaign}
  end
  do
    succeed Done
)")
                .at("Wave"),
            Json(R"({"Type": "Map", "ItemsPath": "$.robots",
  "ItemBatcher": {"MaxItemsPerBatch": 50, "MaxInputBytesPerBatchPath": "$.limit",
                  "BatchInput": {"campaign.$": "$.campaign"}},
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}},
  "MaxConcurrencyPath": "$.limits.parallel", "ToleratedFailureCountPath": "$.max_failed",
  "ToleratedFailurePercentagePath": "$.max_pct", "End": true})"));
}

TEST(DslLowering, RunIsANestedExecution) {
  EXPECT_EQ(States(R"(import map_ingestion

run Ingest map_ingestion
  args
    bucket: $.object.bucket
  select
    map: $.Output.map_id
  into $.map
  catch States.ALL -> Failed into $.error
run Notify map_ingestion nowait
  name "notify-${$.mission}"
  end
fail Failed
)"),
            Json(R"J({"Ingest": {"Type": "Task",
  "Resource": "arn:aws:states:::states:startExecution.sync:2",
  "Parameters": {"StateMachineArn": "arn:fleetflow:states:local:stateMachine:map_ingestion",
                 "Input": {"bucket.$": "$.object.bucket"}},
  "ResultSelector": {"map.$": "$.Output.map_id"}, "ResultPath": "$.map",
  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed", "ResultPath": "$.error"}],
  "Next": "Notify"},
"Notify": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
  "Parameters": {"StateMachineArn": "arn:fleetflow:states:local:stateMachine:map_ingestion",
                 "Name.$": "States.Format('notify-{}', $.mission)", "Input.$": "$"},
  "End": true},
"Failed": {"Type": "Fail"}})J"));
}

TEST(DslLowering, NamesCommentsAndQueryLanguage) {
  EXPECT_EQ(Lower("\xEF\xBB\xBF## Line one.\r\n##\r\n## Line three.\r\nmachine\r\n  query "
                  "jsonpath\r\n\r\npass \"end\"\r\n  comment \"x\"\r\n  next "
                  "\"Check robot\"\r\nsucceed \"Check robot\"\r\n  query jsonpath\r\n"),
            Json(R"({"Comment": "Line one.\n\nLine three.", "QueryLanguage": "JSONPath",
  "StartAt": "end", "States": {
    "end": {"Type": "Pass", "Comment": "x", "Next": "Check robot"},
    "Check robot": {"Type": "Succeed", "QueryLanguage": "JSONPath"}}})"));
}

TEST(DslLowering, IndentationOfAnyConsistentDepth) {
  EXPECT_EQ(
      States("parallel P\n    branch\n         pass A\n               result {a: [1, {b: 2}]}\n"
             "               end\n    end\n"),
      Json(R"({"P": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Result": {"a": [1, {"b": 2}]}, "End": true}}}], "End": true}})"));
}

TEST(DslLowering, BracketsSpanLines) {
  EXPECT_EQ(States("pass P\n  result {a: 1,\n     b: [1,\n  2]}\n  end\n"),
            Json(R"({"P": {"Type": "Pass", "Result": {"a": 1, "b": [1, 2]}, "End": true}})"));
}

}  // namespace
}  // namespace fleetflow::definition::dsl
