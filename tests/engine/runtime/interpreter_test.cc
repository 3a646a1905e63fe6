#include <gtest/gtest.h>

#include "engine/definition/loader.h"
#include "engine/runtime/local_runner.h"

namespace fleetflow::runtime {
namespace {

RunResult RunMachine(std::string_view definition, std::string_view input,
                     InterpreterOptions options = {}) {
  auto loaded = definition::LoadAsl(definition);
  EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].message);
  Interpreter interpreter(loaded.machine, options);
  ResourceRegistry registry;
  VirtualClock clock(absl::FromUnixSeconds(1'700'000'000));
  LocalRunner runner(interpreter, registry, clock);
  return runner.Run({"exec", "Machine", 7}, json::Share(*json::Parse(input)));
}

TEST(Interpreter, MapNeverHoldsMoreFramesThanMaxConcurrency) {
  auto r = RunMachine(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":10,
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                      [] {
                        std::string items = "[";
                        for (int i = 0; i < 100000; ++i) items += (i ? ",1" : "1");
                        return items + "]";
                      }(),
                      InterpreterOptions{.max_history_events = 1'000'000});
  ASSERT_EQ(r.state.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.state.output->as_array().size(), 100000u);
  // The root frame plus at most 10 iteration frames were ever allocated.
  EXPECT_LE(r.state.frames.size(), 11u);
}

TEST(Interpreter, AnEndlessLoopStopsAtTheHistoryLimit) {
  auto r = RunMachine(R"({"StartAt":"L","States":{
      "L":{"Type":"Pass","Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Variable":"$.never","IsPresent":true,"Next":"S"}],"Default":"L"},
      "S":{"Type":"Succeed"}}})",
                      "{}");
  ASSERT_EQ(r.state.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.state.failure.error, "States.Runtime");
  EXPECT_EQ(r.state.failure.cause, "The execution reached the limit of 25000 history events");
}

TEST(Interpreter, HistoryChainsEventIds) {
  auto r = RunMachine(
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}})", "{}");
  std::vector<std::string> types;
  for (size_t i = 0; i < r.history.size(); ++i) {
    EXPECT_EQ(r.history[i].id, static_cast<int64_t>(i + 1));
    types.push_back(EventTypeName(r.history[i]));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                             "PassStateExited", "SucceedStateEntered",
                                             "SucceedStateExited", "ExecutionSucceeded"}));
}

}  // namespace
}  // namespace fleetflow::runtime
