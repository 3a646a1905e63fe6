// Focused tests of the public API: error codes and positions, limits, the
// no-copy value model, bindings and native functions, date/time pictures.
#include "engine/jsonata/jsonata.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace fleetflow::jsonata {
namespace {

Evaluation Eval(std::string_view text, const json::Value* input = nullptr,
                const Bindings& bindings = {}, const EvalOptions& options = {}) {
  auto expr = Compile(text);
  EXPECT_TRUE(expr.ok()) << expr.status();
  if (!expr.ok()) return {};
  return (*expr)->Evaluate(input, bindings, options);
}

TEST(JsonataCompile, SyntaxErrorsCarryCodeAndPosition) {
  Error e;
  EXPECT_FALSE(Compile("Account.Order[0", &e).ok());
  EXPECT_EQ(e.code, "S0203");
  e = {};
  auto status = Compile("[1,2)", &e);
  EXPECT_EQ(e.code, "S0202");
  EXPECT_EQ(e.position, 5);
  EXPECT_NE(std::string(status.status().message()).find("S0202 at 5"), std::string::npos);
  e = {};
  EXPECT_FALSE(Compile("\"unterminated", &e).ok());
  EXPECT_EQ(e.code, "S0101");
  e = {};
  EXPECT_FALSE(Compile("x := 1", &e).ok());
  EXPECT_EQ(e.code, "S0212");
  e = {};
  EXPECT_FALSE(Compile("1 ! 2", &e).ok());
  EXPECT_EQ(e.code, "S0204");
}

TEST(JsonataCompile, DeepNestingIsRejectedNotACrash) {
  std::string text(100000, '(');
  Error e;
  EXPECT_FALSE(Compile(text, &e).ok());
  EXPECT_EQ(e.code, "U1001");
}

TEST(JsonataEval, UndefinedIsNotNull) {
  json::Value doc = json::Parse(R"({"a": null})").value();
  Evaluation missing = Eval("b", &doc);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value.has_value());
  Evaluation null = Eval("a", &doc);
  ASSERT_TRUE(null.ok());
  ASSERT_TRUE(null.value.has_value());
  EXPECT_TRUE(null.value->is_null());
}

TEST(JsonataEval, RuntimeErrorsCarryCodeAndPosition) {
  Evaluation r = Eval("1 + \"a\"");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, "T2002");
  EXPECT_EQ(r.error->position, 3);
}

TEST(JsonataEval, DepthLimitStopsRunawayRecursion) {
  EvalOptions options;
  options.max_depth = 200;
  Evaluation r = Eval("($f := function($n) { $n + $f($n + 1) }; $f(0))", nullptr, {}, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, "U1001");
}

TEST(JsonataEval, TailCallsRunInConstantDepth) {
  EvalOptions options;
  options.max_depth = 100;
  Evaluation r = Eval(
      "($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(20000, 0))",
      nullptr, {}, options);
  ASSERT_TRUE(r.ok()) << r.error->message;
  EXPECT_EQ(json::AsDouble(*r.value), 20000);
}

TEST(JsonataEval, TimeoutStopsInfiniteLoops) {
  EvalOptions options;
  options.timeout = absl::Milliseconds(50);
  Evaluation r = Eval("($f := function() { $f() }; $f())", nullptr, {}, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, "U1001");
  EXPECT_NE(r.error->message.find("timeout"), std::string::npos);
}

TEST(JsonataEval, CatastrophicRegexHitsTheDeadline) {
  EvalOptions options;
  options.timeout = absl::Milliseconds(50);
  Evaluation r =
      Eval("$contains('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /(a+)+b/)", nullptr, {}, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, "U1001");
}

TEST(JsonataEval, MemoryLimitStopsHugeResults) {
  EvalOptions options;
  options.max_memory_bytes = 1 << 20;
  Evaluation r = Eval("[1..1000000]", nullptr, {}, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, "U1001");
}

// A 50 MB document queried with an 8 MB arena: only possible if paths and
// predicates read the input in place (the arena holds 16-byte references).
TEST(JsonataEval, InputIsNotCopied) {
  json::Array rooms;
  for (int i = 0; i < 50000; ++i)
    rooms.push_back(json::Object{
        {"id", "room-" + std::to_string(i)}, {"area", i % 10}, {"notes", std::string(1000, 'x')}});
  json::Value doc = json::Object{{"rooms", std::move(rooms)}};
  EvalOptions options;
  options.max_memory_bytes = 8 << 20;
  Evaluation r = Eval("$count(rooms[area > 8].notes)", &doc, {}, options);
  ASSERT_TRUE(r.ok()) << r.error->message;
  EXPECT_EQ(json::AsDouble(*r.value), 5000);
}

TEST(JsonataEval, BindingsAndNativeFunctions) {
  Bindings bindings;
  json::Value states = json::Parse(R"({"input": {"n": 2}})").value();
  bindings.SetRef("states", &states);
  bindings.Set("factor", json::Value(10));
  bindings.SetFunction("twice", NativeFunction{"<n:n>", [](std::span<const Result> args) {
                                                 Evaluation e;
                                                 e.value =
                                                     json::Value(json::AsDouble(*args[0]) * 2);
                                                 return e;
                                               }});
  bindings.SetFunction("fail", NativeFunction{"", [](std::span<const Result>) {
                                                Evaluation e;
                                                e.error = Error{"X0001", -1, "", "custom"};
                                                return e;
                                              }});
  Evaluation r = Eval("$twice($states.input.n) * $factor", nullptr, bindings);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::AsDouble(*r.value), 40);
  Evaluation bad = Eval("$twice('x')", nullptr, bindings);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error->code, "T0410");
  Evaluation custom = Eval("$fail()", nullptr, bindings);
  ASSERT_FALSE(custom.ok());
  EXPECT_EQ(custom.error->code, "X0001");
}

// The result as JSON text, "undefined", or "error CODE".
std::string Outcome(std::string_view text, const EvalOptions& options = {}) {
  Evaluation r = Eval(text, nullptr, {}, options);
  if (!r.ok()) return "error " + r.error->code;
  return r.value ? json::Serialize(*r.value) : "undefined";
}

// 2026-11-27T15:37:28.517Z, the "now" that pictures without a date or year
// complete from.
EvalOptions FixedNow() {
  EvalOptions options;
  options.now = absl::FromUnixMillis(1795793848517);
  return options;
}

TEST(JsonataDateTime, ToMillisReadsPictures) {
  EXPECT_EQ(Outcome("$toMillis('Tuesday 5 March 2024, 14:07:09.250 +01:00',"
                    " '[FNn] [D] [MNn] [Y], [H01]:[m01]:[s01].[f001] [Z]')"),
            "1709644029250");
  EXPECT_EQ(Outcome("$toMillis('the first of June, two thousand and nine',"
                    " 'the [Dwo] of [MNn], [Yw]')"),
            "1243814400000");
  EXPECT_EQ(Outcome("$toMillis('2024-366', '[Y]-[d001]')"), "1735603200000");
  EXPECT_EQ(Outcome("$toMillis('19700102', '[Y0001][M01][D01]')"), "86400000");
  EXPECT_EQ(Outcome("$toMillis('XII/xxv/MMXXIII', '[MI]/[Di]/[YI]')"), "1703462400000");
  EXPECT_EQ(Outcome("$toMillis('2,024 MAR 5', '[Y9,999,*] [MN,3-3] [D]')"), "1709596800000");
  // What $fromMillis writes, $toMillis reads back.
  EXPECT_EQ(Outcome("($p := '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]';"
                    " $toMillis($fromMillis(1234567890123, $p, '-0330'), $p))"),
            "1234567890123");
}

TEST(JsonataDateTime, ToMillisCompletesFromNow) {
  // Larger units than any given come from now; smaller ones are zero.
  EXPECT_EQ(Outcome("$toMillis('09:30', '[H]:[m]')", FixedNow()), "1795771800000");
  EXPECT_EQ(Outcome("$toMillis('14', '[D]')", FixedNow()), "1794614400000");
  // A two-digit year is the nearest one with those digits.
  EXPECT_EQ(Outcome("$toMillis('03/04/99', '[D01]/[M01]/[Y01]')", FixedNow()), "923097600000");
  EXPECT_EQ(Outcome("$toMillis('03/04/31', '[D01]/[M01]/[Y01]')", FixedNow()), "1932940800000");
}

TEST(JsonataDateTime, ToMillisErrorsAndMismatches) {
  EXPECT_EQ(Outcome("$toMillis('2024-03-05 10', '[Y]-[M]-[D] [m]')"), "error D3136");
  EXPECT_EQ(Outcome("$toMillis('2 pm', '[h] [Z]')"), "error D3136");  // [h] needs [P]
  EXPECT_EQ(Outcome("$toMillis('2024', '[Y')"), "error D3135");
  EXPECT_EQ(Outcome("$toMillis('2024', '[Q]')"), "error D3132");
  EXPECT_EQ(Outcome("$toMillis('2024', '[YNn]')"), "error D3133");
  EXPECT_EQ(Outcome("$toMillis('2024', '[Y,5000]')"), "error D3130");
  // Text that does not fit the picture, or names no real date, is undefined.
  EXPECT_EQ(Outcome("$toMillis('2024/03/05', '[Y]-[M]-[D]')"), "undefined");
  EXPECT_EQ(Outcome("$toMillis('2024-13-01', '[Y]-[M]-[D]')"), "undefined");
  EXPECT_EQ(Outcome("$toMillis('31 February 2024', '[D] [MNn] [Y]')"), "undefined");
  EXPECT_EQ(Outcome("$toMillis('no date here', 'no date here')"), "undefined");
}

TEST(JsonataDateTime, WeekDates) {
  // ISO weeks belong to the year of their Thursday.
  EXPECT_EQ(Outcome("$fromMillis($toMillis('2021-01-03', '[Y]-[M]-[D]'), '[X0001]-W[W01]-[F1]')"),
            "\"2020-W53-7\"");
  EXPECT_EQ(Outcome("$fromMillis($toMillis('2024-12-30', '[Y]-[M]-[D]'), '[X0001]-W[W01]-[F1]')"),
            "\"2025-W01-1\"");
  EXPECT_EQ(Outcome("$fromMillis($toMillis('2024-09-01', '[Y]-[M]-[D]'), '[w] [xNn]')"),
            "\"5 August\"");
  // A week date alone does not fix a day; beside a calendar date it is read
  // but not checked.
  EXPECT_EQ(Outcome("$toMillis('2020-W53-7', '[X0001]-W[W01]-[F1]')"), "error D3136");
  EXPECT_EQ(Outcome("$toMillis('W10 2024-03-05', 'W[W] [Y]-[M]-[D]')"), "1709596800000");
}

TEST(JsonataDateTime, FromMillisPictureDetails) {
  EXPECT_EQ(Outcome("$fromMillis(1709644029250, '[Y,2]|[Y0001,2]|[Y9,999,*]')"),
            "\"24|2024|2,024\"");
  EXPECT_EQ(Outcome("$fromMillis(1709644029250, (), '+0530')"),
            "\"2024-03-05T18:37:09.250+05:30\"");
  EXPECT_EQ(Outcome("$fromMillis(0, '[]')"), "error D3132");  // was a crash
  EXPECT_EQ(Outcome("$fromMillis(0, '[YN]-[M')"), "error D3135");
  // Outside JavaScript's Date range there is no date; inside it, time values
  // are cut toward zero as Date does, and a year keeps its sign.
  EXPECT_EQ(Outcome("$fromMillis(1e300)"), "undefined");
  EXPECT_EQ(Outcome("$fromMillis(-0.5)"), "\"1970-01-01T00:00:00.000Z\"");
  EXPECT_EQ(Outcome("$fromMillis(-8.64e15, '[Y0001]')"), "\"-1821\"");
}

TEST(JsonataDateTime, IsoTimestampsAreStrict) {
  EXPECT_EQ(Outcome("$toMillis('2024-03-05T10:00:00.1239+01:00')"), "1709629200123");
  EXPECT_EQ(Outcome("$toMillis('2024-03-05 10:00:00')"), "error D3110");
  EXPECT_EQ(Outcome("$toMillis('2024-3-5')"), "error D3110");
  EXPECT_EQ(Outcome("$toMillis('2024-02-30')"), "1709251200000");  // runs on, as in JavaScript
  EXPECT_EQ(Outcome("$toMillis('2024-13-01')"), "null");           // NaN, as in JavaScript
}

TEST(JsonataEval, IntegralNumbersComeBackAsIntegers) {
  Evaluation r = Eval("[1 + 2, 0.5 + 0.25]");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value->get_array()[0].is_int64());
  EXPECT_TRUE(r.value->get_array()[1].is_double());
}

// The reference returns an array whenever $spread is given one, even with a
// single item or nothing but empty objects; an object alone stays a singleton.
TEST(JsonataEval, SpreadOfAnArrayIsAnArray) {
  EXPECT_EQ(Outcome(R"($spread([{"k": true}]))"), R"([{"k":true}])");
  EXPECT_EQ(Outcome(R"($spread(["x"]))"), R"(["x"])");
  EXPECT_EQ(Outcome(R"($spread([[7], nothing]))"), "[7]");
  EXPECT_EQ(Outcome(R"($spread([{}, []]))"), "[]");
  EXPECT_EQ(Outcome(R"($spread([nothing]))"), "undefined");
  EXPECT_EQ(Outcome(R"($spread({"k": true}))"), R"({"k":true})");
}

// A regex literal ends as jsonata-js ends it: not at a '/' inside (), [] or
// {}; its flags are the documented i and m only.
TEST(JsonataEval, RegexLiteralsEndWhereTheReferenceEndsThem) {
  EXPECT_EQ(Outcome(R"($match("ab/cd", /(b/c)/).match)"), R"("b/c")");
  EXPECT_EQ(Outcome(R"($match("x{/}", /{/}/).index)"), "1");
  EXPECT_EQ(Outcome(R"($contains("a\\", /a\\/))"), "true");
  EXPECT_EQ(Outcome(R"($match("AB", /b/im).match)"), R"("B")");
  Error e;
  EXPECT_FALSE(Compile("items[] / size > $count(/(a/)", &e).ok());
  EXPECT_EQ(e.code, "S0302");
  EXPECT_FALSE(Compile(R"($match("ab", /a/g))", &e).ok());
  EXPECT_EQ(e.code, "S0202");
}

// $each of nothing is an empty sequence: a predicate after it has no item to
// be evaluated on.
TEST(JsonataEval, EachOfNothingHasNoItems) {
  EXPECT_EQ(Outcome(R"($each(nothing, function($v) { $v })[1 + "a"])"), "undefined");
  EXPECT_EQ(Outcome(R"([$each(nothing, function($v) { $v })])"), "[]");
  EXPECT_EQ(Outcome(R"($each({"k": 2}, function($v) { $v })[1 + "a"])"), "error T2002");
}

// $uppercase and $lowercase convert every letter as JavaScript does, not
// only ASCII ones; case-insensitive regexes compare the same way.
TEST(JsonataEval, CaseConversionCoversUnicode) {
  EXPECT_EQ(Outcome(R"($uppercase("Straße, naïve, ǆ"))"), R"("STRASSE, NAÏVE, Ǆ")");
  EXPECT_EQ(Outcome(R"($lowercase("ÉTÉ İ"))"), "\"été i\u0307\"");
  EXPECT_EQ(Outcome(R"($lowercase("ΣΟΦΟΣ ΣΑΣ."))"), R"("σοφος σας.")");
  EXPECT_EQ(Outcome(R"($match("ÅSA", /å/i).match)"), R"("Å")");
  EXPECT_EQ(Outcome(R"($match("Ñ", /[à-ö]/i).match)"), R"("Ñ")");
  EXPECT_EQ(Outcome(R"($contains("SS", /ß/i))"), "false");
}

// jsonata-js evaluates array items and object values concurrently; when
// several fail it reports the one that fails after the fewest awaits
// (reference_clock.h), and so does Fleetflow. Ties go to the first.
TEST(JsonataEval, FailingItemsReportTheReferencesError) {
  EXPECT_EQ(Outcome(R"([$sum(["x"]), -"y"])"), "error D1002");
  EXPECT_EQ(Outcome(R"({"a": $count(1, 2), "b": 1 + "x"})"), "error T2002");
  EXPECT_EQ(Outcome(R"([[1 + "x"], -"y"])"), "error D1002");
  EXPECT_EQ(Outcome(R"(["a" - 1, 1 - "a"])"), "error T2001");
  EXPECT_EQ(Outcome(R"({"q": 1 - "a", "p": "a" - 1})"), "error T2002");
  EXPECT_EQ(Outcome(R"([(1 - "a"), "a" - 1])"), "error T2001");
  // Calls, lambdas, ?? (its left side counted twice), sorting and regexes.
  EXPECT_EQ(Outcome(R"([$map([1], function($v) { $v + "x" }), $string(1) - 1])"), "error T2001");
  EXPECT_EQ(Outcome(R"([("a" ?? 1) - 1, 1 - ("a" ?: 1)])"), "error T2002");
  EXPECT_EQ(Outcome(R"([$sort(["b", "a"], function($l, $r) { $l > $r }) - 1, 2 - "z"])"),
            "error T2002");
  EXPECT_EQ(Outcome(R"([$match("ab", /b/) + 1, 2 - $string(2)])"), "error T2002");
  // Values are unaffected, and a lone failure is reported as before.
  EXPECT_EQ(Outcome(R"([1, [2, 3], {"a": [4][0]}])"), R"([1,[2,3],{"a":4}])");
  EXPECT_EQ(Outcome(R"([1, 2 + "b", 3])"), "error T2002");
}

TEST(JsonataEval, ConcurrentEvaluationOfOneExpression) {
  auto expr = Compile("$sum(rooms.area) & '-' & $count(rooms)");
  ASSERT_TRUE(expr.ok());
  json::Value doc = json::Parse(R"({"rooms": [{"area": 1}, {"area": 2}]})").value();
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        Evaluation r = (*expr)->Evaluate(doc);
        if (r.ok() && r.value->as_string() == "3-2") ++good;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 4000);
}

}  // namespace
}  // namespace fleetflow::jsonata
