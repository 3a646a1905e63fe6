// The printer: canonical form (docs/dsl.md section 6), fmt idempotence, and
// DSL -> ASL -> DSL giving back the same text.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/definition/dsl/flow.h"

namespace fleetflow::definition::dsl {
namespace {

FlowResult Load(const std::string& text) {
  FlowOptions options;
  options.resolve_imports = false;
  return LoadFlow(text, "t.flow", options);
}

std::string Format(const std::string& text) {
  FlowResult r = Load(text);
  EXPECT_TRUE(r.ok()) << r.Render();
  auto printed = PrintFlow(r.asl);
  EXPECT_TRUE(printed.ok()) << printed.status();
  return printed.ok() ? *printed : "";
}

// A canonical text covers most of the printer's rules.
const char* kCanonical = R"(import map_ingestion

## A machine.
##
## With a blank doc line.
machine
  version "2.1"
  timeout 90m

start Begin

## Defaults.
pass Defaults
  result
    battery_min: 30
    rooms: ["kitchen", "hall"]
    nested: {a: 1, b: [true, null, 2.5]}
    deep:
      inner: {x: 1.0E7}
  into $.config
  next Wave

pass Begin
  comment "  padded comment "
  input $.robot
  args
    id: $.id
    request: "status-${$$.Execution.Name}"
    nonce: States.UUID()
    filter: {docked: true, since: $.since}
    "odd key": "costs \${5}"
    empty: {}
  output $.out
  assign
    n: 0

task "end" fleetflow:events:await.waitForTaskToken
  args
    token: $$.Task.Token
  timeout 15m
  heartbeat $.hb
  select
    battery: $.battery
  into null
  retry Robot.Busy, "every" every 10s attempts 5 backoff 1.5 max_delay 2m jitter full
  retry States.ALL
  catch States.Timeout -> Lost into $.error
    assign
      failure: $.Cause
  catch States.ALL -> Lost

choice Ready
  assign
    reason: "not ready"
  when $.docked == true and ($.battery >= 30 or $.forced is present) -> Ingest
  when $tries < number $.max -> Defaults
    assign
      tries: States.MathAdd($tries, 1)
  when $.state != "error" -> Lost
  when not ($.at < timestamp "2026-03-14T01:59:00Z") -> Lost
  else -> Lost

run Ingest map_ingestion
  args
    bucket: $.object.bucket
  name "ingest-${$.mission}"
  into $.map

wait Pause for 0s
  next Wave

fail Lost
  error $failure.error
  cause "robot ${$.robot} went silent"

map Wave over $.robots
  mode distributed standard
  label "wave"
  item
    robot: $$.Map.Item.Value
  concurrency 10
  tolerate 2
  tolerate 10.5%
  batch
    max_items 50
  into $.wave
  end
  do
    parallel Both
      end
      branch
        succeed A
      branch
        pass B
          end
)";

TEST(DslPrinter, CanonicalTextIsAFixedPoint) { EXPECT_EQ(Format(kCanonical), kCanonical); }

TEST(DslPrinter, FmtIsIdempotentAndKeepsTheAsl) {
  const char* messy = R"(
## Doc.
machine
    timeout 14400s
start   B
pass A
    result   {b: 1,   a: "x"}
    next C
pass B
    next A
succeed C
)";
  std::string once = Format(messy);
  EXPECT_EQ(
      once,
      "## Doc.\nmachine\n  timeout 4h\n\nstart B\n\npass A\n  result\n    b: 1\n    a: \"x\"\n"
      "  next C\n\npass B\n  next A\n\nsucceed C\n");
  EXPECT_EQ(Format(once), once);
  EXPECT_EQ(Load(once).asl, Load(messy).asl);
}

TEST(DslPrinter, DurationsInTheLargestExactUnit) {
  EXPECT_EQ(Format("wait W for 86400s\n  end\n"), "wait W for 1d\n  end\n");
  EXPECT_EQ(Format("wait W for 5400s\n  end\n"), "wait W for 90m\n  end\n");
  EXPECT_EQ(Format("wait W for 90s\n  end\n"), "wait W for 90s\n  end\n");
}

TEST(DslPrinter, LongInlineObjectsBecomeBlocks) {
  std::string text = "pass P\n  args\n    k: {a: \"" + std::string(90, 'x') + "\"}\n  end\n";
  EXPECT_EQ(Format(text),
            "pass P\n  args\n    k:\n      a: \"" + std::string(90, 'x') + "\"\n  end\n");
}

TEST(DslPrinter, AslTheDslCannotSayIsRefused) {
  auto doc = json::Parse(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true,
                             "Bogus": 1}}})");
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(PrintFlow(*doc).ok());
}

TEST(DslPrinter, FormatThatIsNotAnInterpolationStaysACall) {
  EXPECT_EQ(Format("pass P\n  args\n    a: States.Format('{} {}',$.a, $.b)\n  end\n"),
            "pass P\n  args\n    a: States.Format('{} {}',$.a, $.b)\n  end\n");
  EXPECT_EQ(Format("pass P\n  args\n    a: States.Format('x {}', 'lit')\n  end\n"),
            "pass P\n  args\n    a: States.Format('x {}', 'lit')\n  end\n");
}

TEST(DslPrinter, LegacyMapFieldsPrintAsTheirSuccessors) {
  auto doc = json::Parse(R"({"StartAt": "M", "States": {"M": {"Type": "Map",
      "Parameters": {"x.$": "$$.Map.Item.Value"},
      "Iterator": {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}, "End": true}}})");
  ASSERT_TRUE(doc.ok());
  auto text = PrintFlow(*doc);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "map M\n  item\n    x: $$.Map.Item.Value\n  end\n  do\n    succeed S\n");
}

// The worked example of docs/dsl.md section 8 is in canonical form.
TEST(DslPrinter, WorkedExampleOfTheReferenceIsCanonical) {
  std::ifstream in(std::string(FLEETFLOW_SOURCE_DIR) + "/docs/dsl.md");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string doc = buffer.str();
  size_t section = doc.find("## 8. Worked example");
  size_t begin = doc.find("```flow\n", section) + 8;
  size_t end = doc.find("```\n", begin);
  std::string text = doc.substr(begin, end - begin);
  EXPECT_EQ(Format(text), text);
}

}  // namespace
}  // namespace fleetflow::definition::dsl
