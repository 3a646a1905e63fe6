// RedriveExecution in the interpreter: what runs again, what is kept, and
// what cannot be redriven.

#include <gtest/gtest.h>

#include <deque>
#include <functional>

#include "engine/runtime/interpreter.h"
#include "engine/runtime/state_codec.h"
#include "tests/engine/runtime/runtime_test_util.h"

namespace fleetflow::runtime {
namespace {

using testing::J;
using testing::kT0;
using testing::Load;

// Drives the interpreter by hand: tasks are queued and answered by `answer`,
// which may also leave a task unanswered (nullopt).
class Driver {
 public:
  using Answer = std::function<std::optional<TaskOutcome>(const DispatchTask&)>;

  Driver(std::string_view definition, Answer answer)
      : interpreter_(Load(definition)), answer_(std::move(answer)) {}

  void Start(std::string_view input) {
    Absorb(interpreter_.Start(state_, {"exec", "Machine", 7}, json::Share(J(input)), now_));
    Pump();
  }
  void Redrive() {
    // Each attempt goes through the codec, as the durable engine stores it.
    auto decoded = DecodeState(EncodeState(state_));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    state_ = std::move(decoded).value();
    Absorb(interpreter_.Redrive(state_, now_));
    Pump();
  }
  void Stop() { Absorb(interpreter_.Handle(state_, AbortEvent{"Stopped", "by the test"}, now_)); }
  void FireTimers() {
    while (!timers_.empty() && state_.status == ExecutionStatus::kRunning) {
      auto [id, due] = timers_.front();
      timers_.pop_front();
      now_ = std::max(now_, due);
      Absorb(interpreter_.Handle(state_, TimerFiredEvent{id}, now_));
      Pump();
    }
  }
  void set_answer(Answer answer) { answer_ = std::move(answer); }

  const ExecutionState& state() const { return state_; }
  std::string Output() const { return state_.output ? json::Serialize(*state_.output) : "<none>"; }
  // "State:input" of every task dispatched since the last call.
  std::vector<std::string> TakeDispatched() { return std::exchange(dispatched_, {}); }
  std::vector<std::string> EventNames() const {
    std::vector<std::string> names;
    for (const HistoryEvent& e : history_) names.push_back(EventTypeName(e));
    return names;
  }
  const std::vector<HistoryEvent>& history() const { return history_; }

 private:
  void Absorb(Decision d) {
    for (HistoryEvent& e : d.history) history_.push_back(std::move(e));
    for (Command& c : d.commands) {
      if (auto* task = std::get_if<DispatchTask>(&c)) {
        dispatched_.push_back(task->state_name + ":" + json::Serialize(*task->input));
        queue_.push_back(*task);
      } else if (auto* timer = std::get_if<ArmTimer>(&c)) {
        timers_.emplace_back(timer->timer_id, timer->due);
      }
    }
  }
  void Pump() {
    while (!queue_.empty()) {
      DispatchTask task = std::move(queue_.front());
      queue_.pop_front();
      std::optional<TaskOutcome> outcome = answer_(task);
      if (!outcome) continue;
      if (!outcome->ok()) {
        const Failure& failure = outcome->failure();
        Absorb(interpreter_.Handle(
            state_, TaskFailedEvent{task.token, failure.error, failure.cause}, now_));
      } else {
        Absorb(interpreter_.Handle(state_, TaskSucceededEvent{task.token, outcome->value()}, now_));
      }
    }
  }

  Interpreter interpreter_;
  Answer answer_;
  ExecutionState state_;
  absl::Time now_ = kT0;
  std::deque<DispatchTask> queue_;
  std::deque<std::pair<int64_t, absl::Time>> timers_;
  std::vector<std::string> dispatched_;
  std::vector<HistoryEvent> history_;
};

std::optional<TaskOutcome> EchoAll(const DispatchTask& t) { return *t.input; }

TEST(Redrive, ContinuesFromTheFailedStateWithItsInput) {
  Driver d(R"({"StartAt":"Prepare","States":{
      "Prepare":{"Type":"Pass","Result":{"room":"kitchen"},"Next":"Clean"},
      "Clean":{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["Robot.Busy"],"MaxAttempts":1,
               "IntervalSeconds":1}],"Next":"Report"},
      "Report":{"Type":"Pass","Parameters":{"done.$":"$.room"},"End":true}}})",
           [](const DispatchTask&) -> std::optional<TaskOutcome> {
             return Failure{"Robot.Busy", "still busy"};
           });
  d.Start("{}");
  d.FireTimers();  // the one retry fails too
  ASSERT_EQ(d.state().status, ExecutionStatus::kFailed);
  EXPECT_EQ(d.TakeDispatched().size(), 2u);
  EXPECT_EQ(RedriveBlocker(d.state()), "");

  d.set_answer(EchoAll);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded) << d.state().failure.cause;
  EXPECT_EQ(d.Output(), R"({"done":"kitchen"})");
  // Only Clean ran again, with the input it failed with; Prepare did not.
  EXPECT_EQ(d.TakeDispatched(), std::vector<std::string>{R"(Clean:{"room":"kitchen"})"});
  EXPECT_EQ(d.state().redrive_count, 1);
  std::vector<std::string> names = d.EventNames();
  auto redriven = std::find(names.begin(), names.end(), "ExecutionRedriven");
  ASSERT_NE(redriven, names.end());
  EXPECT_EQ(std::vector<std::string>(redriven, names.end()),
            (std::vector<std::string>{"ExecutionRedriven", "TaskStateEntered", "TaskScheduled",
                                      "TaskSucceeded", "TaskStateExited", "PassStateEntered",
                                      "PassStateExited", "ExecutionSucceeded"}));
  // Event ids go on from the failed attempt, with no gap.
  for (size_t i = 0; i < d.history().size(); ++i)
    EXPECT_EQ(d.history()[i].id, static_cast<int64_t>(i + 1));
  const HistoryEvent& event = d.history()[static_cast<size_t>(redriven - names.begin())];
  json::Value as_json = EventToJson(event);
  EXPECT_EQ(json::Serialize(as_json.at("executionRedrivenEventDetails")), R"({"redriveCount":1})");
  EXPECT_EQ(event.previous_id, event.id - 1);
}

TEST(Redrive, ParallelRunsOnlyTheBranchesThatFailedOrWereAborted) {
  Driver d(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","Parameters":{"b":"a"},"End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"r","Parameters":{"b":"b"},"End":true}}},
      {"StartAt":"C0","States":{"C0":{"Type":"Pass","Next":"C"},
        "C":{"Type":"Task","Resource":"r","Parameters":{"b":"c"},"End":true}}}]}}})",
           [](const DispatchTask& t) -> std::optional<TaskOutcome> {
             if (t.state_name == "A") return *t.input;
             if (t.state_name == "B") return Failure{"Dock.Lost", "no dock"};
             return std::nullopt;  // C is still running when B fails
           });
  d.Start("{}");
  ASSERT_EQ(d.state().status, ExecutionStatus::kFailed);
  EXPECT_EQ(d.state().failure.error, "Dock.Lost");
  d.TakeDispatched();

  d.set_answer(EchoAll);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded) << d.state().failure.cause;
  EXPECT_EQ(d.Output(), R"([{"b":"a"},{"b":"b"},{"b":"c"}])");
  std::vector<std::string> again = d.TakeDispatched();
  std::sort(again.begin(), again.end());
  EXPECT_EQ(again, (std::vector<std::string>{R"(B:{"b":"b"})", R"(C:{"b":"c"})"}));
}

TEST(Redrive, MapKeepsFinishedIterationsAndStartsTheRest) {
  Driver d(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"End":true,
      "ItemProcessor":{"StartAt":"Clean","States":{
        "Clean":{"Type":"Task","Resource":"r","End":true}}}}}})",
           [](const DispatchTask& t) -> std::optional<TaskOutcome> {
             if (json::Serialize(*t.input) == "3") return Failure{"Room.Locked", "door"};
             return json::Value(json::AsDouble(*t.input) * 10);
           });
  d.Start("[1,2,3,4,5]");
  ASSERT_EQ(d.state().status, ExecutionStatus::kFailed);
  EXPECT_EQ(d.state().failure.error, "Room.Locked");
  std::vector<std::string> first = d.TakeDispatched();
  // 1 and 2, then 3 and 4 as they finish; 3 fails, 4 is aborted, 5 never starts.
  EXPECT_EQ(first.size(), 4u);

  d.set_answer([](const DispatchTask& t) -> std::optional<TaskOutcome> {
    return json::Value(json::AsDouble(*t.input) * 10);
  });
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded) << d.state().failure.cause;
  EXPECT_EQ(d.Output(), "[10.0,20.0,30.0,40.0,50.0]");
  EXPECT_EQ(d.TakeDispatched(), (std::vector<std::string>{"Clean:3", "Clean:4", "Clean:5"}));
}

TEST(Redrive, AToleratedFailureIsKeptAndOnlyTheFatalIterationRunsAgain) {
  Driver d(R"({"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,"End":true,
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"r","End":true}}}}}})",
           [](const DispatchTask& t) -> std::optional<TaskOutcome> {
             std::string item = json::Serialize(*t.input);
             if (item == "2" || item == "4") return Failure{"Bad", item};
             return *t.input;
           });
  d.Start("[1,2,3,4]");
  ASSERT_EQ(d.state().status, ExecutionStatus::kFailed);
  EXPECT_EQ(d.state().failure.error, "States.ExceedToleratedFailureThreshold");
  d.TakeDispatched();
  d.set_answer(EchoAll);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded) << d.state().failure.cause;
  EXPECT_EQ(d.Output(), R"([1,{"Error":"Bad","Cause":"2"},3,4])");
  EXPECT_EQ(d.TakeDispatched(), std::vector<std::string>{"T:4"});
}

TEST(Redrive, NestedParallelInsideAMapIteration) {
  Driver d(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"X","States":{"X":{"Type":"Task","Resource":"r","End":true}}},
        {"StartAt":"Y","States":{"Y":{"Type":"Task","Resource":"r","End":true}}}]}}}}}})",
           [](const DispatchTask& t) -> std::optional<TaskOutcome> {
             if (t.state_name == "Y" && json::Serialize(*t.input) == "2")
               return Failure{"Y.Failed", ""};
             return *t.input;
           });
  d.Start("[1,2]");
  ASSERT_EQ(d.state().status, ExecutionStatus::kFailed);
  d.TakeDispatched();
  d.set_answer(EchoAll);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded) << d.state().failure.cause;
  EXPECT_EQ(d.Output(), "[[1,1],[2,2]]");
  EXPECT_EQ(d.TakeDispatched(), std::vector<std::string>{"Y:2"});
}

TEST(Redrive, ACaughtFailureLeavesNothingToRedriveOnSuccess) {
  Driver d(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled"}],"Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true}}}]},
      "Handled":{"Type":"Pass","End":true}}})",
           [](const DispatchTask&) -> std::optional<TaskOutcome> {
             return Failure{"Oops", ""};
           });
  d.Start("{}");
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded);
  EXPECT_TRUE(d.state().unwound.empty());
  EXPECT_EQ(RedriveBlocker(d.state()), "Execution is SUCCEEDED and cannot be redriven");
}

TEST(Redrive, ACaughtFailureThenALaterFailureRedrivesOnlyTheLaterOne) {
  Driver d(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Last",
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Last"}],"Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true}}}]},
      "Last":{"Type":"Task","Resource":"r","Parameters":{"last":true},"End":true}}})",
           [](const DispatchTask& t) -> std::optional<TaskOutcome> {
             return Failure{t.state_name + ".Failed", ""};
           });
  d.Start("{}");
  ASSERT_EQ(d.state().status, ExecutionStatus::kFailed);
  EXPECT_EQ(d.state().failure.error, "Last.Failed");
  d.TakeDispatched();
  d.set_answer(EchoAll);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(d.TakeDispatched(), std::vector<std::string>{R"(Last:{"last":true})"});
}

TEST(Redrive, AnAbortedExecutionRunsItsWaitingStatesAgain) {
  Driver d(R"({"StartAt":"Wait","States":{"Wait":{"Type":"Task","Resource":"r","Next":"Done"},
      "Done":{"Type":"Pass","Result":"done","End":true}}})",
           [](const DispatchTask&) -> std::optional<TaskOutcome> { return std::nullopt; });
  d.Start(R"({"robot":7})");
  ASSERT_EQ(d.state().status, ExecutionStatus::kRunning);
  EXPECT_EQ(RedriveBlocker(d.state()), "Execution is RUNNING and cannot be redriven");
  d.Stop();
  ASSERT_EQ(d.state().status, ExecutionStatus::kAborted);
  d.TakeDispatched();
  d.set_answer(EchoAll);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(d.Output(), R"("done")");
  EXPECT_EQ(d.TakeDispatched(), std::vector<std::string>{R"(Wait:{"robot":7})"});
}

TEST(Redrive, ATimedOutExecutionGetsItsTimeoutAgain) {
  Driver d(R"({"TimeoutSeconds":60,"StartAt":"Slow","States":{
      "Slow":{"Type":"Task","Resource":"r","End":true}}})",
           [](const DispatchTask&) -> std::optional<TaskOutcome> { return std::nullopt; });
  d.Start("{}");
  d.FireTimers();
  ASSERT_EQ(d.state().status, ExecutionStatus::kTimedOut);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kRunning);
  EXPECT_EQ(d.state().redrive_count, 1);
  d.FireTimers();  // the new attempt times out again, 60 s after the redrive
  ASSERT_EQ(d.state().status, ExecutionStatus::kTimedOut);
  EXPECT_EQ(absl::ToInt64Seconds(d.history().back().timestamp - kT0), 120);
  EXPECT_EQ(RedriveBlocker(d.state()), "");
  d.set_answer(EchoAll);
  d.Redrive();
  EXPECT_EQ(d.state().status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(d.state().redrive_count, 2);
}

TEST(Redrive, TheContextObjectCountsRedrives) {
  Driver d(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"r",
      "Parameters":{"count.$":"$$.Execution.RedriveCount"},"End":true}}})",
           [](const DispatchTask& t) -> std::optional<TaskOutcome> {
             if (json::Serialize(*t.input) == R"({"count":0})") return Failure{"First", ""};
             return *t.input;
           });
  d.Start("{}");
  ASSERT_EQ(d.state().status, ExecutionStatus::kFailed);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(d.Output(), R"({"count":1})");
}

TEST(Redrive, AParallelStoppedWhileItsRetryWaitsRunsAgainWhole) {
  Driver d(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
      "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":60,"MaxAttempts":3}],"Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","Parameters":{"b":"a"},"End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"r","Parameters":{"b":"b"},"End":true}}}]}}})",
           [](const DispatchTask& t) -> std::optional<TaskOutcome> {
             if (t.state_name == "B") return Failure{"Flaky", ""};
             return *t.input;
           });
  d.Start("{}");
  ASSERT_EQ(d.state().status, ExecutionStatus::kRunning);  // the Retry waits 60 s
  d.Stop();
  ASSERT_EQ(d.state().status, ExecutionStatus::kAborted);
  d.TakeDispatched();
  d.set_answer(EchoAll);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded) << d.state().failure.cause;
  EXPECT_EQ(d.Output(), R"([{"b":"a"},{"b":"b"}])");
  std::vector<std::string> again = d.TakeDispatched();
  std::sort(again.begin(), again.end());
  EXPECT_EQ(again, (std::vector<std::string>{R"(A:{"b":"a"})", R"(B:{"b":"b"})"}));
}

TEST(Redrive, ACatchThatFailsItselfStillLeavesARedrivableExecution) {
  // The Catch's ResultPath cannot be applied to an array input: the Map
  // fails after all, and a redrive runs the Map state again.
  Driver d(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Handled"}],
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"r","End":true}}}},
      "Handled":{"Type":"Pass","End":true}}})",
           [](const DispatchTask& t) -> std::optional<TaskOutcome> {
             if (json::Serialize(*t.input) == "2") return Failure{"Bad", ""};
             return *t.input;
           });
  d.Start("[1,2,3]");
  ASSERT_EQ(d.state().status, ExecutionStatus::kFailed);
  EXPECT_EQ(d.state().failure.error, "States.ResultPathMatchFailure");
  d.TakeDispatched();
  d.set_answer(EchoAll);
  d.Redrive();
  ASSERT_EQ(d.state().status, ExecutionStatus::kSucceeded) << d.state().failure.cause;
  EXPECT_EQ(d.Output(), "[1,2,3]");
}

TEST(Redrive, TheHistoryLimitIsNotRedrivable) {
  Driver d(R"({"StartAt":"L","States":{"L":{"Type":"Pass","Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Variable":"$.never","IsPresent":true,"Next":"S"}],
           "Default":"L"},"S":{"Type":"Succeed"}}})",
           EchoAll);
  d.Start("{}");
  ASSERT_EQ(d.state().status, ExecutionStatus::kFailed);
  EXPECT_EQ(RedriveBlocker(d.state()), "Execution history event limit exceeded");
}

}  // namespace
}  // namespace fleetflow::runtime

namespace fleetflow::runtime {
namespace {

TEST(RedriveTokens, TheLastTenAreKeptForFifteenMinutes) {
  ExecutionState s;
  absl::Time t0 = absl::FromUnixSeconds(1'700'000'000);
  for (int i = 0; i < 11; ++i) KeepRedriveToken(s, "token-" + std::to_string(i), t0);
  EXPECT_FALSE(SeenRedriveToken(s, "token-0", t0));  // the eleventh pushed it out
  EXPECT_TRUE(SeenRedriveToken(s, "token-1", t0));
  EXPECT_TRUE(SeenRedriveToken(s, "token-10", t0 + absl::Minutes(14)));
  EXPECT_FALSE(SeenRedriveToken(s, "token-10", t0 + absl::Minutes(15)));
  EXPECT_FALSE(SeenRedriveToken(s, "", t0));

  // Kept tokens survive the state codec, and an expired one goes on the next keep.
  s.redrive_count = 1;
  s.redrive_time = t0;
  auto decoded = DecodeState(EncodeState(s));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->redrive_tokens.size(), 10u);
  EXPECT_TRUE(SeenRedriveToken(*decoded, "token-5", t0 + absl::Minutes(1)));
  KeepRedriveToken(*decoded, "late", t0 + absl::Minutes(20));
  ASSERT_EQ(decoded->redrive_tokens.size(), 1u);
  EXPECT_EQ(decoded->redrive_tokens[0].token, "late");
}

}  // namespace
}  // namespace fleetflow::runtime
