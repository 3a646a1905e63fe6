#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/json/json.h"
#include "engine/json/path.h"

namespace fleetflow::json {
namespace {

using ::testing::HasSubstr;

Value P(std::string_view text) { return *Parse(text); }

const Value& Fleet() {
  static const Value doc = P(R"({
    "fleet": {
      "name": "north",
      "robots": [
        {"id": "r1", "battery": 15, "docked": true, "model": "ax-100", "tags": ["lift"]},
        {"id": "r2", "battery": 80, "docked": false, "model": "bx-200", "tags": [],
         "charger": {"port": 3}},
        {"id": "r3", "battery": 45, "docked": true, "model": "ax-300", "tags": ["lift", "scan"]}
      ]
    },
    "threshold": 50,
    "full name": "Fleet One",
    "it's": "quoted",
    "matrix": [[1, 2], [3, 4]],
    "nums": [1, 2, 3, 4, 5],
    "empty": []
  })");
  return doc;
}

// The serialized result of `path` on `doc`, or "<none>" when Select fails.
std::string Sel(std::string_view path, const Value& doc = Fleet()) {
  auto parsed = Path::Parse(path);
  if (!parsed.ok()) return "<parse error: " + std::string(parsed.status().message()) + ">";
  Value out;
  if (!parsed->Select(doc, out)) return "<none>";
  return Serialize(out);
}

std::string ParseError(std::string_view path, PathMode mode = PathMode::kPath) {
  auto parsed = Path::Parse(path, mode);
  if (parsed.ok()) return "<ok>";
  return std::string(parsed.status().message());
}

// ---------------------------------------------------------------- parse errors

TEST(PathParse, EmptyPathMustStartWithDollar) {
  std::string e = ParseError("");
  EXPECT_THAT(e, HasSubstr("a path must start with '$'"));
  EXPECT_THAT(e, HasSubstr("(at character 1)"));
}

TEST(PathParse, PathWithoutDollarIsRejectedAtFirstCharacter) {
  std::string e = ParseError("fleet.name");
  EXPECT_THAT(e, HasSubstr("invalid JSONPath 'fleet.name'"));
  EXPECT_THAT(e, HasSubstr("(at character 1)"));
}

TEST(PathParse, UnclosedBracketNamesItsPosition) {
  std::string e = ParseError("$.a[");
  EXPECT_THAT(e, HasSubstr("unclosed '['"));
  EXPECT_THAT(e, HasSubstr("(at character 4)"));
}

TEST(PathParse, MissingCloseBracketAfterIndex) {
  std::string e = ParseError("$.a[1");
  EXPECT_THAT(e, HasSubstr("expected ']'"));
  EXPECT_THAT(e, HasSubstr("(at character 6)"));
}

TEST(PathParse, UnterminatedQuotedName) {
  std::string e = ParseError("$.a['b");
  EXPECT_THAT(e, HasSubstr("unterminated quoted name"));
  EXPECT_THAT(e, HasSubstr("(at character 5)"));
}

TEST(PathParse, TrailingDescentNeedsAName) {
  std::string e = ParseError("$.a..");
  EXPECT_THAT(e, HasSubstr("expected a field name after '.'"));
  EXPECT_THAT(e, HasSubstr("(at character 6)"));
}

TEST(PathParse, EmptyDotName) {
  std::string e = ParseError("$.a.");
  EXPECT_THAT(e, HasSubstr("expected a field name after '.'"));
  EXPECT_THAT(e, HasSubstr("(at character 5)"));
}

TEST(PathParse, SpaceInsideDotNameIsUnexpected) {
  std::string e = ParseError("$.a b");
  EXPECT_THAT(e, HasSubstr("unexpected ' '"));
  EXPECT_THAT(e, HasSubstr("(at character 4)"));
}

TEST(PathParse, GarbageAfterRoot) {
  std::string e = ParseError("$x y");
  EXPECT_THAT(e, HasSubstr("expected '.' or '[' but found ' '"));
  EXPECT_THAT(e, HasSubstr("(at character 3)"));
}

TEST(PathParse, UnknownFunction) {
  std::string e = ParseError("$.a.foo()");
  EXPECT_THAT(e, HasSubstr("unknown function 'foo()'"));
  EXPECT_THAT(e, HasSubstr("(at character 5)"));
}

TEST(PathParse, FunctionMustEndThePath) {
  std::string e = ParseError("$.a.length().b");
  EXPECT_THAT(e, HasSubstr("a function must end the path"));
  EXPECT_THAT(e, HasSubstr("(at character 13)"));
}

TEST(PathParse, SliceStepMustBePositive) {
  EXPECT_THAT(ParseError("$.a[1:2:0]"), HasSubstr("a slice step must be positive"));
  EXPECT_THAT(ParseError("$.a[::-1]"), HasSubstr("a slice step must be positive"));
}

TEST(PathParse, BadBracketContent) {
  std::string e = ParseError("$.a[x]");
  EXPECT_THAT(e, HasSubstr("expected a quoted name, an index, '*', a slice or a filter"));
  EXPECT_THAT(e, HasSubstr("(at character 5)"));
}

TEST(PathParse, BadIndex) {
  std::string e = ParseError("$.a[-]");
  EXPECT_THAT(e, HasSubstr("expected an integer"));
  EXPECT_THAT(e, HasSubstr("(at character 5)"));
}

TEST(PathParse, FilterNeedsParenthesis) {
  std::string e = ParseError("$.a[?@.x]");
  EXPECT_THAT(e, HasSubstr("expected '(' after '?'"));
  EXPECT_THAT(e, HasSubstr("(at character 6)"));
}

TEST(PathParse, FilterWithMissingOperandReportsFilterError) {
  std::string e = ParseError("$.a[?(@.x <)]");
  EXPECT_THAT(e, HasSubstr("invalid JSONPath filter"));
  EXPECT_THAT(e, HasSubstr("expected a value"));
  EXPECT_THAT(e, HasSubstr("at character"));
}

TEST(PathParse, FilterWithBadRegex) {
  EXPECT_THAT(ParseError("$.a[?(@.x =~ /[a-/)]"), HasSubstr("invalid regular expression /[a-/"));
  EXPECT_THAT(ParseError("$.a[?(@.x =~ 'abc')]"),
              HasSubstr("expected a /regular expression/ after '=~'"));
}

TEST(PathParse, UnionNeedsQuotedNames) {
  EXPECT_THAT(ParseError("$['a', b]"), HasSubstr("expected a quoted name after ','"));
}

// ---------------------------------------------------------------- fields and indexes

TEST(PathSelect, RootSelectsTheWholeDocument) {
  Value doc = P(R"({"a":1})");
  EXPECT_EQ(Sel("$", doc), R"({"a":1})");
}

TEST(PathSelect, DotFields) {
  EXPECT_EQ(Sel("$.fleet.name"), "\"north\"");
  EXPECT_EQ(Sel("$.threshold"), "50");
}

TEST(PathSelect, BracketFieldsWithEitherQuote) {
  EXPECT_EQ(Sel("$['fleet']['name']"), "\"north\"");
  EXPECT_EQ(Sel(R"($["fleet"]["name"])"), "\"north\"");
  EXPECT_EQ(Sel("$.fleet['name']"), "\"north\"");
  EXPECT_EQ(Sel("$[ 'fleet' ].name"), "\"north\"");
}

TEST(PathSelect, QuotedNameWithSpaces) { EXPECT_EQ(Sel("$['full name']"), "\"Fleet One\""); }

TEST(PathSelect, QuotedNameWithEscapedQuote) { EXPECT_EQ(Sel(R"($['it\'s'])"), "\"quoted\""); }

TEST(PathSelect, DotNameMayContainDashes) {
  Value doc = P(R"({"a-b":{"c_d":7}})");
  EXPECT_EQ(Sel("$.a-b.c_d", doc), "7");
}

TEST(PathSelect, Indexes) {
  EXPECT_EQ(Sel("$.fleet.robots[0].id"), "\"r1\"");
  EXPECT_EQ(Sel("$.fleet.robots[2].id"), "\"r3\"");
  EXPECT_EQ(Sel("$.matrix[1][0]"), "3");
}

TEST(PathSelect, NegativeIndexesCountFromTheEnd) {
  EXPECT_EQ(Sel("$.fleet.robots[-1].id"), "\"r3\"");
  EXPECT_EQ(Sel("$.fleet.robots[-3].id"), "\"r1\"");
  EXPECT_EQ(Sel("$.nums[-2]"), "4");
}

TEST(PathSelect, OutOfRangeIndexesSelectNothing) {
  EXPECT_EQ(Sel("$.fleet.robots[3]"), "<none>");
  EXPECT_EQ(Sel("$.fleet.robots[-4]"), "<none>");
  EXPECT_EQ(Sel("$.empty[0]"), "<none>");
}

TEST(PathSelect, MissingFieldsSelectNothing) {
  EXPECT_EQ(Sel("$.fleet.missing"), "<none>");
  EXPECT_EQ(Sel("$.fleet.name.deeper"), "<none>");
  EXPECT_EQ(Sel("$.nums.a"), "<none>");
  EXPECT_EQ(Sel("$.fleet[0]"), "<none>");
}

TEST(PathSelect, IndexOnRootArray) {
  Value doc = P(R"([10, 20, 30])");
  EXPECT_EQ(Sel("$[1]", doc), "20");
  EXPECT_EQ(Sel("$[-1]", doc), "30");
}

TEST(PathSelect, FieldHoldingNullIsFound) {
  Value doc = P(R"({"a":null})");
  EXPECT_EQ(Sel("$.a", doc), "null");
  auto path = Path::Parse("$.a");
  ASSERT_TRUE(path.ok());
  const Value* found = path->Find(doc);
  ASSERT_NE(found, nullptr);
  EXPECT_TRUE(found->is_null());
}

TEST(PathFind, ReturnsThePointerIntoTheDocument) {
  auto path = Path::Parse("$.fleet.robots[1].battery");
  ASSERT_TRUE(path.ok());
  const Value* found = path->Find(Fleet());
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found, &Fleet().at("fleet").at("robots").at(1).at("battery"));
  EXPECT_EQ(Path::Parse("$.fleet.nope")->Find(Fleet()), nullptr);
}

// ---------------------------------------------------------------- wildcards, slices, unions

TEST(PathSelect, WildcardOnArrayThenField) {
  EXPECT_EQ(Sel("$.fleet.robots[*].id"), R"(["r1","r2","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots.*.battery"), "[15,80,45]");
}

TEST(PathSelect, WildcardOnObjectYieldsValuesInOrder) {
  Value doc = P(R"({"o":{"b":1,"a":[2],"c":"x"}})");
  EXPECT_EQ(Sel("$.o.*", doc), R"([1,[2],"x"])");
  EXPECT_EQ(Sel("$.o[*]", doc), R"([1,[2],"x"])");
}

TEST(PathSelect, WildcardSkipsElementsWithoutTheField) {
  EXPECT_EQ(Sel("$.fleet.robots[*].charger.port"), "[3]");
}

TEST(PathSelect, WildcardOnScalarSelectsNothing) { EXPECT_EQ(Sel("$.threshold[*]"), "[]"); }

TEST(PathSelect, Slices) {
  EXPECT_EQ(Sel("$.nums[1:3]"), "[2,3]");
  EXPECT_EQ(Sel("$.nums[:2]"), "[1,2]");
  EXPECT_EQ(Sel("$.nums[-2:]"), "[4,5]");
  EXPECT_EQ(Sel("$.nums[2:]"), "[3,4,5]");
  EXPECT_EQ(Sel("$.nums[:-3]"), "[1,2]");
  EXPECT_EQ(Sel("$.nums[:]"), "[1,2,3,4,5]");
}

TEST(PathSelect, SlicesWithSteps) {
  EXPECT_EQ(Sel("$.nums[::2]"), "[1,3,5]");
  EXPECT_EQ(Sel("$.nums[1:5:2]"), "[2,4]");
  EXPECT_EQ(Sel("$.nums[0:5:3]"), "[1,4]");
  EXPECT_EQ(Sel("$.nums[1::10]"), "[2]");
}

TEST(PathSelect, SlicesOutOfRangeAreClamped) {
  EXPECT_EQ(Sel("$.nums[10:]"), "[]");
  EXPECT_EQ(Sel("$.nums[3:1]"), "[]");
  EXPECT_EQ(Sel("$.nums[-10:2]"), "[1,2]");
  EXPECT_EQ(Sel("$.nums[3:100]"), "[4,5]");
  EXPECT_EQ(Sel("$.threshold[0:1]"), "[]");
}

TEST(PathSelect, SliceWithAHugeStepStopsAtTheEnd) {
  EXPECT_EQ(Sel("$.nums[1:5:9223372036854775807]"), "[2]");
  EXPECT_EQ(Sel("$.nums[0:5:9223372036854775807]"), "[1]");
}

TEST(PathSelect, SliceThenField) { EXPECT_EQ(Sel("$.fleet.robots[0:2].id"), R"(["r1","r2"])"); }

TEST(PathSelect, IndexUnions) {
  EXPECT_EQ(Sel("$.nums[0,2,4]"), "[1,3,5]");
  EXPECT_EQ(Sel("$.nums[4, 0]"), "[5,1]");
  EXPECT_EQ(Sel("$.nums[-1,0]"), "[5,1]");
  EXPECT_EQ(Sel("$.nums[1,99]"), "[2]");
}

TEST(PathSelect, FieldUnions) {
  EXPECT_EQ(Sel("$['threshold','full name']"), R"([50,"Fleet One"])");
  EXPECT_EQ(Sel(R"($["threshold", "nope"])"), "[50]");
  EXPECT_EQ(Sel("$.fleet.robots[*]['id','battery']"), R"(["r1",15,"r2",80,"r3",45])");
}

// ---------------------------------------------------------------- recursive descent

TEST(PathSelect, RecursiveDescentFindsEveryDepth) {
  EXPECT_EQ(Sel("$..id"), R"(["r1","r2","r3"])");
  EXPECT_EQ(Sel("$..battery"), "[15,80,45]");
  EXPECT_EQ(Sel("$..port"), "[3]");
}

TEST(PathSelect, RecursiveDescentInDocumentOrder) {
  Value doc = P(R"({"a":{"x":1,"b":{"x":2}},"c":[{"x":3},{"d":{"x":4}}],"x":0})");
  EXPECT_EQ(Sel("$..x", doc), "[0,1,2,3,4]");
}

TEST(PathSelect, RecursiveDescentThenIndex) {
  EXPECT_EQ(Sel("$..tags[0]"), R"(["lift","lift"])");
  EXPECT_EQ(Sel("$.fleet..tags[-1]"), R"(["lift","scan"])");
}

TEST(PathSelect, RecursiveDescentWithBracket) { EXPECT_EQ(Sel("$..['port']"), "[3]"); }

TEST(PathSelect, RecursiveDescentWithWildcard) {
  Value doc = P(R"({"a":{"b":[1,2]},"c":3})");
  EXPECT_EQ(Sel("$..*", doc), R"([{"b":[1,2]},3,[1,2],1,2])");
}

TEST(PathSelect, RecursiveDescentWithNoMatch) { EXPECT_EQ(Sel("$..nothing"), "[]"); }

TEST(PathSelect, RecursiveDescentWithFilterMatchesEachNodeOnce) {
  // Jayway (which AWS runs) returns each matching object once: the filter is
  // tested against objects as the scan reaches them, never against arrays.
  Value doc = P(R"({"robots":[{"id":"r1","battery":15},{"id":"r2","battery":80}]})");
  EXPECT_EQ(Sel("$..[?(@.battery < 20)]", doc), R"([{"id":"r1","battery":15}])");
}

// ---------------------------------------------------------------- filters

TEST(PathFilter, LessThan) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery < 20)].id"), R"(["r1"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery<20)].id"), R"(["r1"])");
}

TEST(PathFilter, SingleMatchIsStillAnArray) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery < 20)]"),
            R"([{"id":"r1","battery":15,"docked":true,"model":"ax-100","tags":["lift"]}])");
}

TEST(PathFilter, NoMatchIsAnEmptyArray) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery > 1000)]"), "[]");
}

TEST(PathFilter, EqualsAndNotEquals) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery == 80)].id"), R"(["r2"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery != 80)].id"), R"(["r1","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.id == 'r3')].battery"), "[45]");
  EXPECT_EQ(Sel(R"($.fleet.robots[?(@.id == "r3")].battery)"), "[45]");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.docked == false)].id"), R"(["r2"])");
}

TEST(PathFilter, NumbersCompareByValue) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery == 80.0)].id"), R"(["r2"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery < 15.5)].id"), R"(["r1"])");
}

TEST(PathFilter, OrderedComparisons) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery <= 45)].id"), R"(["r1","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery > 40)].id"), R"(["r2","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery >= 80)].id"), R"(["r2"])");
}

TEST(PathFilter, StringOrdering) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.id > 'r1')].id"), R"(["r2","r3"])");
}

TEST(PathFilter, MismatchedTypesNeverCompare) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery < 'z')].id"), "[]");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery == '15')].id"), "[]");
}

TEST(PathFilter, RegexMustMatchTheWholeString) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.model =~ /ax-.*/)].id"), R"(["r1","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.model =~ /ax/)].id"), "[]");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.model =~ /.*-[0-9]00/)].id"), R"(["r1","r2","r3"])");
}

TEST(PathFilter, RegexCaseInsensitiveFlag) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.model =~ /AX-.*/i)].id"), R"(["r1","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.model =~ /AX-.*/)].id"), "[]");
}

TEST(PathFilter, RegexOnNonStringIsFalse) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery =~ /.*/)].id"), "[]");
}

TEST(PathFilter, InAndNin) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.id in ['r1','r3'])].battery"), "[15,45]");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.id nin ['r1','r3'])].battery"), "[80]");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery in [15, 80])].id"), R"(["r1","r2"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.id in [])].id"), "[]");
}

TEST(PathFilter, SubsetAnyNoneOf) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags subsetof ['lift','scan'])].id"), R"(["r1","r2","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags anyof ['scan'])].id"), R"(["r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags noneof ['lift'])].id"), R"(["r2"])");
}

TEST(PathFilter, SizeOfArraysAndStrings) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags size 2)].id"), R"(["r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags size 0)].id"), R"(["r2"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.model size 6)].id"), R"(["r1","r2","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery size 2)].id"), "[]");
}

TEST(PathFilter, Empty) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags empty true)].id"), R"(["r2"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags empty false)].id"), R"(["r1","r3"])");
}

TEST(PathFilter, AndOr) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.docked == true && @.battery < 20)].id"), R"(["r1"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery < 20 || @.battery > 70)].id"), R"(["r1","r2"])");
}

TEST(PathFilter, AndBindsTighterThanOr) {
  // r2 matches the left side alone; r1 and r3 match neither (a && b) nor c.
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery > 70 || @.docked == true && @.battery > 40)].id"),
            R"(["r2","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?((@.battery > 70 || @.docked == true) && @.battery > 40)].id"),
            R"(["r2","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?((@.battery < 20 || @.docked == false) && @.battery > 40)].id"),
            R"(["r2"])");
}

TEST(PathFilter, Not) {
  EXPECT_EQ(Sel("$.fleet.robots[?(!(@.battery < 20))].id"), R"(["r2","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(!@.charger)].id"), R"(["r1","r3"])");
}

TEST(PathFilter, ExistenceTest) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.charger)].id"), R"(["r2"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags)].id"), R"(["r1","r2","r3"])");
}

TEST(PathFilter, NestedCurrentPaths) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.charger.port == 3)].id"), R"(["r2"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags[1] == 'scan')].id"), R"(["r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@['model'] == 'bx-200')].id"), R"(["r2"])");
}

TEST(PathFilter, CurrentNodeItself) { EXPECT_EQ(Sel("$.nums[?(@ > 3)]"), "[4,5]"); }

TEST(PathFilter, RootReferenceInsideFilter) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery < $.threshold)].id"), R"(["r1","r3"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.battery > $.fleet.robots[2].battery)].id"), R"(["r2"])");
  EXPECT_EQ(Sel("$.fleet.robots[?($.threshold == 50)].id"), R"(["r1","r2","r3"])");
}

TEST(PathFilter, FunctionInsideFilter) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.tags.length() == 2)].id"), R"(["r3"])");
}

TEST(PathFilter, MissingFieldFailsAnOrderedComparison) {
  EXPECT_EQ(Sel("$.fleet.robots[?(@.charger.port < 7)].id"), R"(["r2"])");
  EXPECT_EQ(Sel("$.fleet.robots[?(@.charger.port == 3)].id"), R"(["r2"])");
}

TEST(PathFilter, FilterOnNestedArraysThenField) {
  Value doc = P(R"({"sites":[{"robots":[{"b":5},{"b":50}]},{"robots":[{"b":7}]}]})");
  EXPECT_EQ(Sel("$.sites[*].robots[?(@.b < 10)].b", doc), "[5,7]");
}

// ---------------------------------------------------------------- functions

TEST(PathFunction, Length) {
  EXPECT_EQ(Sel("$.nums.length()"), "5");
  EXPECT_EQ(Sel("$.fleet.robots.length()"), "3");
  EXPECT_EQ(Sel("$.fleet.name.length()"), "5");
  EXPECT_EQ(Sel("$.fleet.length()"), "2");
  EXPECT_EQ(Sel("$.empty.length()"), "0");
  EXPECT_EQ(Sel("$.threshold.length()"), "<none>");
}

TEST(PathFunction, MinMaxAvgSumAreDoubles) {
  EXPECT_EQ(Sel("$.nums.min()"), "1.0");
  EXPECT_EQ(Sel("$.nums.max()"), "5.0");
  EXPECT_EQ(Sel("$.nums.avg()"), "3.0");
  EXPECT_EQ(Sel("$.nums.sum()"), "15.0");
}

TEST(PathFunction, AggregatesOverIndefinitePaths) {
  EXPECT_EQ(Sel("$.fleet.robots[*].battery.max()"), "80.0");
  EXPECT_EQ(Sel("$.fleet.robots[*].battery.min()"), "15.0");
  EXPECT_EQ(Sel("$.fleet.robots[*].battery.sum()"), "140.0");
  EXPECT_EQ(Sel("$.fleet.robots[*].battery.avg()"), Serialize(Value(140.0 / 3)));
  EXPECT_EQ(Sel("$..battery.length()"), "3");
}

TEST(PathFunction, AggregatesIgnoreNonNumbers) {
  Value doc = P(R"({"a":[1,"x",3,null,2.5]})");
  EXPECT_EQ(Sel("$.a.sum()", doc), "6.5");
  EXPECT_EQ(Sel("$.a.max()", doc), "3.0");
  EXPECT_EQ(Sel("$.a.min()", doc), "1.0");
}

TEST(PathFunction, AggregatesOfNothingFail) {
  EXPECT_EQ(Sel("$.empty.sum()"), "<none>");
  EXPECT_EQ(Sel("$.empty.avg()"), "<none>");
  EXPECT_EQ(Sel("$.fleet.name.min()"), "<none>");
  EXPECT_EQ(Sel("$.missing.max()"), "<none>");
}

TEST(PathFunction, StddevFirstLast) {
  Value doc = P(R"({"a":[2,4,4,4,5,5,7,9]})");
  EXPECT_EQ(Sel("$.a.stddev()", doc), "2.0");
  EXPECT_EQ(Sel("$.a.first()", doc), "2");
  EXPECT_EQ(Sel("$.a.last()", doc), "9");
  EXPECT_EQ(Sel("$.empty.first()"), "<none>");
}

TEST(PathFunction, Keys) {
  EXPECT_EQ(Sel("$.fleet.keys()"), R"(["name","robots"])");
  EXPECT_EQ(Sel("$.fleet.robots[1].charger.keys()"), R"(["port"])");
  EXPECT_EQ(Sel("$.nums.keys()"), "<none>");
}

TEST(PathFunction, HasFunction) {
  EXPECT_TRUE(Path::Parse("$.a.length()")->has_function());
  EXPECT_FALSE(Path::Parse("$.a.length")->has_function());
  EXPECT_EQ(Sel("$.fleet.length"), "<none>");  // a plain field named "length"
}

// ---------------------------------------------------------------- definite vs indefinite

TEST(PathDefinite, SinglePathsAreDefinite) {
  for (const char* text : {"$", "$.a", "$.a.b", "$.a[0]", "$.a[-1]", "$['a b']", "$.a.length()",
                           "$$.Execution.Id", "$var.x"}) {
    auto p = Path::Parse(text);
    ASSERT_TRUE(p.ok()) << text;
    EXPECT_TRUE(p->definite()) << text;
  }
}

TEST(PathDefinite, MultiPathsAreIndefinite) {
  for (const char* text : {"$.a[*]", "$.a.*", "$..a", "$.a[1:2]", "$.a[0,1]", "$['a','b']",
                           "$.a[?(@.x)]", "$.a[*].length()"}) {
    auto p = Path::Parse(text);
    ASSERT_TRUE(p.ok()) << text;
    EXPECT_FALSE(p->definite()) << text;
  }
}

TEST(PathDefinite, IndefinitePathsAlwaysYieldArrays) {
  EXPECT_EQ(Sel("$.fleet.robots[0:1].id"), R"(["r1"])");
  EXPECT_EQ(Sel("$.fleet.robots[0,0].id"), R"(["r1","r1"])");
  EXPECT_EQ(Sel("$..name"), R"(["north"])");
  EXPECT_EQ(Sel("$['threshold','nope']"), "[50]");
  EXPECT_EQ(Sel("$.nothing[*]"), "[]");
}

TEST(PathDefinite, DefinitePathsYieldTheNodeItself) {
  EXPECT_EQ(Sel("$.nums"), "[1,2,3,4,5]");
  EXPECT_EQ(Sel("$.fleet.robots[1].charger"), R"({"port":3})");
}

TEST(PathCollect, GathersPointersInOrder) {
  auto p = Path::Parse("$.fleet.robots[*].battery");
  ASSERT_TRUE(p.ok());
  std::vector<const Value*> out;
  p->Collect(Fleet(), out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], &Fleet().at("fleet").at("robots").at(0).at("battery"));
  EXPECT_EQ(*out[2], Value(45));
}

// ---------------------------------------------------------------- reference paths and roots

TEST(ReferencePath, AcceptsFieldsAndIndexes) {
  for (const char* text : {"$", "$.a", "$.a.b[0]", "$['a b'].c", "$.a[-1]", "$$.Execution.Input",
                           "$counter", "$counter.value[2]"}) {
    EXPECT_EQ(ParseError(text, PathMode::kReferencePath), "<ok>") << text;
  }
}

TEST(ReferencePath, RejectsEveryMultiNodeForm) {
  const std::pair<const char*, const char*> cases[] = {
      {"$.a[*]", "'[*]'"},       {"$.a.*", "'*'"},       {"$.a[?(@.x)]", "a filter"},
      {"$.a[1:2]", "a slice"},   {"$.a[:2]", "a slice"}, {"$.a[0,1]", "a union"},
      {"$['a','b']", "a union"}, {"$..a", "'..'"},       {"$.a.length()", "a function"},
  };
  for (const auto& [text, what] : cases) {
    std::string e = ParseError(text, PathMode::kReferencePath);
    EXPECT_THAT(e, HasSubstr(std::string(what) + " is not allowed in a reference path")) << text;
    EXPECT_THAT(e, HasSubstr("(at character ")) << text;
  }
}

TEST(ReferencePath, ErrorPositionPointsAtTheOffendingPart) {
  EXPECT_THAT(ParseError("$.items[*]", PathMode::kReferencePath), HasSubstr("(at character 9)"));
  EXPECT_THAT(ParseError("$.a..b", PathMode::kReferencePath), HasSubstr("(at character 4)"));
}

TEST(PathRoots, ContextRoot) {
  auto p = Path::Parse("$$.Execution.Id");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->root(), PathRoot::kContext);
  ASSERT_EQ(p->segments().size(), 2u);
  EXPECT_EQ(p->segments()[0].name, "Execution");
  EXPECT_EQ(Path::Parse("$$")->root(), PathRoot::kContext);
  EXPECT_TRUE(Path::Parse("$$")->segments().empty());
}

TEST(PathRoots, VariableRoot) {
  auto p = Path::Parse("$robot_1.battery");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->root(), PathRoot::kVariable);
  EXPECT_EQ(p->variable(), "robot_1");
  ASSERT_EQ(p->segments().size(), 1u);
  EXPECT_EQ(p->segments()[0].name, "battery");

  auto bare = Path::Parse("$_x");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->variable(), "_x");
  EXPECT_TRUE(bare->segments().empty());

  auto indexed = Path::Parse("$list[1]");
  ASSERT_TRUE(indexed.ok());
  EXPECT_EQ(indexed->variable(), "list");
  EXPECT_EQ(indexed->segments()[0].kind, PathSegment::Kind::kIndex);
}

TEST(PathRoots, InputRootAndText) {
  auto p = Path::Parse("$.a");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->root(), PathRoot::kInput);
  EXPECT_EQ(p->text(), "$.a");
  EXPECT_TRUE(p->variable().empty());
}

TEST(PathSegments, KindsAreRecorded) {
  auto p = Path::Parse("$.a[2][-1][*][1:4:2][0,3]['x','y']..z[?(@.k)]");
  ASSERT_TRUE(p.ok()) << p.status();
  using K = PathSegment::Kind;
  std::vector<K> kinds;
  for (const auto& s : p->segments()) kinds.push_back(s.kind);
  EXPECT_EQ(kinds,
            (std::vector<K>{K::kField, K::kIndex, K::kIndex, K::kWildcard, K::kSlice,
                            K::kIndexUnion, K::kFieldUnion, K::kDescend, K::kField, K::kFilter}));
  const auto& slice = p->segments()[4];
  EXPECT_EQ(slice.slice_start, 1);
  EXPECT_EQ(slice.slice_end, 4);
  EXPECT_EQ(slice.slice_step, 2);
  EXPECT_EQ(p->segments()[5].indexes, (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(p->segments()[6].names, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(p->segments()[2].index, -1);
}

TEST(IsVariableName, FollowsTheIdentifierRule) {
  EXPECT_TRUE(IsVariableName("a"));
  EXPECT_TRUE(IsVariableName("_x1"));
  EXPECT_TRUE(IsVariableName("Robot_2"));
  EXPECT_FALSE(IsVariableName(""));
  EXPECT_FALSE(IsVariableName("1a"));
  EXPECT_FALSE(IsVariableName("a-b"));
  EXPECT_FALSE(IsVariableName("a.b"));
  EXPECT_FALSE(IsVariableName("a b"));
}

// ---------------------------------------------------------------- Normalized

TEST(PathNormalized, FieldsAndIndexes) {
  EXPECT_EQ(Path::Parse("$.a.b[0]")->Normalized(), "$['a']['b'][0]");
  EXPECT_EQ(Path::Parse("$['full name'][-1]")->Normalized(), "$['full name'][-1]");
  EXPECT_EQ(Path::Parse("$")->Normalized(), "$");
}

TEST(PathNormalized, Roots) {
  EXPECT_EQ(Path::Parse("$$.Execution.Id")->Normalized(), "$$['Execution']['Id']");
  EXPECT_EQ(Path::Parse("$var.x[1]")->Normalized(), "$var['x'][1]");
}

TEST(PathNormalized, WildcardDescentAndFunction) {
  EXPECT_EQ(Path::Parse("$.a.*")->Normalized(), "$['a'][*]");
  EXPECT_EQ(Path::Parse("$..a")->Normalized(), "$..['a']");
  EXPECT_EQ(Path::Parse("$.a.length()")->Normalized(), "$['a'].length()");
}

TEST(PathNormalized, OtherFormsKeepTheirText) {
  EXPECT_EQ(Path::Parse("$.a[1:2]")->Normalized(), "$.a[1:2]");
  EXPECT_EQ(Path::Parse("$.a[?(@.x > 1)]")->Normalized(), "$.a[?(@.x > 1)]");
}

}  // namespace
}  // namespace fleetflow::json

namespace fleetflow::json {
namespace {

TEST(PathBracketAfterDot, SelectsTheQuotedField) {
  auto path = Path::Parse("$.abc.['def ghi']");
  ASSERT_TRUE(path.ok()) << path.status();
  Value doc = *Parse(R"({"abc":{"def ghi":7}})");
  const Value* found = path->Find(doc);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(Serialize(*found), "7");
}

}  // namespace
}  // namespace fleetflow::json
