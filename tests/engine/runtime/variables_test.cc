// Variables (Assign) in JSONPath mode: where they can be set, what an Assign
// sees, and the scopes of Parallel branches and Map iterations.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/common/strings.h"
#include "runtime_test_util.h"

namespace fleetflow::runtime {
namespace {

using namespace ::fleetflow::runtime::testing;  // NOLINT
using ::testing::HasSubstr;

// A Pass that outputs `parameters` and ends the machine.
std::string Show(std::string_view parameters) {
  return StrCat(R"({"Type":"Pass","Parameters":)", parameters, R"(,"End":true})");
}

RunResult Run1(std::string_view definition, std::string_view input = "{}",
               std::shared_ptr<TaskHandler> handler = nullptr) {
  RunResult r = RunWith(definition, input, std::move(handler));
  EXPECT_EQ(r.state.status, ExecutionStatus::kSucceeded)
      << r.state.failure.error << ": " << r.state.failure.cause;
  return r;
}

// ---------------------------------------------------------------- Assign on each state kind

TEST(Variables, PassAssignsConstants) {
  RunResult r = Run1(StrCat(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":1,"name":"r1","obj":{"k":[true]}},"Next":"B"},
      "B":)",
                            Show(R"({"x.$":"$x","n.$":"$name","k.$":"$obj.k[0]"})"), "}}"));
  EXPECT_EQ(Out(r), R"({"x":1,"n":"r1","k":true})");
}

TEST(Variables, AssignDoesNotChangeTheOutput) {
  RunResult r =
      Run1(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"End":true}}})",
           R"({"k":2})");
  EXPECT_EQ(Out(r), R"({"k":2})");
}

TEST(Variables, PassAssignsFromTheInput) {
  RunResult r = Run1(StrCat(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"robot.$":"$.robot"},"Next":"B"},
      "B":)",
                            Show(R"({"id.$":"$robot.id"})"), "}}"),
                     R"({"robot":{"id":"r7","battery":50}})");
  EXPECT_EQ(Out(r), R"({"id":"r7"})");
}

TEST(Variables, AssignFromTheContextObject) {
  RunResult r = Run1(StrCat(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"st.$":"$$.State.Name","ex.$":"$$.Execution.Name"},"Next":"B"},
      "B":)",
                            Show(R"({"st.$":"$st","ex.$":"$ex"})"), "}}"));
  EXPECT_EQ(Out(r), R"({"st":"A","ex":"exec"})");
}

TEST(Variables, AssignWithAnIntrinsic) {
  RunResult r = Run1(StrCat(R"j({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"id.$":"States.Format('r-{}', $.n)"},"Next":"B"},
      "B":)j",
                            Show(R"({"id.$":"$id"})"), "}}"),
                     R"({"n":7})");
  EXPECT_EQ(Out(r), R"({"id":"r-7"})");
}

TEST(Variables, TaskAssignSeesTheSelectedResult) {
  auto handler = std::make_shared<ScriptedHandler>(
      [](const DispatchTask&, int) -> TaskOutcome { return J(R"({"v":5,"w":6})"); });
  RunResult r =
      Run1(StrCat(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"test:t","ResultSelector":{"val.$":"$.v"},
           "Assign":{"got.$":"$.val","raw.$":"$"},"ResultPath":"$.res","Next":"B"},
      "B":)",
                  Show(R"({"got.$":"$got","raw.$":"$raw","res.$":"$.res","in.$":"$.in"})"), "}}"),
           R"({"in":1})", handler);
  EXPECT_EQ(Out(r), R"({"got":5,"raw":{"val":5},"res":{"val":5},"in":1})");
}

TEST(Variables, ChoiceRuleAssignWhenTheRuleMatches) {
  std::string m = StrCat(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Assign":{"size":"small"},
           "Choices":[{"Variable":"$.n","NumericGreaterThan":5,"Assign":{"size":"big","n.$":"$.n"},"Next":"Out"}],
           "Default":"Out"},
      "Out":)",
                         Show(R"({"size.$":"$size"})"), "}}");
  EXPECT_EQ(Out(Run1(m, R"({"n":9})")), R"({"size":"big"})");
}

TEST(Variables, ChoiceStateAssignWhenTheDefaultIsTaken) {
  std::string m = StrCat(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Assign":{"size":"small"},
           "Choices":[{"Variable":"$.n","NumericGreaterThan":5,"Assign":{"size":"big"},"Next":"Out"}],
           "Default":"Out"},
      "Out":)",
                         Show(R"({"size.$":"$size"})"), "}}");
  EXPECT_EQ(Out(Run1(m, R"({"n":1})")), R"({"size":"small"})");
}

TEST(Variables, ChoiceComparesAVariable) {
  std::string m = R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":1,"limit":3},"Next":"C"},
      "C":{"Type":"Choice","Choices":[
        {"Variable":"$x","NumericEqualsPath":"$limit","Next":"Hit"},
        {"Variable":"$x","NumericEquals":1,"Next":"One"}],"Default":"Hit"},
      "Hit":{"Type":"Pass","Result":"hit","End":true},
      "One":{"Type":"Pass","Result":"one","End":true}}})";
  EXPECT_EQ(Out(Run1(m)), R"("one")");
}

TEST(Variables, WaitAssigns) {
  RunResult r = Run1(StrCat(R"({"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":1,"Assign":{"waited.$":"$.k"},"Next":"B"},
      "B":)",
                            Show(R"({"w.$":"$waited"})"), "}}"),
                     R"({"k":"yes"})");
  EXPECT_EQ(Out(r), R"({"w":"yes"})");
}

TEST(Variables, MapAssignSeesTheResults) {
  RunResult r = Run1(StrCat(R"j({"StartAt":"M","States":{
      "M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
           "Assign":{"count.$":"$.length()","first.$":"$[0]"},"Next":"B"},
      "B":)j",
                            Show(R"({"count.$":"$count","first.$":"$first"})"), "}}"),
                     "[4,5,6]");
  EXPECT_EQ(Out(r), R"({"count":3,"first":4})");
}

TEST(Variables, ParallelAssignSeesTheResults) {
  RunResult r = Run1(StrCat(R"({"StartAt":"Par","States":{
      "Par":{"Type":"Parallel","Assign":{"both.$":"$"},"Next":"B","Branches":[
        {"StartAt":"X","States":{"X":{"Type":"Pass","Result":"a","End":true}}},
        {"StartAt":"Y","States":{"Y":{"Type":"Pass","Result":"b","End":true}}}]},
      "B":)",
                            Show(R"({"both.$":"$both"})"), "}}"));
  EXPECT_EQ(Out(r), R"({"both":["a","b"]})");
}

TEST(Variables, CatchAssignSeesTheErrorOutput) {
  RunResult r = Run1(StrCat(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"test:t","End":true,
           "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"err.$":"$.Error","cause.$":"$.Cause"},"Next":"H"}]},
      "H":)",
                            Show(R"({"e.$":"$err","c.$":"$cause"})"), "}}"),
                     "{}", AlwaysFail("Boom", "why"));
  EXPECT_EQ(Out(r), R"({"e":"Boom","c":"why"})");
}

// ---------------------------------------------------------------- entry values

TEST(Variables, AllAssignmentsOfAStateSeeTheValuesAtEntry) {
  RunResult r = Run1(StrCat(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"a":1,"b":2},"Next":"Swap"},
      "Swap":{"Type":"Pass","Assign":{"a.$":"$b","b.$":"$a"},"Next":"C"},
      "C":)",
                            Show(R"({"a.$":"$a","b.$":"$b"})"), "}}"));
  EXPECT_EQ(Out(r), R"({"a":2,"b":1})");
}

TEST(Variables, ParametersOfTheAssigningStateSeeTheOldValue) {
  RunResult r = Run1(StrCat(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},
      "B":{"Type":"Pass","Parameters":{"old.$":"$x"},"Assign":{"x":2},"Next":"C"},
      "C":)",
                            Show(R"({"prev.$":"$.old","now.$":"$x"})"), "}}"));
  EXPECT_EQ(Out(r), R"({"prev":1,"now":2})");
}

TEST(Variables, ReassignmentOverwrites) {
  RunResult r = Run1(StrCat(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":1,"keep":"k"},"Next":"B"},
      "B":{"Type":"Pass","Assign":{"x":{"now":"object"}},"Next":"C"},
      "C":)",
                            Show(R"({"x.$":"$x","keep.$":"$keep"})"), "}}"));
  EXPECT_EQ(Out(r), R"({"x":{"now":"object"},"keep":"k"})");
}

TEST(Variables, CounterLoop) {
  RunResult r = Run1(R"j({"StartAt":"Init","States":{
      "Init":{"Type":"Pass","Assign":{"i":0},"Next":"Check"},
      "Check":{"Type":"Choice","Choices":[{"Variable":"$i","NumericGreaterThanEquals":3,"Next":"Done"}],"Default":"Inc"},
      "Inc":{"Type":"Pass","Assign":{"i.$":"States.MathAdd($i, 1)"},"Next":"Check"},
      "Done":{"Type":"Pass","Parameters":{"i.$":"$i"},"End":true}}})j");
  EXPECT_EQ(Out(r), R"({"i":3})");
}

// ---------------------------------------------------------------- scopes

TEST(VariableScopes, ParallelBranchReadsOuterVariables) {
  RunResult r = Run1(R"j({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"site":"north"},"Next":"Par"},
      "Par":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"X","States":{"X":{"Type":"Pass","Parameters":{"s.$":"$site"},"End":true}}},
        {"StartAt":"Y","States":{"Y":{"Type":"Pass","Parameters":{"s.$":"States.Format('{}!', $site)"},"End":true}}}]}}})j");
  EXPECT_EQ(Out(r), R"([{"s":"north"},{"s":"north!"}])");
}

TEST(VariableScopes, MapIterationReadsOuterVariables) {
  RunResult r = Run1(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"factor":10},"Next":"M"},
      "M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{
        "P":{"Type":"Pass","Parameters":{"item.$":"$","f.$":"$factor"},"End":true}}}}}})",
                     "[1,2]");
  EXPECT_EQ(Out(r), R"([{"item":1,"f":10},{"item":2,"f":10}])");
}

TEST(VariableScopes, ItemSelectorReadsOuterVariables) {
  RunResult r = Run1(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"factor":10},"Next":"M"},
      "M":{"Type":"Map","End":true,"ItemSelector":{"v.$":"$$.Map.Item.Value","f.$":"$factor"},
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})",
                     "[1,2]");
  EXPECT_EQ(Out(r), R"([{"v":1,"f":10},{"v":2,"f":10}])");
}

TEST(VariableScopes, NestedScopesReadEveryEnclosingLevel) {
  RunResult r = Run1(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"outer":"o"},"Next":"Par"},
      "Par":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"B","States":{
          "B":{"Type":"Pass","Assign":{"middle":"m"},"Next":"M"},
          "M":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{"StartAt":"P","States":{
            "P":{"Type":"Pass","Parameters":{"o.$":"$outer","m.$":"$middle","i.$":"$"},"End":true}}}}}}]}}})",
                     R"({"items":[1]})");
  EXPECT_EQ(Out(r), R"([[{"o":"o","m":"m","i":1}]])");
}

TEST(VariableScopes, EachMapIterationHasItsOwnVariables) {
  RunResult r = Run1(R"({"StartAt":"M","States":{
      "M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P1","States":{
        "P1":{"Type":"Pass","Assign":{"mine.$":"$"},"Next":"P2"},
        "P2":{"Type":"Pass","Parameters":{"m.$":"$mine"},"End":true}}}}}})",
                     "[1,2,3]");
  EXPECT_EQ(Out(r), R"([{"m":1},{"m":2},{"m":3}])");
}

TEST(VariableScopes, BranchAssignmentsAreNotVisibleOutside) {
  RunResult r = RunWith(R"({"StartAt":"Par","States":{
      "Par":{"Type":"Parallel","Next":"After","Branches":[
        {"StartAt":"X","States":{"X":{"Type":"Pass","Assign":{"inner":1},"End":true}}}]},
      "After":{"Type":"Pass","Parameters":{"x.$":"$inner"},"End":true}}})",
                        "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_THAT(r.state.failure.cause, HasSubstr("The JSONPath '$inner' specified for the field "
                                               "'x.$' could not be found in the variables"));
}

TEST(VariableScopes, IterationAssignmentsAreNotVisibleOutside) {
  RunResult r = RunWith(R"({"StartAt":"M","States":{
      "M":{"Type":"Map","Next":"After","ItemProcessor":{"StartAt":"P","States":{
        "P":{"Type":"Pass","Assign":{"mine.$":"$"},"End":true}}}},
      "After":{"Type":"Pass","Parameters":{"x.$":"$mine"},"End":true}}})",
                        "[1]");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_THAT(r.state.failure.cause, HasSubstr("'$mine'"));
}

TEST(VariableScopes, SiblingBranchesDoNotSeeEachOther) {
  RunResult r = RunWith(R"({"StartAt":"Par","States":{
      "Par":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"X","States":{"X":{"Type":"Pass","Assign":{"fromX":1},"End":true}}},
        {"StartAt":"Y1","States":{"Y1":{"Type":"Wait","Seconds":1,"Next":"Y2"},
                                  "Y2":{"Type":"Pass","Parameters":{"v.$":"$fromX"},"End":true}}}]}}})",
                        "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
}

// ---------------------------------------------------------------- failures

TEST(Variables, MissingPathInAssignIsARuntimeError) {
  RunResult r = RunWith(
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x.$":"$.missing"},"End":true}}})",
      "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_EQ(
      r.state.failure.cause,
      "An error occurred while executing the state 'A' (entered at the event id #2). The JSONPath "
      "'$.missing' specified for the field 'x.$' could not be found in the input '{}'");
}

TEST(Variables, UnknownVariableIsARuntimeError) {
  RunResult r = RunWith(
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"$nope"},"End":true}}})",
      "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_THAT(r.state.failure.cause, HasSubstr("could not be found in the variables"));
}

TEST(Variables, AssignFailureInATaskIsNotCaughtByStatesAll) {
  RunResult r = RunWith(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"test:t","Assign":{"x":2,"y.$":"$.missing"},"End":true,
           "Catch":[{"ErrorEquals":["States.ALL"],"Next":"B"}]},
      "B":{"Type":"Pass","End":true}}})",
                        "{}", Echo());
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_THAT(r.state.failure.cause,
              HasSubstr("The JSONPath '$.missing' specified for the field 'y.$'"));
}

// ---------------------------------------------------------------- the loader's checks

std::vector<definition::Diagnostic> LoadErrors(std::string_view definition) {
  return definition::LoadAsl(definition).errors;
}

TEST(VariableNames, StatesIsReserved) {
  auto errors = LoadErrors(
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"states":1},"End":true}}})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].location, "/States/A/Assign/states");
  EXPECT_EQ(errors[0].message, "\"states\" is reserved and cannot be assigned");
}

TEST(VariableNames, StatesIsReservedWithDollarSuffixToo) {
  auto errors = LoadErrors(
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"states.$":"$"},"End":true}}})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].location, "/States/A/Assign/states.$");
}

TEST(VariableNames, UnicodeLettersAreAllowed) {
  EXPECT_TRUE(
      LoadErrors(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"état":1},"End":true}}})")
          .empty());
}

TEST(VariableNames, InvalidNamesAreRejected) {
  for (const char* name : {"1abc", "a-b", "a b", "x.y"}) {
    std::string def = StrCat(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{")", name,
                             R"(":1},"End":true}}})");
    auto errors = LoadErrors(def);
    ASSERT_EQ(errors.size(), 1u) << name;
    EXPECT_EQ(errors[0].location, StrCat("/States/A/Assign/", name)) << name;
    EXPECT_EQ(errors[0].message, StrCat("\"", name,
                                        "\" is not a valid variable name (a letter or '_', then "
                                        "letters, digits or '_', at most 80 "
                                        "characters)"))
        << name;
  }
}

TEST(VariableNames, EightyCharactersAtMost) {
  std::string ok(80, 'v'), too_long(81, 'v');
  EXPECT_TRUE(LoadErrors(StrCat(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{")", ok,
                                R"(":1},"End":true}}})"))
                  .empty());
  auto errors = LoadErrors(StrCat(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{")",
                                  too_long, R"(":1},"End":true}}})"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("is not a valid variable name"));
}

TEST(VariableNames, CheckedInCatchersAndChoiceRules) {
  auto errors = LoadErrors(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Assign":{"9lives":1},"Next":"T"}],"Default":"T"},
      "T":{"Type":"Task","Resource":"test:t","End":true,
           "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"states":1},"Next":"E"}]},
      "E":{"Type":"Succeed"}}})");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].location, "/States/C/Choices/0/Assign/9lives");
  EXPECT_EQ(errors[1].location, "/States/T/Catch/0/Assign/states");
}

TEST(VariableNames, InnerScopeCannotAssignAnOuterVariable) {
  auto errors = LoadErrors(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":1},"Next":"Par"},
      "Par":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"X","States":{"X":{"Type":"Pass","Assign":{"x":2},"End":true}}}]}}})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].location, "/States/Par/Branches/0/States/X/Assign/x");
  EXPECT_EQ(errors[0].message,
            "variable \"x\" is assigned inside Parallel state \"Par\" and also in an enclosing "
            "scope; an inner "
            "scope can read outer variables but not assign them: rename the inner one");
}

TEST(VariableNames, MapIterationCannotAssignAnOuterVariable) {
  auto errors = LoadErrors(R"j({"StartAt":"M","States":{
      "M":{"Type":"Map","Assign":{"total.$":"$.length()"},"End":true,"ItemProcessor":{"StartAt":"P","States":{
        "P":{"Type":"Pass","Assign":{"total":0},"End":true}}}}}})j");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].location, "/States/M/ItemProcessor/States/P/Assign/total");
  EXPECT_THAT(errors[0].message,
              HasSubstr("variable \"total\" is assigned inside Map state \"M\""));
}

TEST(VariableNames, AssignMustBeAnObject) {
  auto errors =
      LoadErrors(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":[1],"End":true}}})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].location, "/States/A/Assign");
  EXPECT_EQ(errors[0].message, "Assign must be a JSON object of variable names to values");
}

TEST(VariableNames, BadDynamicValueIsReportedWithItsPointer) {
  auto errors = LoadErrors(
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x.$":"not a path"},"End":true}}})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].location, "/States/A/Assign/x.$");
  EXPECT_THAT(errors[0].message, HasSubstr("is neither a path"));
}

}  // namespace
}  // namespace fleetflow::runtime
