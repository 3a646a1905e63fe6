#include <gtest/gtest.h>

#include "engine/definition/loader.h"

namespace fleetflow::definition {
namespace {

TEST(Loader, YamlLoadsTheSameMachineAsJson) {
  auto yaml = LoadAsl(R"(
StartAt: First
States:
  First:
    Type: Pass
    Result: {count: 3, name: "007"}
    Next: Done
  Done:
    Type: Succeed
)");
  ASSERT_TRUE(yaml.ok()) << yaml.errors[0].location << " " << yaml.errors[0].message;
  const Graph& g = yaml.machine->top();
  ASSERT_EQ(g.states.size(), 2u);
  EXPECT_EQ(g.states[0].next, 1);
  const json::Value& result = *g.states[0].As<PassSpec>().result;
  EXPECT_EQ(json::Serialize(result), R"({"count":3,"name":"007"})");
}

TEST(Loader, ResolvesNamesToIndices) {
  auto r = LoadAsl(
      R"({"StartAt":"B","States":{"A":{"Type":"Succeed"},"B":{"Type":"Pass","Next":"A"}}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.machine->top().start, 1);
  EXPECT_EQ(r.machine->top().states[1].next, 0);
}

}  // namespace
}  // namespace fleetflow::definition
