#include <gtest/gtest.h>

#include "engine/definition/loader.h"
#include "engine/runtime/local_runner.h"
#include "engine/runtime/state_codec.h"

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

TEST(Interpreter, AHeartbeatReArmsTheTimerWithTheSecondsReadAtDispatch) {
  auto loaded = definition::LoadAsl(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"r","HeartbeatSecondsPath":"$.beat","End":true}}})");
  ASSERT_TRUE(loaded.ok());
  Interpreter interpreter(loaded.machine);
  ExecutionState state;
  absl::Time t0 = absl::FromUnixSeconds(1'700'000'000);
  Decision start = interpreter.Start(state, {"exec", "Machine", 7},
                                     json::Share(*json::Parse(R"({"beat":10})")), t0);
  std::string token;
  for (const Command& c : start.commands) {
    if (const auto* task = std::get_if<DispatchTask>(&c)) token = task->token;
  }
  ASSERT_FALSE(token.empty());
  // Through the codec, as the durable engine keeps it between steps.
  auto stored = DecodeState(EncodeState(state));
  ASSERT_TRUE(stored.ok());
  state = *stored;
  Decision beat = interpreter.Handle(state, TaskHeartbeatEvent{token}, t0 + absl::Seconds(5));
  std::vector<absl::Time> armed;
  for (const Command& c : beat.commands) {
    if (const auto* timer = std::get_if<ArmTimer>(&c)) armed.push_back(timer->due);
  }
  EXPECT_EQ(armed, std::vector<absl::Time>{t0 + absl::Seconds(15)});
}

}  // namespace
}  // namespace fleetflow::runtime
