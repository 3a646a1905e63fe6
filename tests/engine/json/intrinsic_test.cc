#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "engine/json/eval_scope.h"
#include "engine/json/intrinsic.h"
#include "engine/json/json.h"

namespace fleetflow::json {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Value P(std::string_view text) { return *Parse(text); }

const Value& Input() {
  static const Value doc = P(R"({
    "name": "Bob",
    "site": "north",
    "count": 3,
    "ratio": 1.5,
    "flag": true,
    "nothing": null,
    "obj": {"a": 1, "b": [true, null]},
    "nums": [1, 2, 3, 4, 5],
    "dupes": [1, 2, 3, 3, 3, 3, 3, 3, 4],
    "csv": "1,2,3,4,5",
    "json": "{\"a\":[1,2],\"b\":\"x\"}",
    "template": "v={}",
    "braces": "{}",
    "robots": [{"b": 1}, {"b": 5}, {"b": 9}],
    "left": {"x": 1, "n": {"p": 1, "q": 2}},
    "right": {"y": 2, "n": {"q": 3}},
    "big": 9223372036854775807
  })");
  return doc;
}

// Parses and evaluates `text` against `input` (and `vars`, `context`).
Result<Value> Eval(std::string_view text, const Value& input = Input(),
                   const Object* vars = nullptr, const Value* context = nullptr,
                   uint64_t seed = 1) {
  auto call = ParseIntrinsic(text);
  if (!call.ok()) return Failure{"<parse>", std::string(call.status().message())};
  SimpleScope scope(input, context, vars, seed);
  return EvaluateIntrinsic(*call, scope);
}

// The serialized value, or "<Error: cause>" for a failure.
std::string Ev(std::string_view text, const Value& input = Input()) {
  Result<Value> r = Eval(text, input);
  if (!r.ok()) return "<" + r.failure().error + ": " + r.failure().cause + ">";
  return Serialize(r.value());
}

// The string a call returns (for results that are strings).
std::string Str(std::string_view text, const Value& input = Input()) {
  Result<Value> r = Eval(text, input);
  if (!r.ok()) return "<" + r.failure().error + ": " + r.failure().cause + ">";
  if (!r.value().is_string()) return "<not a string: " + Serialize(r.value()) + ">";
  return std::string(r.value().get_string());
}

Failure Fails(std::string_view text, const Value& input = Input()) {
  Result<Value> r = Eval(text, input);
  if (r.ok()) return Failure{"<ok>", Serialize(r.value())};
  return r.failure();
}

std::string ParseError(std::string_view text) {
  auto call = ParseIntrinsic(text);
  if (call.ok()) return "<ok>";
  return std::string(call.status().message());
}

// ---------------------------------------------------------------- States.Format

TEST(IntrinsicFormat, SubstitutesPathArguments) {
  EXPECT_EQ(Str("States.Format('Hello, my name is {}.', $.name)"), "Hello, my name is Bob.");
  EXPECT_EQ(Str("States.Format('{} has {} robots', $.site, $.count)"), "north has 3 robots");
}

TEST(IntrinsicFormat, PrintsNumbersBooleansAndNullAsJson) {
  EXPECT_EQ(Str("States.Format('{} {} {} {} {}', 42, -7, true, false, null)"),
            "42 -7 true false null");
  EXPECT_EQ(Str("States.Format('{}|{}|{}', $.ratio, $.flag, $.nothing)"), "1.5|true|null");
}

TEST(IntrinsicFormat, NoPlaceholders) {
  EXPECT_EQ(Str("States.Format('plain text')"), "plain text");
}

TEST(IntrinsicFormat, EscapedBracesStayLiteral) {
  EXPECT_EQ(Str(R"(States.Format('literal \{\} and {}', 'x'))"), "literal {} and x");
  EXPECT_EQ(Str(R"(States.Format('\{{}\}', $.count))"), "{3}");
}

TEST(IntrinsicFormat, EscapedQuote) {
  EXPECT_EQ(Str(R"(States.Format('It\'s {}', $.name))"), "It's Bob");
}

TEST(IntrinsicFormat, EscapedBackslash) {
  EXPECT_EQ(Str(R"(States.Format('back\\slash {}', 1))"), "back\\slash 1");
}

TEST(IntrinsicFormat, StringArgumentsAreNotReinterpreted) {
  EXPECT_EQ(Str("States.Format('[{}]', $.braces)"), "[{}]");
  EXPECT_EQ(Str("States.Format('{}', 'a \\'quoted\\' arg')"), "a 'quoted' arg");
}

TEST(IntrinsicFormat, TemplateFromAPath) {
  EXPECT_EQ(Str("States.Format($.template, 'x')"), "v=x");
}

TEST(IntrinsicFormat, TooFewArguments) {
  Failure f = Fails("States.Format('{} and {}', 'a')");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause,
            "Invalid arguments in States.Format: the format string has more '{}' than there are "
            "arguments");
}

TEST(IntrinsicFormat, TooManyArguments) {
  Failure f = Fails("States.Format('{}', 'a', 'b')");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause,
            "Invalid arguments in States.Format: the format string has fewer '{}' than there are "
            "arguments");
}

TEST(IntrinsicFormat, ObjectAndArrayArgumentsFail) {
  EXPECT_EQ(Fails("States.Format('{}', $.obj)").error, "States.IntrinsicFailure");
  Failure f = Fails("States.Format('{}', $.nums)");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause,
            "Invalid arguments in States.Format: arguments to format must be strings, numbers, "
            "booleans or null");
}

TEST(IntrinsicFormat, TemplateMustBeAString) {
  Failure f = Fails("States.Format(1)");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause, "Invalid arguments in States.Format: the first argument must be a string");
}

// ---------------------------------------------------------------- JSON <-> string

TEST(IntrinsicStringToJson, ParsesObjectsAndArrays) {
  EXPECT_EQ(Ev("States.StringToJson($.json)"), R"({"a":[1,2],"b":"x"})");
  EXPECT_EQ(Ev("States.StringToJson('[1, 2.5, \"z\"]')"), R"([1,2.5,"z"])");
  EXPECT_EQ(Ev("States.StringToJson('42')"), "42");
}

TEST(IntrinsicStringToJson, InvalidJsonFails) {
  Failure f = Fails("States.StringToJson('{not json')");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_THAT(f.cause,
              StartsWith("Invalid arguments in States.StringToJson: the string is not JSON"));
}

TEST(IntrinsicStringToJson, NonStringFails) {
  Failure f = Fails("States.StringToJson($.obj)");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause, "Invalid arguments in States.StringToJson: the argument must be a string");
}

TEST(IntrinsicJsonToString, SerializesCompactly) {
  EXPECT_EQ(Str("States.JsonToString($.obj)"), R"({"a":1,"b":[true,null]})");
  EXPECT_EQ(Str("States.JsonToString($.nums)"), "[1,2,3,4,5]");
  EXPECT_EQ(Str("States.JsonToString($.name)"), "\"Bob\"");
  EXPECT_EQ(Str("States.JsonToString($.ratio)"), "1.5");
}

TEST(IntrinsicJsonToString, RoundTripsThroughStringToJson) {
  EXPECT_EQ(Ev("States.StringToJson(States.JsonToString($.obj))"), R"({"a":1,"b":[true,null]})");
}

// ---------------------------------------------------------------- arrays

TEST(IntrinsicArray, BuildsAnArrayOfItsArguments) {
  EXPECT_EQ(Ev("States.Array('a', 1, 2.5, $.obj, true, null)"),
            R"(["a",1,2.5,{"a":1,"b":[true,null]},true,null])");
  EXPECT_EQ(Ev("States.Array()"), "[]");
  EXPECT_EQ(Ev("States.Array($.nums)"), "[[1,2,3,4,5]]");
}

TEST(IntrinsicArrayPartition, ChunksWithAShortLastChunk) {
  EXPECT_EQ(Ev("States.ArrayPartition($.nums, 2)"), "[[1,2],[3,4],[5]]");
  EXPECT_EQ(Ev("States.ArrayPartition($.nums, 5)"), "[[1,2,3,4,5]]");
  EXPECT_EQ(Ev("States.ArrayPartition($.nums, 9)"), "[[1,2,3,4,5]]");
  EXPECT_EQ(Ev("States.ArrayPartition($.nums, 1)"), "[[1],[2],[3],[4],[5]]");
  EXPECT_EQ(Ev("States.ArrayPartition(States.Array(), 3)"), "[]");
}

TEST(IntrinsicArrayPartition, BadArgumentsFail) {
  Failure zero = Fails("States.ArrayPartition($.nums, 0)");
  EXPECT_EQ(zero.error, "States.IntrinsicFailure");
  EXPECT_EQ(
      zero.cause,
      "Invalid arguments in States.ArrayPartition: the chunk size must be a positive integer");
  EXPECT_EQ(Fails("States.ArrayPartition($.nums, -1)").error, "States.IntrinsicFailure");
  // AWS rounds a non-integer size: 1.5 -> 2.
  EXPECT_EQ(Ev("States.ArrayPartition($.nums, 1.5)"), "[[1,2],[3,4],[5]]");
  Failure not_array = Fails("States.ArrayPartition($.obj, 2)");
  EXPECT_EQ(not_array.cause,
            "Invalid arguments in States.ArrayPartition: the first argument must be an array");
}

TEST(IntrinsicArrayContains, FindsValuesByStructuralEquality) {
  EXPECT_EQ(Ev("States.ArrayContains($.nums, 3)"), "true");
  EXPECT_EQ(Ev("States.ArrayContains($.nums, 7)"), "false");
  EXPECT_EQ(Ev("States.ArrayContains($.nums, 3.0)"), "true");
  EXPECT_EQ(Ev("States.ArrayContains($.nums, '3')"), "false");
  EXPECT_EQ(Ev("States.ArrayContains($.robots, States.StringToJson('{\"b\":5}'))"), "true");
  EXPECT_EQ(Ev("States.ArrayContains(States.Array(), null)"), "false");
}

TEST(IntrinsicArrayContains, NonArrayFails) {
  Failure f = Fails("States.ArrayContains($.name, 'B')");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause,
            "Invalid arguments in States.ArrayContains: the first argument must be an array");
}

TEST(IntrinsicArrayRange, EndIsInclusive) {
  EXPECT_EQ(Ev("States.ArrayRange(1, 9, 2)"), "[1,3,5,7,9]");
  EXPECT_EQ(Ev("States.ArrayRange(1, 3, 1)"), "[1,2,3]");
  EXPECT_EQ(Ev("States.ArrayRange(4, 4, 1)"), "[4]");
}

TEST(IntrinsicArrayRange, StopsBeforeOvershootingTheEnd) {
  EXPECT_EQ(Ev("States.ArrayRange(0, 10, 3)"), "[0,3,6,9]");
}

TEST(IntrinsicArrayRange, NegativeStepCountsDown) {
  EXPECT_EQ(Ev("States.ArrayRange(5, 1, -2)"), "[5,3,1]");
  EXPECT_EQ(Ev("States.ArrayRange(0, -3, -1)"), "[0,-1,-2,-3]");
}

TEST(IntrinsicArrayRange, WrongDirectionIsEmpty) {
  EXPECT_EQ(Ev("States.ArrayRange(3, 1, 1)"), "[]");
  EXPECT_EQ(Ev("States.ArrayRange(1, 3, -1)"), "[]");
}

TEST(IntrinsicArrayRange, ThousandItemsIsTheLimit) {
  Result<Value> r = Eval("States.ArrayRange(1, 1000, 1)");
  ASSERT_TRUE(r.ok()) << r.failure().cause;
  ASSERT_EQ(r.value().as_array().size(), 1000u);
  EXPECT_EQ(r.value().as_array().front(), Value(1));
  EXPECT_EQ(r.value().as_array().back(), Value(1000));

  Failure f = Fails("States.ArrayRange(0, 1000, 1)");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause,
            "Invalid arguments in States.ArrayRange: the range would have more than 1000 items");
}

TEST(IntrinsicArrayRange, RangesNearTheInt64LimitsDoNotOverflow) {
  EXPECT_EQ(Ev("States.ArrayRange(9223372036854775800, 9223372036854775807, 5)"),
            "[9223372036854775800,9223372036854775805]");
  EXPECT_EQ(Ev("States.ArrayRange(-9223372036854775800, -9223372036854775807, -5)"),
            "[-9223372036854775800,-9223372036854775805]");
}

TEST(IntrinsicArrayRange, BadArgumentsFail) {
  EXPECT_EQ(Fails("States.ArrayRange(1, 5, 0)").cause,
            "Invalid arguments in States.ArrayRange: step must not be 0");
  EXPECT_EQ(Ev("States.ArrayRange(1.5, 5, 1)"), "[2,3,4,5]");  // rounded, as AWS does
  EXPECT_EQ(Fails("States.ArrayRange('1', 5, 1)").error, "States.IntrinsicFailure");
}

TEST(IntrinsicArrayRange, IntegralDoublesAreAccepted) {
  EXPECT_EQ(Ev("States.ArrayRange(1.0, 3, 1)"), "[1,2,3]");
}

TEST(IntrinsicArrayGetItem, ReturnsTheItem) {
  EXPECT_EQ(Ev("States.ArrayGetItem($.nums, 0)"), "1");
  EXPECT_EQ(Ev("States.ArrayGetItem($.nums, 4)"), "5");
  EXPECT_EQ(Ev("States.ArrayGetItem($.robots, 1)"), R"({"b":5})");
}

TEST(IntrinsicArrayGetItem, OutOfBoundsAndNegativeFail) {
  Failure f = Fails("States.ArrayGetItem($.nums, 5)");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(
      f.cause,
      "Invalid arguments in States.ArrayGetItem: index 5 is out of bounds for an array of 5 items");
  EXPECT_EQ(Fails("States.ArrayGetItem($.nums, -1)").cause,
            "Invalid arguments in States.ArrayGetItem: the index must be a non-negative integer");
  EXPECT_EQ(Fails("States.ArrayGetItem($.obj, 0)").cause,
            "Invalid arguments in States.ArrayGetItem: the first argument must be an array");
}

TEST(IntrinsicArrayLength, CountsItems) {
  EXPECT_EQ(Ev("States.ArrayLength($.nums)"), "5");
  EXPECT_EQ(Ev("States.ArrayLength(States.Array())"), "0");
  Failure f = Fails("States.ArrayLength($.name)");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause, "Invalid arguments in States.ArrayLength: the argument must be an array");
}

TEST(IntrinsicArrayUnique, KeepsFirstOccurrences) {
  EXPECT_EQ(Ev("States.ArrayUnique($.dupes)"), "[1,2,3,4]");
  EXPECT_EQ(Ev("States.ArrayUnique(States.Array(2, 1, 2.0, 'a', 'a', null, null))"),
            R"([2,1,"a",null])");
  EXPECT_EQ(Ev("States.ArrayUnique(States.Array($.obj, $.obj, $.left))"),
            R"([{"a":1,"b":[true,null]},{"x":1,"n":{"p":1,"q":2}}])");
  EXPECT_EQ(Fails("States.ArrayUnique($.obj)").error, "States.IntrinsicFailure");
}

// ---------------------------------------------------------------- Base64

TEST(IntrinsicBase64, Encode) {
  EXPECT_EQ(Str("States.Base64Encode('Data to encode')"), "RGF0YSB0byBlbmNvZGU=");
  EXPECT_EQ(Str("States.Base64Encode('a')"), "YQ==");
  EXPECT_EQ(Str("States.Base64Encode('ab')"), "YWI=");
  EXPECT_EQ(Str("States.Base64Encode('abc')"), "YWJj");
  EXPECT_EQ(Str("States.Base64Encode('')"), "");
}

TEST(IntrinsicBase64, Decode) {
  EXPECT_EQ(Str("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"), "Data to encode");
  EXPECT_EQ(Str("States.Base64Decode('YQ==')"), "a");
  EXPECT_EQ(Str("States.Base64Decode('YWI=')"), "ab");
  EXPECT_EQ(Str("States.Base64Decode('')"), "");
}

TEST(IntrinsicBase64, RoundTrip) {
  EXPECT_EQ(Str("States.Base64Decode(States.Base64Encode($.csv))"), "1,2,3,4,5");
}

TEST(IntrinsicBase64, InvalidInputFails) {
  for (const char* bad : {"States.Base64Decode('abc')", "States.Base64Decode('YQ=a')",
                          "States.Base64Decode('Y!==')", "States.Base64Decode('=QQQ')"}) {
    Failure f = Fails(bad);
    EXPECT_EQ(f.error, "States.IntrinsicFailure") << bad;
    EXPECT_EQ(f.cause, "Invalid arguments in States.Base64Decode: the argument is not valid Base64")
        << bad;
  }
  EXPECT_EQ(Fails("States.Base64Encode(1)").cause,
            "Invalid arguments in States.Base64Encode: the argument must be a string");
}

TEST(IntrinsicBase64, InputLimitIsTenThousandCharacters) {
  Value ok = Object{{"s", std::string(10000, 'a')}};
  Value big = Object{{"s", std::string(10001, 'a')}};
  EXPECT_TRUE(Eval("States.Base64Encode($.s)", ok).ok());
  Failure f = Fails("States.Base64Encode($.s)", big);
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause,
            "Invalid arguments in States.Base64Encode: the input is longer than 10000 characters");
  Value big_b64 = Object{{"s", std::string(10004, 'A')}};
  EXPECT_EQ(Fails("States.Base64Decode($.s)", big_b64).error, "States.IntrinsicFailure");
}

// ---------------------------------------------------------------- Hash

TEST(IntrinsicHash, Md5) {
  EXPECT_EQ(Str("States.Hash('input data', 'MD5')"), "812f45842bc6d66ee14572ce20db8e86");
}

TEST(IntrinsicHash, Sha1) {
  EXPECT_EQ(Str("States.Hash('input data', 'SHA-1')"), "aaff4a450a104cd177d28d18d74485e8cae074b7");
}

TEST(IntrinsicHash, Sha256) {
  EXPECT_EQ(Str("States.Hash('input data', 'SHA-256')"),
            "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3");
  EXPECT_EQ(Str("States.Hash('', 'SHA-256')"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(IntrinsicHash, Sha384) {
  EXPECT_EQ(Str("States.Hash('input data', 'SHA-384')"),
            "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e"
            "9374a15562");
}

TEST(IntrinsicHash, Sha512) {
  EXPECT_EQ(Str("States.Hash('input data', 'SHA-512')"),
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593f"
            "c50283731a"
            "533d30d425402d4f91316d871303aac4");
}

TEST(IntrinsicHash, HashesUtf8Bytes) {
  Value input = Object{{"s", "h\xc3\xa9llo"}};
  EXPECT_EQ(Str("States.Hash($.s, 'MD5')", input), "be50e8478cf24ff3595bc7307fb91b50");
}

TEST(IntrinsicHash, UnknownAlgorithmFails) {
  Failure f = Fails("States.Hash('x', 'SHA-2')");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(f.cause,
            "Invalid arguments in States.Hash: unknown algorithm 'SHA-2'; use MD5, SHA-1, SHA-256, "
            "SHA-384 or SHA-512");
  EXPECT_EQ(Fails("States.Hash('x', 'sha-256')").error, "States.IntrinsicFailure");
  EXPECT_EQ(Fails("States.Hash(1, 'MD5')").cause,
            "Invalid arguments in States.Hash: both arguments must be strings");
}

// ---------------------------------------------------------------- JsonMerge

TEST(IntrinsicJsonMerge, ShallowMergeReplacesNestedObjects) {
  EXPECT_EQ(Ev("States.JsonMerge($.left, $.right, false)"), R"({"x":1,"n":{"q":3},"y":2})");
}

TEST(IntrinsicJsonMerge, EmptyObjects) {
  EXPECT_EQ(Ev("States.JsonMerge($.left, States.StringToJson('{}'), false)"),
            R"({"x":1,"n":{"p":1,"q":2}})");
}

TEST(IntrinsicJsonMerge, BadArgumentsFail) {
  EXPECT_EQ(Fails("States.JsonMerge($.left, $.nums, false)").cause,
            "Invalid arguments in States.JsonMerge: the first two arguments must be objects");
  EXPECT_EQ(Fails("States.JsonMerge($.left, $.right, 'no')").cause,
            "Invalid arguments in States.JsonMerge: the third argument must be a boolean");
  EXPECT_EQ(Fails("States.JsonMerge($.left, $.right, true)").error, "States.IntrinsicFailure");
}

// ---------------------------------------------------------------- MathRandom

TEST(IntrinsicMathRandom, StaysWithinStartInclusiveEndExclusive) {
  SimpleScope scope(Input(), nullptr, nullptr, 99);
  auto call = ParseIntrinsic("States.MathRandom(0, 3)");
  ASSERT_TRUE(call.ok());
  std::set<int64_t> seen;
  for (int i = 0; i < 300; ++i) {
    Result<Value> r = EvaluateIntrinsic(*call, scope);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r.value().is_int64());
    seen.insert(r.value().get_int64());
  }
  EXPECT_EQ(seen, (std::set<int64_t>{0, 1, 2}));
}

TEST(IntrinsicMathRandom, SpanOfOneAlwaysYieldsStart) {
  for (uint64_t seed = 1; seed < 20; ++seed) {
    Result<Value> r = Eval("States.MathRandom(5, 6)", Input(), nullptr, nullptr, seed);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), Value(5));
  }
}

TEST(IntrinsicMathRandom, NegativeRange) {
  for (uint64_t seed = 1; seed < 50; ++seed) {
    Result<Value> r = Eval("States.MathRandom(-10, -5)", Input(), nullptr, nullptr, seed);
    ASSERT_TRUE(r.ok());
    int64_t v = r.value().as_int64();
    EXPECT_GE(v, -10);
    EXPECT_LT(v, -5);
  }
}

TEST(IntrinsicMathRandom, SeedArgumentIsDeterministic) {
  uint64_t state = 42;
  int64_t expected = 1 + static_cast<int64_t>(SplitMix64(state) % 999);
  for (uint64_t scope_seed : {1u, 2u, 3u}) {
    Result<Value> r = Eval("States.MathRandom(1, 1000, 42)", Input(), nullptr, nullptr, scope_seed);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), Value(expected)) << scope_seed;
  }
}

TEST(IntrinsicMathRandom, ScopeSeedMakesItDeterministic) {
  uint64_t state = 7;
  int64_t expected = 100 + static_cast<int64_t>(SplitMix64(state) % 900);
  Result<Value> a = Eval("States.MathRandom(100, 1000)", Input(), nullptr, nullptr, 7);
  Result<Value> b = Eval("States.MathRandom(100, 1000)", Input(), nullptr, nullptr, 7);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value(), Value(expected));
  EXPECT_EQ(b.value(), Value(expected));
}

TEST(IntrinsicMathRandom, BadArgumentsFail) {
  EXPECT_EQ(Fails("States.MathRandom(5, 5)").cause,
            "Invalid arguments in States.MathRandom: end must be greater than start");
  EXPECT_EQ(Fails("States.MathRandom(6, 5)").error, "States.IntrinsicFailure");
  EXPECT_EQ(Fails("States.MathRandom('1', 5)").cause,
            "Invalid arguments in States.MathRandom: start and end must be integers");
  EXPECT_EQ(Fails("States.MathRandom(1, 5, 'x')").cause,
            "Invalid arguments in States.MathRandom: the seed must be an integer");
}

// ---------------------------------------------------------------- MathAdd

TEST(IntrinsicMathAdd, AddsIntegers) {
  EXPECT_EQ(Ev("States.MathAdd(111, -1)"), "110");
  EXPECT_EQ(Ev("States.MathAdd($.count, 1)"), "4");
  EXPECT_EQ(Ev("States.MathAdd(-5, -5)"), "-10");
  EXPECT_EQ(Ev("States.MathAdd(2.0, 3)"), "5");
}

TEST(IntrinsicMathAdd, RoundsFractionsAndRejectsValuesOutsideInt32) {
  EXPECT_EQ(Ev("States.MathAdd($.ratio, 1)"), "3");  // 1.5 rounds half up to 2
  EXPECT_EQ(Ev("States.MathAdd(-2.5, 0)"), "-2");    // Java's Math.round
  EXPECT_EQ(Fails("States.MathAdd('1', 1)").error, "States.IntrinsicFailure");
  EXPECT_EQ(Fails("States.MathAdd($.big, 1)").cause,
            "Invalid arguments in States.MathAdd: 9223372036854775807 is outside the range "
            "-2147483648..2147483647");
  EXPECT_EQ(Ev("States.MathAdd(2147483647, 1)"), "2147483648");
}

// ---------------------------------------------------------------- StringSplit

TEST(IntrinsicStringSplit, SingleDelimiter) {
  EXPECT_EQ(Ev("States.StringSplit($.csv, ',')"), R"(["1","2","3","4","5"])");
}

TEST(IntrinsicStringSplit, EachCharacterOfTheSecondArgumentIsADelimiter) {
  EXPECT_EQ(Ev("States.StringSplit('This.is+a,test=string', '.+,=')"),
            R"(["This","is","a","test","string"])");
  EXPECT_EQ(Ev("States.StringSplit('a b-c', ' -')"), R"(["a","b","c"])");
}

TEST(IntrinsicStringSplit, EmptyPiecesAreDropped) {
  EXPECT_EQ(Ev("States.StringSplit(',a,,b,', ',')"), R"(["a","b"])");
  EXPECT_EQ(Ev("States.StringSplit('', ',')"), "[]");
  EXPECT_EQ(Ev("States.StringSplit(',,,', ',')"), "[]");
}

TEST(IntrinsicStringSplit, NoDelimiterFound) {
  EXPECT_EQ(Ev("States.StringSplit('abc', ',')"), R"(["abc"])");
}

TEST(IntrinsicStringSplit, NonStringsFail) {
  EXPECT_EQ(Fails("States.StringSplit($.nums, ',')").cause,
            "Invalid arguments in States.StringSplit: both arguments must be strings");
}

// ---------------------------------------------------------------- UUID

TEST(IntrinsicUuid, IsAVersion4Uuid) {
  const std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (uint64_t seed = 1; seed < 40; ++seed) {
    Result<Value> r = Eval("States.UUID()", Input(), nullptr, nullptr, seed);
    ASSERT_TRUE(r.ok());
    std::string s(r.value().as_string());
    EXPECT_TRUE(std::regex_match(s, v4)) << s;
  }
}

TEST(IntrinsicUuid, SuccessiveCallsDifferAndSeedsRepeat) {
  auto call = ParseIntrinsic("States.UUID()");
  ASSERT_TRUE(call.ok());
  SimpleScope a(Input(), nullptr, nullptr, 5), b(Input(), nullptr, nullptr, 5);
  Value a1 = EvaluateIntrinsic(*call, a).value();
  Value a2 = EvaluateIntrinsic(*call, a).value();
  Value b1 = EvaluateIntrinsic(*call, b).value();
  EXPECT_NE(a1, a2);
  EXPECT_EQ(a1, b1);
}

// ---------------------------------------------------------------- nesting and path arguments

TEST(IntrinsicNesting, CallsNest) {
  EXPECT_EQ(Ev("States.ArrayGetItem(States.StringSplit($.csv, ','), 1)"), "\"2\"");
  EXPECT_EQ(Ev("States.ArrayLength(States.ArrayRange(1, 10, 1))"), "10");
  EXPECT_EQ(Str("States.Format('{}', States.MathAdd(1, 2))"), "3");
  EXPECT_FALSE(ParseIntrinsic("States.JsonToString(States.Array(1, 'a'))").ok());  // needs a path
  EXPECT_EQ(Ev("States.ArrayPartition(States.ArrayRange(1, 5, 1), 2)"), "[[1,2],[3,4],[5]]");
}

TEST(IntrinsicNesting, ArgumentsMayHaveSpaces) {
  EXPECT_EQ(Ev("States.MathAdd( 1 ,  2 )"), "3");
  EXPECT_EQ(Ev("States.Array(  )"), "[]");
}

TEST(IntrinsicNesting, FailureInAnInnerCallPropagates) {
  Failure f = Fails("States.ArrayLength(States.ArrayGetItem($.nums, 9))");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_THAT(f.cause, HasSubstr("States.ArrayGetItem"));
}

TEST(IntrinsicPaths, PathArgumentsWithFiltersAndFunctions) {
  EXPECT_EQ(Ev("States.ArrayLength($.robots[?(@.b > 1)])"), "2");
  EXPECT_EQ(Ev("States.MathAdd($.nums.length(), 1)"), "6");
  EXPECT_EQ(Ev("States.Array($.robots[*].b)"), "[[1,5,9]]");
  EXPECT_EQ(Ev("States.Array($['site'])"), R"(["north"])");
}

TEST(IntrinsicPaths, ContextArguments) {
  Value context = P(R"({"Execution":{"Id":"exec-1"},"State":{"RetryCount":2}})");
  Result<Value> r = Eval("States.Format('{}#{}', $$.Execution.Id, $$.State.RetryCount)", Input(),
                         nullptr, &context);
  ASSERT_TRUE(r.ok()) << r.failure().cause;
  EXPECT_EQ(r.value(), Value("exec-1#2"));
}

TEST(IntrinsicPaths, VariableArguments) {
  Object vars{{"counter", 41}, {"robot", Object{{"id", "r7"}}}};
  Result<Value> r =
      Eval("States.Format('{}:{}', $robot.id, States.MathAdd($counter, 1))", Input(), &vars);
  ASSERT_TRUE(r.ok()) << r.failure().cause;
  EXPECT_EQ(r.value(), Value("r7:42"));
}

TEST(IntrinsicPaths, MissingPathIsARuntimeError) {
  Failure f = Fails("States.Format('{}', $.missing)");
  EXPECT_EQ(f.error, "States.Runtime");
  EXPECT_EQ(
      f.cause,
      "The JsonPath argument '$.missing' of an intrinsic function could not be found in the input");
}

TEST(IntrinsicPaths, UnknownVariableIsARuntimeError) {
  Object vars{{"known", 1}};
  Result<Value> r = Eval("States.MathAdd($unknown, 1)", Input(), &vars);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure().error, "States.Runtime");
  EXPECT_EQ(
      r.failure().cause,
      "The JsonPath argument '$unknown' of an intrinsic function could not be found in the input");
}

// ---------------------------------------------------------------- parsing

TEST(IntrinsicParse, RecordsArgumentKinds) {
  auto call = ParseIntrinsic("States.Format('a\\{b', $.x, States.UUID(), 2, true)");
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->function, Intrinsic::kFormat);
  EXPECT_EQ(call->name, "States.Format");
  ASSERT_EQ(call->args.size(), 5u);
  EXPECT_EQ(call->args[0].kind, IntrinsicArg::Kind::kLiteral);
  EXPECT_EQ(call->args[0].literal, Value("a{b"));
  EXPECT_EQ(call->args[0].raw, "a\\{b");
  EXPECT_EQ(call->args[1].kind, IntrinsicArg::Kind::kPath);
  EXPECT_EQ(call->args[1].path->text(), "$.x");
  EXPECT_EQ(call->args[2].kind, IntrinsicArg::Kind::kCall);
  EXPECT_EQ(call->args[2].call->function, Intrinsic::kUuid);
  EXPECT_EQ(call->args[3].literal, Value(2));
  EXPECT_EQ(call->args[4].literal, Value(true));
}

TEST(IntrinsicParse, AllEighteenFunctionsAreKnown) {
  const char* calls[] = {
      "States.Format('x')",           "States.StringToJson('1')",
      "States.JsonToString($)",       "States.Array()",
      "States.ArrayPartition($, 1)",  "States.ArrayContains($, 1)",
      "States.ArrayRange(1, 2, 1)",   "States.ArrayGetItem($, 0)",
      "States.ArrayLength($)",        "States.ArrayUnique($)",
      "States.Base64Encode('a')",     "States.Base64Decode('YQ==')",
      "States.Hash('a', 'MD5')",      "States.JsonMerge($, $, false)",
      "States.MathRandom(1, 2)",      "States.MathAdd(1, 2)",
      "States.StringSplit('a', ',')", "States.UUID()",
  };
  std::set<Intrinsic> functions;
  for (const char* c : calls) {
    auto call = ParseIntrinsic(c);
    ASSERT_TRUE(call.ok()) << c << ": " << call.status();
    functions.insert(call->function);
  }
  EXPECT_EQ(functions.size(), 18u);
}

TEST(IntrinsicParse, UnknownFunction) {
  std::string e = ParseError("States.Foo(1)");
  EXPECT_THAT(e, HasSubstr("unknown intrinsic function 'States.Foo'"));
  EXPECT_THAT(e, HasSubstr("(at character 1)"));
}

TEST(IntrinsicParse, UnknownNestedFunctionNamesItsPosition) {
  std::string e = ParseError("States.Array(States.Nope())");
  EXPECT_THAT(e, HasSubstr("unknown intrinsic function 'States.Nope'"));
  EXPECT_THAT(e, HasSubstr("(at character 14)"));
}

TEST(IntrinsicParse, FunctionNamesAreCaseSensitive) {
  EXPECT_THAT(ParseError("States.format('x')"),
              HasSubstr("unknown intrinsic function 'States.format'"));
}

TEST(IntrinsicParse, Arity) {
  EXPECT_THAT(ParseError("States.ArrayLength($.a, 2)"),
              HasSubstr("States.ArrayLength takes 1 argument, not 2"));
  EXPECT_THAT(ParseError("States.UUID(1)"), HasSubstr("States.UUID takes 0 arguments, not 1"));
  EXPECT_THAT(ParseError("States.MathRandom(1)"),
              HasSubstr("States.MathRandom takes 2 or 3 arguments, not 1"));
  EXPECT_THAT(ParseError("States.MathRandom(1, 2, 3, 4)"),
              HasSubstr("States.MathRandom takes 2 or 3 arguments, not 4"));
  EXPECT_THAT(ParseError("States.JsonMerge($.a, $.b)"),
              HasSubstr("States.JsonMerge takes 3 arguments, not 2"));
  EXPECT_THAT(ParseError("States.Format()"), HasSubstr("States.Format takes at least 1 argument"));
  EXPECT_THAT(ParseError("States.Array(States.Hash('a'))"),
              HasSubstr("States.Hash takes 2 arguments, not 1"));
}

TEST(IntrinsicParse, UnterminatedString) {
  std::string e = ParseError("States.Format('abc)");
  EXPECT_THAT(e, HasSubstr("unterminated string literal"));
  EXPECT_THAT(e, HasSubstr("(at character 15)"));
}

TEST(IntrinsicParse, MissingCloseParenthesis) {
  EXPECT_THAT(ParseError("States.Array(1, 2"),
              HasSubstr("expected ',' or ')' in the arguments of States.Array"));
}

TEST(IntrinsicParse, TrailingText) {
  EXPECT_THAT(ParseError("States.Array(1) x"), HasSubstr("unexpected text after the closing ')'"));
}

TEST(IntrinsicParse, BadArgument) {
  std::string e = ParseError("States.Array(foo)");
  EXPECT_THAT(e, HasSubstr("expected an argument"));
  EXPECT_THAT(e, HasSubstr("(at character 14)"));
}

TEST(IntrinsicParse, BadPathArgument) {
  EXPECT_THAT(ParseError("States.Array($.a[)"), HasSubstr("invalid JSONPath"));
}

TEST(IntrinsicParse, MissingOpenParenthesis) {
  EXPECT_THAT(ParseError("States.UUID"), HasSubstr("expected '(' after States.UUID"));
}

TEST(IntrinsicParse, LooksLikeIntrinsic) {
  EXPECT_TRUE(LooksLikeIntrinsic("States.Format('x')"));
  EXPECT_TRUE(LooksLikeIntrinsic("  States.Array()"));
  EXPECT_FALSE(LooksLikeIntrinsic("$.a"));
  EXPECT_FALSE(LooksLikeIntrinsic("States.Format"));
  EXPECT_FALSE(LooksLikeIntrinsic("states.Array()"));
}

}  // namespace
}  // namespace fleetflow::json
