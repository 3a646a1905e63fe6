#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/json/eval_scope.h"
#include "engine/json/json.h"
#include "engine/json/payload_template.h"

namespace fleetflow::json {
namespace {

using ::testing::HasSubstr;

Value P(std::string_view text) { return *Parse(text); }

using Errors = std::vector<std::pair<std::string, std::string>>;

PayloadTemplate Compile(std::string_view source, Errors* errors = nullptr) {
  Errors local;
  Errors& sink = errors ? *errors : local;
  PayloadTemplate t = PayloadTemplate::Compile(
      P(source), [&](const std::string& pointer, const std::string& message) {
        sink.emplace_back(pointer, message);
      });
  if (errors == nullptr) {
    EXPECT_TRUE(local.empty()) << local[0].first << ": " << local[0].second;
  }
  return t;
}

const Value& Input() {
  static const Value doc = P(R"({
    "name": "Bob",
    "robot": {"id": "r1", "battery": 15},
    "robots": [{"id": "a"}, {"id": "b"}],
    "n": 2
  })");
  return doc;
}

std::string Eval(std::string_view source, const Value& input = Input(),
                 const Value* context = nullptr, const Object* vars = nullptr) {
  PayloadTemplate t = Compile(source);
  SimpleScope scope(input, context, vars);
  Result<Value> r = t.Evaluate(scope);
  if (!r.ok()) return "<" + r.failure().error + ": " + r.failure().cause + ">";
  return Serialize(r.value());
}

Failure EvalFailure(std::string_view source, const Value& input = Input(),
                    const Value* context = nullptr, const Object* vars = nullptr) {
  PayloadTemplate t = Compile(source);
  SimpleScope scope(input, context, vars);
  Result<Value> r = t.Evaluate(scope);
  if (r.ok()) return Failure{"<ok>", Serialize(r.value())};
  return r.failure();
}

// ---------------------------------------------------------------- evaluation

TEST(PayloadTemplate, ConstantTemplateIsItsOwnOutput) {
  PayloadTemplate t = Compile(R"({"a":1,"b":{"c":[1,"x",null]},"d.e":"$.name"})");
  EXPECT_TRUE(t.is_constant());
  SimpleScope scope(Input());
  EXPECT_EQ(Serialize(t.Evaluate(scope).value()),
            R"({"a":1,"b":{"c":[1,"x",null]},"d.e":"$.name"})");
}

TEST(PayloadTemplate, PathFieldsDropTheSuffixAndKeepKeyOrder) {
  PayloadTemplate t =
      Compile(R"({"robot.$":"$.robot.id","fixed":"x","battery.$":"$.robot.battery"})");
  EXPECT_FALSE(t.is_constant());
  SimpleScope scope(Input());
  EXPECT_EQ(Serialize(t.Evaluate(scope).value()), R"({"robot":"r1","fixed":"x","battery":15})");
}

TEST(PayloadTemplate, WholeInput) {
  EXPECT_EQ(Eval(R"({"all.$":"$"})", P(R"({"k":[1]})")), R"({"all":{"k":[1]}})");
}

TEST(PayloadTemplate, PathSelectingAnObject) {
  EXPECT_EQ(Eval(R"({"r.$":"$.robot"})"), R"({"r":{"id":"r1","battery":15}})");
}

TEST(PayloadTemplate, IndefinitePathsYieldArrays) {
  EXPECT_EQ(Eval(R"({"ids.$":"$.robots[*].id"})"), R"({"ids":["a","b"]})");
  EXPECT_EQ(Eval(R"({"one.$":"$.robots[?(@.id == 'b')].id"})"), R"({"one":["b"]})");
}

TEST(PayloadTemplate, PathWithFunction) {
  EXPECT_EQ(Eval(R"j({"count.$":"$.robots.length()"})j"), R"j({"count":2})j");
}

TEST(PayloadTemplate, IntrinsicFields) {
  EXPECT_EQ(
      Eval(R"j({"msg.$":"States.Format('hi {}', $.name)","sum.$":"States.MathAdd($.n, 40)"})j"),
      R"({"msg":"hi Bob","sum":42})");
}

TEST(PayloadTemplate, NestedObjects) {
  PayloadTemplate t =
      Compile(R"({"outer":{"inner.$":"$.name","k":1,"deeper":{"id.$":"$.robot.id"}},"top":true})");
  EXPECT_FALSE(t.is_constant());
  SimpleScope scope(Input());
  EXPECT_EQ(Serialize(t.Evaluate(scope).value()),
            R"({"outer":{"inner":"Bob","k":1,"deeper":{"id":"r1"}},"top":true})");
}

TEST(PayloadTemplate, ObjectsInsideArrays) {
  EXPECT_EQ(Eval(R"({"list":[{"x.$":"$.n"},2,"y",[{"z.$":"$.name"}]]})"),
            R"({"list":[{"x":2},2,"y",[{"z":"Bob"}]]})");
}

TEST(PayloadTemplate, StringsInsideArraysAreNotPaths) {
  EXPECT_EQ(Eval(R"j({"list":["$.name","States.UUID()"]})j"),
            R"j({"list":["$.name","States.UUID()"]})j");
}

TEST(PayloadTemplate, TopLevelArrayTemplate) {
  EXPECT_EQ(Eval(R"([{"a.$":"$.n"},{"b":1}])"), R"([{"a":2},{"b":1}])");
}

TEST(PayloadTemplate, ConstantsOfEveryKind) {
  EXPECT_EQ(Eval(R"({"s":"t","i":-3,"d":2.5,"b":false,"z":null,"a":[],"o":{},"p.$":"$.n"})"),
            R"({"s":"t","i":-3,"d":2.5,"b":false,"z":null,"a":[],"o":{},"p":2})");
}

TEST(PayloadTemplate, ContextObject) {
  Value context = P(R"({"Execution":{"Id":"arn:x","Name":"run-1"},"Map":{"Item":{"Index":4}}})");
  EXPECT_EQ(Eval(R"({"id.$":"$$.Execution.Id","idx.$":"$$.Map.Item.Index","ctx.$":"$$.Execution"})",
                 Input(), &context),
            R"({"id":"arn:x","idx":4,"ctx":{"Id":"arn:x","Name":"run-1"}})");
}

TEST(PayloadTemplate, Variables) {
  Object vars{{"counter", 7}, {"robot", Object{{"id", "r9"}, {"tags", Array{"x", "y"}}}}};
  EXPECT_EQ(Eval(R"({"c.$":"$counter","id.$":"$robot.id","t.$":"$robot.tags[1]","all.$":"$robot"})",
                 Input(), nullptr, &vars),
            R"({"c":7,"id":"r9","t":"y","all":{"id":"r9","tags":["x","y"]}})");
}

TEST(PayloadTemplate, VariablesInIntrinsics) {
  Object vars{{"counter", 7}};
  EXPECT_EQ(Eval(R"j({"next.$":"States.MathAdd($counter, 1)"})j", Input(), nullptr, &vars),
            R"j({"next":8})j");
}

TEST(PayloadTemplate, EvaluatesAgainEachTime) {
  PayloadTemplate t = Compile(R"({"v.$":"$.v"})");
  Value one = P(R"({"v":1})"), two = P(R"({"v":"two"})");
  SimpleScope s1(one), s2(two);
  EXPECT_EQ(Serialize(t.Evaluate(s1).value()), R"({"v":1})");
  EXPECT_EQ(Serialize(t.Evaluate(s2).value()), R"({"v":"two"})");
}

// ---------------------------------------------------------------- runtime failures

TEST(PayloadTemplate, MissingPathIsARuntimeErrorWithAwsCause) {
  Failure f = EvalFailure(R"({"x.$":"$.missing"})", P(R"({"a":1})"));
  EXPECT_EQ(f.error, "States.Runtime");
  EXPECT_EQ(
      f.cause,
      R"(The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{"a":1}')");
}

TEST(PayloadTemplate, MissingNestedPathNamesTheNestedField) {
  Failure f = EvalFailure(R"({"outer":{"inner.$":"$.robot.nope"}})");
  EXPECT_EQ(f.error, "States.Runtime");
  EXPECT_THAT(f.cause, HasSubstr("The JSONPath '$.robot.nope' specified for the field 'inner.$' "
                                 "could not be found in the input '"));
}

TEST(PayloadTemplate, MissingContextPath) {
  Value context = P(R"({"Execution":{"Id":"e"}})");
  Failure f = EvalFailure(R"({"x.$":"$$.Task.Token"})", Input(), &context);
  EXPECT_EQ(f.error, "States.Runtime");
  EXPECT_EQ(
      f.cause,
      R"(The JSONPath '$$.Task.Token' specified for the field 'x.$' could not be found in the context object '{"Execution":{"Id":"e"}}')");
}

TEST(PayloadTemplate, MissingVariable) {
  Object vars{{"a", 1}};
  Failure f = EvalFailure(R"({"x.$":"$b"})", Input(), nullptr, &vars);
  EXPECT_EQ(f.error, "States.Runtime");
  EXPECT_EQ(f.cause,
            "The JSONPath '$b' specified for the field 'x.$' could not be found in the variables");
}

TEST(PayloadTemplate, MissingFieldOfAVariable) {
  Object vars{{"a", Object{{"k", 1}}}};
  Failure f = EvalFailure(R"({"x.$":"$a.nope"})", Input(), nullptr, &vars);
  EXPECT_EQ(f.error, "States.Runtime");
  EXPECT_EQ(
      f.cause,
      "The JSONPath '$a.nope' specified for the field 'x.$' could not be found in the variables");
}

TEST(PayloadTemplate, FunctionThatCannotApplyIsARuntimeError) {
  Failure f = EvalFailure(R"j({"x.$":"$.name.sum()"})j");
  EXPECT_EQ(f.error, "States.Runtime");
  EXPECT_THAT(f.cause, HasSubstr("The JSONPath '$.name.sum()' specified for the field 'x.$'"));
}

TEST(PayloadTemplate, IntrinsicFailurePropagates) {
  Failure f = EvalFailure(R"j({"ok":1,"x.$":"States.ArrayGetItem($.robots, 5)"})j");
  EXPECT_EQ(f.error, "States.IntrinsicFailure");
  EXPECT_EQ(
      f.cause,
      "Invalid arguments in States.ArrayGetItem: index 5 is out of bounds for an array of 2 items");
}

TEST(PayloadTemplate, IntrinsicPathArgumentMissingIsRuntime) {
  Failure f = EvalFailure(R"j({"x.$":"States.Format('{}', $.nope)"})j");
  EXPECT_EQ(f.error, "States.Runtime");
}

// ---------------------------------------------------------------- compile errors

TEST(PayloadTemplateCompile, NonStringDynamicValue) {
  Errors errors;
  Compile(R"({"a.$":5})", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, "/a.$");
  EXPECT_EQ(
      errors[0].second,
      R"(the value of "a.$" must be a string holding a path or an intrinsic function, not number)");
}

TEST(PayloadTemplateCompile, NeitherPathNorIntrinsic) {
  Errors errors;
  Compile(R"({"nested":{"b.$":"hello"}})", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, "/nested/b.$");
  EXPECT_EQ(
      errors[0].second,
      R"("hello" is neither a path (starting with '$') nor an intrinsic function (States.Name(...)); drop the ".$" from the key for a constant)");
}

TEST(PayloadTemplateCompile, BadPath) {
  Errors errors;
  Compile(R"({"x.$":"$.a["})", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, "/x.$");
  EXPECT_THAT(errors[0].second, HasSubstr("invalid JSONPath '$.a['"));
  EXPECT_THAT(errors[0].second, HasSubstr("(at character 4)"));
}

TEST(PayloadTemplateCompile, BadIntrinsic) {
  Errors errors;
  Compile(R"j({"x.$":"States.Nope(1)","y.$":"States.ArrayLength()"})j", &errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].first, "/x.$");
  EXPECT_THAT(errors[0].second, HasSubstr("unknown intrinsic function 'States.Nope'"));
  EXPECT_EQ(errors[1].first, "/y.$");
  EXPECT_THAT(errors[1].second, HasSubstr("States.ArrayLength takes 1 argument, not 0"));
}

TEST(PayloadTemplateCompile, PointersInsideArraysAndEscapes) {
  Errors errors;
  Compile(R"({"list":[1,{"x.$":true}],"a/b.$":"nope","t~.$":[]})", &errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].first, "/list/1/x.$");
  EXPECT_THAT(errors[0].second, HasSubstr("not boolean"));
  EXPECT_EQ(errors[1].first, "/a~1b.$");
  EXPECT_EQ(errors[2].first, "/t~0.$");
  EXPECT_THAT(errors[2].second, HasSubstr("not array"));
}

TEST(PayloadTemplateCompile, EveryErrorIsReported) {
  Errors errors;
  Compile(R"({"a.$":1,"b.$":"x","c":{"d.$":null},"ok.$":"$.fine"})", &errors);
  std::vector<std::string> pointers;
  for (const auto& e : errors) pointers.push_back(e.first);
  EXPECT_EQ(pointers, (std::vector<std::string>{"/a.$", "/b.$", "/c/d.$"}));
}

// ---------------------------------------------------------------- helpers

TEST(PayloadTemplate, TopLevelKeys) {
  EXPECT_EQ(Compile(R"({"a.$":"$.x","b":1,"c":{"d.$":"$.y"}})").TopLevelKeys(),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Compile(R"({"x":1,"y":2})").TopLevelKeys(), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(Compile(R"([1,2])").TopLevelKeys().empty());
}

TEST(CompileDynamicValue, ClassifiesPathsAndIntrinsics) {
  PayloadTemplate::Node path_node, call_node, bad_node;
  EXPECT_EQ(CompileDynamicValue("$.a.b", path_node), "");
  EXPECT_EQ(path_node.kind, PayloadTemplate::Node::Kind::kPath);
  EXPECT_EQ(path_node.path->text(), "$.a.b");
  EXPECT_EQ(CompileDynamicValue("States.UUID()", call_node), "");
  EXPECT_EQ(call_node.kind, PayloadTemplate::Node::Kind::kIntrinsic);
  EXPECT_EQ(call_node.call->function, Intrinsic::kUuid);
  EXPECT_THAT(CompileDynamicValue("States.UUID", bad_node), HasSubstr("is neither a path"));
  EXPECT_THAT(CompileDynamicValue("", bad_node), HasSubstr("is neither a path"));
}

}  // namespace
}  // namespace fleetflow::json
