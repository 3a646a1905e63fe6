// Malformed .flow files, each with the line, column, message and hint of its
// one diagnostic: the catalogue of docs/dsl.md 7.1 (read from the document,
// so the document stays the contract) and further cases below.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/definition/dsl/flow.h"

namespace fleetflow::definition::dsl {
namespace {

struct ErrorCase {
  std::string name;
  std::string text;
  std::string first;  // "t.flow:2:1: error: tab in indentation"
  std::string hint;   // "hint: ..."
};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::vector<ErrorCase> Catalogue() {
  std::ifstream in(std::string(FLEETFLOW_SOURCE_DIR) + "/docs/dsl.md");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string doc = buffer.str();
  size_t begin = doc.find("### 7.1 Catalogue");
  begin = doc.find("```\n", begin) + 4;
  size_t end = doc.find("```\n", begin);
  std::istringstream lines(doc.substr(begin, end - begin));
  std::vector<ErrorCase> cases;
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("=== ", 0) == 0) {
      cases.push_back({line.substr(4), "", "", ""});
    } else if (cases.empty()) {
      continue;
    } else if (line.rfind("> ", 0) == 0) {
      (cases.back().first.empty() ? cases.back().first : cases.back().hint) = line.substr(2);
    } else {
      cases.back().text += Replace(line, "\u2192", "\t") + "\n";
    }
  }
  return cases;
}

// Cases beyond the catalogue: other messages of each phase.
std::vector<ErrorCase> MoreCases() {
  return {
      {"X01 unclosed bracket", "pass P\n  result [1, 2\n  end\n",
       "t.flow:2:10: error: '[' is not closed", "hint: close it with ']'"},
      {"X02 lone bang", "choice C\n  when ! $.a -> D\nsucceed D\n",
       "t.flow:2:8: error: '!' is not an operator", "hint: write 'not' or '!='"},
      {"X03 single quote", "pass P\n  result 'x'\n  end\n",
       "t.flow:2:10: error: ''' is only allowed inside an intrinsic call",
       "hint: strings are written in double quotes"},
      {"X04 unknown duration unit M", "wait W for 5M\n  end\n",
       "t.flow:1:12: error: unknown duration unit 'M' in '5M'",
       "hint: units are lowercase: did you mean '5m'? ('M' is not months)"},
      {"X05 two units", "wait W for 1h30m\n  end\n",
       "t.flow:1:12: error: unknown duration unit 'h30m' in '1h30m'",
       "hint: one unit per duration, such as 90m"},
      {"X06 negative duration", "wait W for -5s\n  end\n",
       "t.flow:1:12: error: a duration cannot be negative: '-5s'",
       "hint: write a positive duration"},
      {"X07 bad unicode escape", "fail F\n  cause \"a\\u12\"\n",
       "t.flow:2:11: error: invalid escape: '\\u' needs 4 hex digits", "hint: write \\u00e9"},
      {"X08 empty interpolation", "pass P\n  args\n    a: \"x ${} y\"\n  end\n",
       "t.flow:3:11: error: '${' must hold one path or intrinsic call",
       "hint: an interpolation holds one path or intrinsic call: \"${$.robot}\"; write \\$ for "
       "a literal '$'"},
      {"X09 unknown character", "pass P\n  end\n  @\n",
       "t.flow:3:3: error: unexpected character '@'",
       "hint: names are letters, digits and '_'; text goes in double quotes"},
      {"X10 state inside a state", "pass P\n  succeed Q\n",
       "t.flow:2:3: error: a state cannot be inside the block of pass 'P'",
       "hint: unindent it; states nest only in 'branch' and 'do' blocks"},
      {"X11 next and end", "pass P\n  end\n  next Q\nsucceed Q\n",
       "t.flow:3:3: error: a state has 'next' or 'end', not both", "hint: keep one"},
      {"X12 unknown machine field", "machine\n  timout 1h\nsucceed S\n",
       "t.flow:2:3: error: unknown machine field 'timout'; did you mean 'timeout'?",
       "hint: machine fields: comment, version, timeout, query"},
      {"X13 parallel without branch", "parallel Both\n  end\n",
       "t.flow:1:10: error: parallel 'Both' has no 'branch' block",
       "hint: add 'branch' followed by the indented states of each branch"},
      {"X14 boolean order", "choice C\n  when $.a < true -> D\nsucceed D\n",
       "t.flow:2:12: error: booleans compare only with '==' and '!='", "hint: $.docked == true"},
      {"X15 is what", "choice C\n  when $.a is big -> D\nsucceed D\n",
       "t.flow:2:15: error: 'is' needs null, present, number, string, bool or timestamp",
       "hint: $.error is not null"},
      {"X16 else twice", "choice C\n  when $.a == 1 -> D\n  else -> D\n  else -> D\nsucceed D\n",
       "t.flow:4:3: error: 'else' is given twice", "hint: a choice has one 'else'"},
      {"X17 catch without arrow", "task T x:y\n  catch States.ALL Failed\n  end\nfail Failed\n",
       "t.flow:2:20: error: expected '->' and a state name after the errors of a catch",
       "hint: catch States.ALL -> Failed"},
      {"X18 attempts fraction", "task T x:y\n  retry E attempts 1.5\n  end\n",
       "t.flow:2:20: error: 'attempts' needs a whole number of at least 0",
       "hint: for example: attempts 5"},
      {"X19 key without value", "pass P\n  args\n    a:\n  end\n",
       "t.flow:3:5: error: key 'a' has no value",
       "hint: write the value after ':', or an indented block below"},
      {"X20 result with interpolation", "pass P\n  result \"a ${$.b}\"\n  end\n",
       "t.flow:2:10: error: 'result' is a JSON literal; 'a ${$.b}' is an expression",
       "hint: use 'args' to build the result from the input"},
      {"X21 args expression on a task", "task T x:y\n  args $.a\n  end\n",
       "t.flow:2:8: error: 'args' takes an object, not an expression",
       "hint: write 'args' followed by indented 'key: value' lines"},
      {"X22 import after a state", "succeed S\nimport other\n",
       "t.flow:2:1: error: 'import' lines come first in a file", "hint: move it to the top"},
      {"X23 field at top level", "timeout 5m\nsucceed S\n",
       "t.flow:1:1: error: 'timeout' is not a state",
       "hint: indent it under the state it belongs to"},
      {"X24 empty file", "# nothing\n", "t.flow:2:1: error: a machine needs at least one state",
       "hint: for example: succeed Done"},
      {"X25 unknown start", "start Nope\npass P\n  end\n",
       "t.flow:1:7: error: unknown state 'Nope'", "hint: 'start' names a state of the same block"},
      {"X26 validator range", "map M over $.x\n  concurrency -1\n  end\n  do\n    succeed S\n",
       "t.flow:2:15: error: MaxConcurrency must be an integer of at least 0",
       "hint: in the exported ASL at /States/M/MaxConcurrency (fleetflow export --asl shows it)"},
      {"X27 mode word", "map M over $.x\n  mode fast\n  end\n  do\n    succeed S\n",
       "t.flow:2:8: error: 'mode' is 'inline' or 'distributed'", ""},
      {"X28 quoted key with interpolation", "pass P\n  args\n    \"a${$.b}\": 1\n  end\n",
       "t.flow:3:5: error: expected a key, found a string",
       "hint: a key is a word, or any text in double quotes"},
      {"X29 machine header twice field", "machine\n  version \"1\"\n  version \"2\"\nsucceed S\n",
       "t.flow:3:3: error: 'version' is given twice (first at line 2)", "hint: keep one"},
      {"X30 doc inside a state", "pass P\n  ## doc\n  end\n",
       "t.flow:2:3: error: '##' comment is not followed by a state or 'machine'",
       "hint: write '#' for a plain comment inside a state"},
  };
}

class DslErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(DslErrors, ReportsLineColumnMessageAndHint) {
  const ErrorCase& c = GetParam();
  FlowResult r = LoadFlow(c.text, "t.flow");
  ASSERT_EQ(r.error_count(), 1u) << c.name << "\n" << r.Render();
  const SourceDiagnostic& d = r.diagnostics.front();
  std::string first = d.file + ":" + std::to_string(d.span.line) + ":" +
                      std::to_string(d.span.col) + ": error: " + d.message;
  EXPECT_EQ(first, c.first) << c.name;
  if (!c.hint.empty()) {
    EXPECT_EQ("hint: " + d.hint, c.hint) << c.name;
  }
  std::string rendered = r.Render();
  EXPECT_EQ(rendered.substr(0, first.size()), first);
}

std::string CaseName(const ::testing::TestParamInfo<ErrorCase>& info) {
  return info.param.name.substr(0, 3);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, DslErrors, ::testing::ValuesIn(Catalogue()), CaseName);
INSTANTIATE_TEST_SUITE_P(More, DslErrors, ::testing::ValuesIn(MoreCases()), CaseName);

TEST(DslErrorsCatalogue, HasEveryCase) { EXPECT_EQ(Catalogue().size(), 68u); }

TEST(DslRender, ShowsTheLineAndUnderlinesTheToken) {
  FlowResult r =
      LoadFlow("pass Start\n  next AwaitReprot\npass AwaitReport\n  end\n", "robot_mission.flow");
  EXPECT_EQ(r.Render(),
            "robot_mission.flow:2:8: error: unknown state 'AwaitReprot'; did you mean "
            "'AwaitReport'?\n"
            "    2 |   next AwaitReprot\n"
            "      |        ^~~~~~~~~~~\n"
            "hint: 'next' names a state of the same block\n");
}

TEST(DslRender, MissingTokenIsALoneCaret) {
  FlowResult r = LoadFlow("task Dock\n  end\n", "t.flow");
  EXPECT_EQ(r.Render(),
            "t.flow:1:10: error: a task needs a resource after its name\n"
            "    1 | task Dock\n"
            "      |          ^\n"
            "hint: for example: task Dock fleetflow:mqtt:publish\n");
}

TEST(DslErrors, ReportsSeveralErrorsInOrder) {
  FlowResult r = LoadFlow("pass A\n  timout 5m\n  end\npass B\n  reslt 1\n  end\n", "t.flow");
  ASSERT_EQ(r.error_count(), 2u) << r.Render();
  EXPECT_EQ(r.diagnostics[0].span.line, 2);
  EXPECT_EQ(r.diagnostics[1].span.line, 5);
}

TEST(DslErrors, DeepNestingIsAnErrorNotACrash) {
  std::string deep =
      "pass P\n  result " + std::string(200, '[') + std::string(200, ']') + "\n  end\n";
  FlowResult r = LoadFlow(deep, "t.flow");
  ASSERT_EQ(r.error_count(), 1u) << r.Render();
  EXPECT_EQ(r.diagnostics[0].message, "nested more than 64 levels deep");
  std::string conditions = "choice C\n  when " + std::string(200, '(') + "$.a == 1" +
                           std::string(200, ')') + " -> D\nsucceed D\n";
  EXPECT_EQ(LoadFlow(conditions, "t.flow").error_count(), 1u);
}

TEST(DslErrors, ValidatorErrorsInsideAConditionPointAtTheOperand) {
  FlowResult r =
      LoadFlow("choice C\n  when $.a == 1 and $.at < timestamp \"x\" -> D\nsucceed D\n", "t.flow");
  ASSERT_EQ(r.error_count(), 1u) << r.Render();
  EXPECT_EQ(r.diagnostics[0].span.line, 2);
  EXPECT_EQ(r.diagnostics[0].span.col, 38) << r.Render();
}

TEST(DslErrors, UnusedImportIsAWarning) {
  FlowOptions options;
  options.resolve_imports = false;
  FlowResult r = LoadFlow("import other\nsucceed S\n", "t.flow", options);
  EXPECT_TRUE(r.ok()) << r.Render();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_TRUE(r.diagnostics[0].warning);
  EXPECT_EQ(r.diagnostics[0].message, "import 'other' is not used");
}

}  // namespace
}  // namespace fleetflow::definition::dsl
