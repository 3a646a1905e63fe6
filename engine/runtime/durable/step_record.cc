#include "engine/runtime/durable/step_record.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "engine/common/strings.h"
#include "engine/runtime/history.h"
#include "engine/runtime/state_codec.h"

namespace fleetflow::runtime::durable {

std::string ActivityArn(std::string_view name) {
  return StrCat("arn:fleetflow:states:local:activity:", name);
}

std::string ActivityArnOf(std::string_view resource) {
  // arn:<partition>:states:<region>:<account>:activity:<name>
  if (resource.rfind("arn:", 0) != 0) return "";
  size_t at = resource.find(":activity:");
  if (at == std::string_view::npos) return "";
  std::string_view name = resource.substr(at + 10);
  if (name.empty() || name.find(':') != std::string_view::npos) return "";
  return ActivityArn(name);
}

namespace {

std::string NewStepId() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  char id[17];
  std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(generator()));
  return id;
}

}  // namespace

store::ExecutionStatus StoreStatus(ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::kRunning:
      return store::ExecutionStatus::kRunning;
    case ExecutionStatus::kSucceeded:
      return store::ExecutionStatus::kSucceeded;
    case ExecutionStatus::kFailed:
      return store::ExecutionStatus::kFailed;
    case ExecutionStatus::kTimedOut:
      return store::ExecutionStatus::kTimedOut;
    case ExecutionStatus::kAborted:
      return store::ExecutionStatus::kAborted;
  }
  return store::ExecutionStatus::kFailed;
}

StepRecord::StepRecord(store::ExecutionRecord row, int64_t expected_version) {
  transition_.execution = std::move(row);
  transition_.expected_version = expected_version;
}

void StepRecord::Add(Decision& d, absl::Time now) {
  transitions_ += d.transitions;
  for (const HistoryEvent& e : d.history) {
    history_ += history_.empty() ? '[' : ',';
    AppendEventJson(history_, e);
    if (first_event_id_ == 0) first_event_id_ = e.id;
    last_event_id_ = e.id;
    ++events_;
  }
  const std::string& arn = transition_.execution.arn;
  for (Command& c : d.commands) {
    if (auto* task = std::get_if<DispatchTask>(&c)) {
      store::TaskRecord row;
      row.token = task->token;
      row.execution_arn = arn;
      row.resource = task->resource;
      row.activity_arn = ActivityArnOf(task->resource);
      row.state_name = task->state_name;
      row.attempt = task->attempt;
      row.input = task->input ? json::Serialize(*task->input) : "null";
      row.heartbeat_seconds = task->heartbeat_seconds;
      row.timeout_seconds = task->timeout_seconds;
      row.created = now;
      transition_.add_tasks.push_back(std::move(row));
    } else if (auto* arm = std::get_if<ArmTimer>(&c)) {
      transition_.add_timers.push_back({arn, arm->timer_id, arm->due});
    } else if (auto* cancel = std::get_if<CancelTimer>(&c)) {
      auto& added = transition_.add_timers;
      auto it = std::find_if(added.begin(), added.end(), [&](const store::TimerRecord& t) {
        return t.timer_id == cancel->timer_id;
      });
      if (it != added.end()) {
        added.erase(it);
        std::erase_if(commands_, [&](const Command& k) {
          const auto* a = std::get_if<ArmTimer>(&k);
          return a && a->timer_id == cancel->timer_id;
        });
        continue;
      }
      transition_.delete_timers.push_back(cancel->timer_id);
    } else if (auto* cancel_task = std::get_if<CancelTask>(&c)) {
      auto& added = transition_.add_tasks;
      auto it = std::find_if(added.begin(), added.end(), [&](const store::TaskRecord& t) {
        return t.token == cancel_task->token;
      });
      if (it != added.end()) {
        added.erase(it);
        std::erase_if(commands_, [&](const Command& k) {
          const auto* t = std::get_if<DispatchTask>(&k);
          return t && t->token == cancel_task->token;
        });
        continue;
      }
      transition_.delete_tasks.push_back(cancel_task->token);
    }
    commands_.push_back(std::move(c));
  }
}

void StepRecord::ConsumeTask(const std::string& token) {
  transition_.delete_tasks.push_back(token);
}

void StepRecord::ConsumeTimer(int64_t timer_id) { transition_.delete_timers.push_back(timer_id); }

void StepRecord::LeaseTask(const std::string& token, absl::Time until) {
  transition_.lease_tasks.push_back({token, until});
}

store::Transition StepRecord::Finish(const ExecutionState& state, absl::Time now) {
  store::ExecutionRecord& row = transition_.execution;
  bool redriven = state.redrive_count > row.redrive_count;  // in this step
  row.status = StoreStatus(state.status);
  if (state.status == ExecutionStatus::kSucceeded && state.output) {
    row.output = json::Serialize(*state.output);
  }
  if (state.status != ExecutionStatus::kRunning) {
    row.error = state.failure.error;
    row.cause = state.failure.cause;
    if (row.stop == absl::InfinitePast() || redriven) row.stop = now;
    // Nothing of an ended execution may fire or be dispatched any more.
    transition_.clear_timers_and_tasks = true;
    transition_.add_timers.clear();
    transition_.add_tasks.clear();
    std::erase_if(commands_, [](const Command& c) {
      return std::holds_alternative<ArmTimer>(c) || std::holds_alternative<DispatchTask>(c);
    });
  }
  if (state.status == ExecutionStatus::kRunning && row.stop != absl::InfinitePast()) {
    // Redriven: the row is running again.
    row.stop = absl::InfinitePast();
    row.output.clear();
    row.error.clear();
    row.cause.clear();
  }
  row.redrive_count = state.redrive_count;
  if (state.redrive_count > 0) row.redrive_date = state.redrive_time;
  row.last_event_id = state.last_event_id;
  row.state = EncodeState(state);
  row.step_id = NewStepId();
  if (!history_.empty()) {
    transition_.history.push_back({first_event_id_, last_event_id_, history_ + "]"});
  }
  return std::move(transition_);
}

}  // namespace fleetflow::runtime::durable
