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

TEST(JsonataDateTime, FromMillisPictureDetails) {
  EXPECT_EQ(Outcome("$fromMillis(1709644029250, '[Y,2]|[Y0001,2]|[Y9,999,*]')"),
            "\"24|2024|2,024\"");
  EXPECT_EQ(Outcome("$fromMillis(1709644029250, (), '+0530')"),
            "\"2024-03-05T18:37:09.250+05:30\"");
  EXPECT_EQ(Outcome("$fromMillis(0, '[]')"), "error D3132");  // was a crash
  EXPECT_EQ(Outcome("$fromMillis(0, '[YN]-[M')"), "error D3135");
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
