// JSONata in the DSL (docs/dsl.md 2.6 and 4.9): the `{% %}` token, each
// construct lowered to the ASL it denotes, and printed back the same.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/definition/dsl/flow.h"
#include "engine/definition/dsl/lexer.h"

namespace fleetflow::definition::dsl {
namespace {

FlowResult Load(const std::string& text) {
  FlowOptions options;
  options.resolve_imports = false;
  return LoadFlow(text, "t.flow", options);
}

json::Value Lower(const std::string& text) {
  FlowResult r = Load(text);
  EXPECT_TRUE(r.ok()) << r.Render();
  return r.asl;
}

json::Value Json(const std::string& text) {
  auto v = json::Parse(text);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : json::Value();
}

json::Value States(const std::string& text) {
  json::Value doc = Lower(text);
  return doc.is_object() ? doc.at("States") : json::Value();
}

std::string Format(const std::string& text) {
  FlowResult r = Load(text);
  EXPECT_TRUE(r.ok()) << r.Render();
  auto printed = PrintFlow(r.asl);
  EXPECT_TRUE(printed.ok()) << printed.status();
  return printed.ok() ? *printed : "";
}

// The text of the only JSONATA token of `text`.
std::string JsonataTokenOf(const std::string& text) {
  LexResult r = Lex(text);
  EXPECT_TRUE(r.errors.empty());
  for (const Token& t : r.tokens) {
    if (t.kind == Tok::kJsonata) return t.text;
  }
  return "";
}

TEST(DslJsonataToken, EndsAtTheFirstPercentBraceOutsideStringsCommentsAndBraces) {
  EXPECT_EQ(JsonataTokenOf("output {% 'a %} b' & \"c %} d\" %}\n"), "{% 'a %} b' & \"c %} d\" %}");
  EXPECT_EQ(JsonataTokenOf("output {% 'it\\'s %}' %}\n"), "{% 'it\\'s %}' %}");
  EXPECT_EQ(JsonataTokenOf("output {% $x /* %} */ + `odd %} name` %}\n"),
            "{% $x /* %} */ + `odd %} name` %}");
  EXPECT_EQ(JsonataTokenOf("output {% $match($s, /a%}b/) %}\n"), "{% $match($s, /a%}b/) %}");
  // '/' after an operand divides, so the '%}' after it ends the token.
  EXPECT_EQ(JsonataTokenOf("output {% $a / 2 %} # not /regex/\n"), "{% $a / 2 %}");
  // JSONata's parent operator closing an object constructor.
  EXPECT_EQ(JsonataTokenOf("output {% $o.{'id': %.id, 'all': %} %}\n"),
            "{% $o.{'id': %.id, 'all': %} %}");
  EXPECT_EQ(JsonataTokenOf("output {% {'a': {'b': 1}} %}\n"), "{% {'a': {'b': 1}} %}");
  // '#' inside is JSONata's, a line break is part of the expression.
  EXPECT_EQ(JsonataTokenOf("output {% $x#$i[$i > 0]\n  .y %}\n"), "{% $x#$i[$i > 0]\n  .y %}");
}

TEST(DslJsonataToken, ASpanningTokenKeepsLaterPositionsRight) {
  FlowResult r = Load("pass P\n  query jsonata\n  output {%\n    $states.input\n  %}\n  nxt X\n");
  ASSERT_EQ(r.error_count(), 1u) << r.Render();
  EXPECT_EQ(r.diagnostics[0].span.line, 6);
  EXPECT_EQ(r.diagnostics[0].span.col, 3);
}

TEST(DslJsonataToken, AnUnclosedExpressionEndsTheFile) {
  std::string text = "pass P\n  query jsonata\n  output {% (\n";
  for (int i = 0; i < 20000; ++i) text += "  output {% ( %}\n";
  FlowResult r = Load(text);
  ASSERT_EQ(r.error_count(), 1u) << r.Render();
  EXPECT_EQ(r.diagnostics[0].message, "'{%' is not closed by '%}'");
  EXPECT_EQ(r.diagnostics[0].span.line, 3);
}

TEST(DslJsonataToken, LongLinesOfUnclosedRegularExpressionsStayLinear) {
  std::string slashes;
  for (int i = 0; i < 100000; ++i) slashes += "+ /[ ";
  FlowResult r = Load("pass P\n  query jsonata\n  output {% 1 " + slashes + "%}\n  end\n");
  ASSERT_EQ(r.error_count(), 1u);
  EXPECT_EQ(r.diagnostics[0].message.rfind("invalid JSONata expression: S0302", 0), 0u)
      << r.diagnostics[0].message;
}

TEST(DslJsonataLowering, MachineAndStateQueryLanguage) {
  EXPECT_EQ(Lower("machine\n  query jsonata\n\npass P\n  output {% $states.input.a %}\n  end\n"),
            Json(R"({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
              "P": {"Type": "Pass", "Output": "{% $states.input.a %}", "End": true}}})"));
  // A JSONPath machine with a JSONata state whose inner states are JSONPath.
  EXPECT_EQ(States(R"(map M over {% $states.input.xs %}
  query jsonata
  end
  do
    pass Inner
      args
        x: $
      end
)"),
            Json(R"({"M": {"Type": "Map", "QueryLanguage": "JSONata",
              "Items": "{% $states.input.xs %}",
              "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass",
                "Parameters": {"x.$": "$"}, "End": true}}}, "End": true}})"));
}

TEST(DslJsonataLowering, PayloadsTakeExpressionsAtAnyDepth) {
  EXPECT_EQ(States(R"(machine
  query jsonata

task T fleetflow:x:y
  args
    a: {% $states.input.a %}
    list: [{% $count($states.input.xs) %}, 2, "$.xs"]
    nested: {first: {% $states.input.xs[0] %}}
    text: "not {% an expression %}"
    "key.$": 1
  credentials
    RoleArn: "arn:role"
  output {}
  assign
    v: {% $states.result.v %}
  end
)"),
            Json(R"({"T": {"Type": "Task", "Resource": "fleetflow:x:y",
              "Arguments": {"a": "{% $states.input.a %}",
                "list": ["{% $count($states.input.xs) %}", 2, "$.xs"],
                "nested": {"first": "{% $states.input.xs[0] %}"},
                "text": "not {% an expression %}", "key.$": 1},
              "Credentials": {"RoleArn": "arn:role"},
              "Output": {}, "Assign": {"v": "{% $states.result.v %}"}, "End": true}})"));
}

TEST(DslJsonataLowering, NumbersTimesAndErrorsAsExpressions) {
  EXPECT_EQ(States(R"(machine
  query jsonata

task T fleetflow:x:y
  args {% $states.input %}
  timeout {% $states.input.t %}
  heartbeat 10s

wait W1 for {% $states.input.delay * 2 %}

wait W2 until {% $states.input.at %}

wait W3 until "2026-03-14T01:59:00Z"

map M over [1, {% 2 %}]
  item {% $states.context.Map.Item.Value %}
  concurrency {% $states.input.robots %}
  tolerate count {% 1 %}
  tolerate percent {% 10 * 2 %}
  do
    succeed S

fail F
  error {% 'Mission.' & $states.input.code %}
  cause "literal"
)"),
            Json(R"({
  "T": {"Type": "Task", "Resource": "fleetflow:x:y", "Arguments": "{% $states.input %}",
        "TimeoutSeconds": "{% $states.input.t %}", "HeartbeatSeconds": 10, "Next": "W1"},
  "W1": {"Type": "Wait", "Seconds": "{% $states.input.delay * 2 %}", "Next": "W2"},
  "W2": {"Type": "Wait", "Timestamp": "{% $states.input.at %}", "Next": "W3"},
  "W3": {"Type": "Wait", "Timestamp": "2026-03-14T01:59:00Z", "Next": "M"},
  "M": {"Type": "Map", "Items": [1, "{% 2 %}"],
        "ItemSelector": "{% $states.context.Map.Item.Value %}",
        "ItemProcessor": {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}},
        "MaxConcurrency": "{% $states.input.robots %}", "ToleratedFailureCount": "{% 1 %}",
        "ToleratedFailurePercentage": "{% 10 * 2 %}", "Next": "F"},
  "F": {"Type": "Fail", "Error": "{% 'Mission.' & $states.input.code %}", "Cause": "literal"}})"));
}

TEST(DslJsonataLowering, BatchCountsAndInputAsExpressions) {
  const char* text = R"(machine
  query jsonata

map M over {% $states.input.readings %}
  mode distributed standard
  batch
    max_items {% $states.input.perBatch %}
    max_bytes 1024
    input
      robot: {% $states.input.robot %}
      unit: "cm"
  end
  do
    pass Echo
      output {% $states.input %}
      end
)";
  EXPECT_EQ(States(text), Json(R"({"M": {"Type": "Map", "Items": "{% $states.input.readings %}",
    "ItemBatcher": {"MaxItemsPerBatch": "{% $states.input.perBatch %}",
                    "MaxInputBytesPerBatch": 1024,
                    "BatchInput": {"robot": "{% $states.input.robot %}", "unit": "cm"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
      "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "Output": "{% $states.input %}",
      "End": true}}}, "End": true}})"));
  EXPECT_EQ(Format(text), text);
  std::string one = Format(
      "machine\n  query jsonata\n\nmap M\n  mode distributed\n  batch\n    max_bytes {% 9 %}\n"
      "    input {% {'r': $states.input.robot} %}\n  end\n  do\n    succeed S\n");
  EXPECT_NE(one.find("    input {% {'r': $states.input.robot} %}\n"), std::string::npos) << one;
}

TEST(DslJsonataLowering, ChoiceRulesAndCatchersWithOutputAndAssign) {
  EXPECT_EQ(States(R"(machine
  query jsonata

choice C
  output
    v: {% $states.input.v + 1 %}
  assign
    route: "default"
  when {% $states.input.n > 1 %} -> T
    output
      n: {% $states.input.n %}
    assign
      picked: "big"
  when false -> T
  else -> T

task T fleetflow:x:y
  catch Robot.Stuck -> D
    assign
      why: {% $states.errorOutput.Cause %}
  catch States.ALL -> D
    output {% $states.errorOutput.Error %}
  end

succeed D
)"),
            Json(R"({
  "C": {"Type": "Choice", "Output": {"v": "{% $states.input.v + 1 %}"},
        "Assign": {"route": "default"},
        "Choices": [{"Condition": "{% $states.input.n > 1 %}", "Next": "T",
                     "Output": {"n": "{% $states.input.n %}"}, "Assign": {"picked": "big"}},
                    {"Condition": false, "Next": "T"}],
        "Default": "T"},
  "T": {"Type": "Task", "Resource": "fleetflow:x:y",
        "Catch": [{"ErrorEquals": ["Robot.Stuck"], "Next": "D",
                   "Assign": {"why": "{% $states.errorOutput.Cause %}"}},
                  {"ErrorEquals": ["States.ALL"], "Next": "D",
                   "Output": "{% $states.errorOutput.Error %}"}],
        "End": true},
  "D": {"Type": "Succeed"}})"));
}

TEST(DslJsonataLowering, RunStartsTheChildWithArguments) {
  EXPECT_EQ(States(R"(import child

machine
  query jsonata

run A child
  args
    x: {% $states.input.x %}
  name {% 'n-' & $states.input.id %}

run B child nowait
  end
)"),
            Json(R"({
  "A": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Arguments": {"StateMachineArn": "arn:fleetflow:states:local:stateMachine:child",
                      "Name": "{% 'n-' & $states.input.id %}",
                      "Input": {"x": "{% $states.input.x %}"}}, "Next": "B"},
  "B": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
        "Arguments": {"StateMachineArn": "arn:fleetflow:states:local:stateMachine:child",
                      "Input": "{% $states.input %}"}, "End": true}})"));
}

// Everything above, printed: canonical text is a fixed point of
// DSL -> ASL -> DSL.
const char* kCanonical = R"(import child

machine
  query jsonata

task T fleetflow:x:y
  args
    a: {% $states.input.a %}
    list: [{% $count($states.input.xs) %}, 2, "$.xs", {k: {% 1 %}}]
    "key.$": 1
  timeout {% $states.input.t %}
  heartbeat 10s
  output {% $states.result %}
  assign
    v: {% $states.input.orders.{'id': %.id} %}
  retry States.ALL every 1s
  catch Robot.Stuck -> F
    output
      robot: {% $states.input.robot %}
    assign
      why: {% $states.errorOutput.Cause %}
  catch States.ALL -> F

run R child
  args
    x: 1
  name {% 'n-' & $uuid() %}

run R2 child nowait

wait W for {% 5 %}

choice C
  output {% $states.input %}
  when true -> F
  when {% $states.input.x = "%}" %} -> F
    output {% 'a %} b' & /* %} */ "c" %}
  else -> M

map M over [1, {% 2 %}]
  item {% $states.context.Map.Item.Value %}
  concurrency 2
  tolerate count {% 1 %}
  tolerate 10%
  end
  do
    pass Inner
      output
        x: {% $states.input %}
        multi: {%
          $states.input
            ~> $string()
        %}
      end

fail F
  error Robot.Failed
  cause {% $string($states.input) %}
)";

TEST(DslJsonataPrinter, CanonicalTextIsAFixedPoint) { EXPECT_EQ(Format(kCanonical), kCanonical); }

TEST(DslJsonataPrinter, QueryLanguageIsPrintedWhenTheAslHasIt) {
  const char* text = R"(machine
  query jsonpath

pass J
  query jsonata
  output {% $uppercase($states.input.s) %}
  end
)";
  EXPECT_EQ(Format(text), text);
}

TEST(DslJsonataPrinter, AnExpressionTheDslCannotWriteIsRefused) {
  // "%}" where no brace is open ends a DSL token: invalid JSONata anyway.
  auto doc = json::Parse(R"({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
      "P": {"Type": "Pass", "Output": "{% 1 %} %}", "End": true}}})");
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(PrintFlow(*doc).ok());
}

// The examples of docs/dsl.md 4.9 are canonical, and the first lowers to
// the ASL shown beside it.
TEST(DslJsonataPrinter, ExamplesOfTheReferenceAreCanonical) {
  std::ifstream in(std::string(FLEETFLOW_SOURCE_DIR) + "/docs/dsl.md");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string doc = buffer.str();
  size_t section = doc.find("### 4.9 JSONata");
  size_t begin = doc.find("```flow\n", section) + 8;
  size_t end = doc.find("```\n", begin);
  std::string text = doc.substr(begin, end - begin);
  EXPECT_EQ(Format(text), text);
  size_t json_begin = doc.find("```json\n", end) + 8;
  size_t json_end = doc.find("```\n", json_begin);
  EXPECT_EQ(Lower(text), Json(doc.substr(json_begin, json_end - json_begin)));
  size_t catch_begin = doc.find("```flow\n", json_end) + 8;
  size_t catch_end = doc.find("```\n", catch_begin);
  std::string catcher = doc.substr(catch_begin, catch_end - catch_begin) + "\nfail Stranded\n";
  EXPECT_EQ(Format(catcher), catcher);
}

}  // namespace
}  // namespace fleetflow::definition::dsl
