// JSONata templates: which strings are expressions, what `$states` members
// an expression reads (bound by reference), and load-time errors (syntax,
// members the field cannot see).

#include "engine/definition/jsonata_template.h"

#include <gtest/gtest.h>

#include "engine/definition/loader.h"

namespace fleetflow::definition {
namespace {

uint8_t Uses(std::string_view whole) {
  JsonataExpression e;
  EXPECT_EQ(CompileJsonata(whole, e), "") << whole;
  return e.uses;
}

TEST(JsonataTemplate, OnlyWholeStringsAreExpressions) {
  EXPECT_TRUE(IsJsonataString("{% 1 %}"));
  EXPECT_TRUE(IsJsonataString("{%1%}"));
  EXPECT_FALSE(IsJsonataString(" {% 1 %}"));
  EXPECT_FALSE(IsJsonataString("{% 1 %} "));
  EXPECT_FALSE(IsJsonataString("x {% 1 %}"));
  EXPECT_FALSE(IsJsonataString("{%"));
}

TEST(JsonataTemplate, StatesMembersAreFound) {
  EXPECT_EQ(Uses("{% $states.input.a %}"), kUsesInput);
  EXPECT_EQ(Uses("{% $states.result.v + $states.input.n %}"), kUsesInput | kUsesResult);
  EXPECT_EQ(Uses("{% $states.errorOutput.Cause %}"), kUsesErrorOutput);
  EXPECT_EQ(Uses("{% $states.context.Map.Item.Index %}"), kUsesContext);
  EXPECT_EQ(Uses("{% $x + 1 %}"), 0);
  // Inside strings, quoted names and comments it is text.
  EXPECT_EQ(Uses("{% '$states.input' & \"$states\" & `$states` /* $states */ %}"), 0);
  EXPECT_EQ(Uses("{% $statesX %}"), 0);
}

TEST(JsonataTemplate, OtherUsesBindTheWholeObject) {
  EXPECT_EQ(Uses("{% $keys($states) %}"), kUsesWhole);
  EXPECT_EQ(Uses("{% $states['input'] %}"), kUsesWhole);
  // A '/' could open a regular expression: no rewriting then.
  EXPECT_EQ(Uses("{% $states.input.a / 2 %}"), kUsesWhole);
  EXPECT_EQ(Uses("{% 4 / 2 %}"), 0);
}

uint8_t Members(std::string_view whole) {
  JsonataExpression e;
  EXPECT_EQ(CompileJsonata(whole, e), "") << whole;
  return e.members;
}

TEST(JsonataTemplate, NamedMembersAreKnownEvenWhenTheWholeObjectIsBound) {
  EXPECT_EQ(Members("{% $states.result.a / 2 %}"), kUsesResult);
  EXPECT_EQ(Members("{% $keys($states) & $states.errorOutput.Cause %}"), kUsesErrorOutput);
  EXPECT_EQ(Members("{% $states.input.a + $states.context.State.Name %}"),
            kUsesInput | kUsesContext);
  // Text in strings and comments names nothing.
  EXPECT_EQ(Members("{% '$states.result' /* $states.errorOutput */ %}"), 0);
}

TEST(JsonataTemplate, UnavailableMembersAreLocatedErrors) {
  std::vector<std::pair<std::string, std::string>> errors;
  auto sink = [&](const std::string& p, const std::string& m) { errors.emplace_back(p, m); };
  JsonataTemplate::Compile(*json::Parse(R"({"a":["{% $states.input %}","{% $states.result %}"],
      "b":"{% $states.errorOutput %}","c":"{% $states.context %}"})"),
                           sink, kUsesResult | kUsesErrorOutput);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].first, "/a/1");
  EXPECT_NE(errors[0].second.find("$states.result is not available"), std::string::npos);
  EXPECT_EQ(errors[1].first, "/b");
  EXPECT_NE(errors[1].second.find("$states.errorOutput is not available"), std::string::npos);
  errors.clear();
  JsonataTemplate::Compile(*json::Parse(R"({"r":"{% $states.result %}"})"), sink, kUsesErrorOutput);
  EXPECT_TRUE(errors.empty());
}

TEST(JsonataTemplate, ConstantPartsStayLiteral) {
  std::vector<std::string> errors;
  auto sink = [&](const std::string& p, const std::string& m) { errors.push_back(p + " " + m); };
  auto c = JsonataTemplate::Compile(*json::Parse(R"({"a":[1,"x {% 1 %}"],"b":{"c":true}})"), sink);
  EXPECT_TRUE(c.is_constant());
  auto d = JsonataTemplate::Compile(*json::Parse(R"({"a":[1,"{% 1 %}"],"b":"{% 2 %}"})"), sink);
  EXPECT_FALSE(d.is_constant());
  EXPECT_EQ(d.TopLevelKeys(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(errors.empty());
}

TEST(JsonataTemplate, SyntaxErrorsAreLocated) {
  std::vector<std::pair<std::string, std::string>> errors;
  auto sink = [&](const std::string& p, const std::string& m) { errors.emplace_back(p, m); };
  JsonataTemplate::Compile(*json::Parse(R"({"a":{"b":["{% (1 %}"]}})"), sink);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, "/a/b/0");
  EXPECT_NE(errors[0].second.find("is not valid: S0"), std::string::npos) << errors[0].second;
}

TEST(JsonataTemplate, LoaderReportsThePointer) {
  LoadResult r = LoadAsl(R"({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{
      "Type":"Pass","Output":{"v":"{% %}"},"End":true}}})");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].location, "/States/P/Output/v");
  EXPECT_EQ(r.errors[0].message, "the JSONata expression between {% and %} is empty");
}

}  // namespace
}  // namespace fleetflow::definition
