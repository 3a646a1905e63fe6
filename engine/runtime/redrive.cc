// RedriveExecution: an execution that failed, timed out or was aborted goes on
// from where it stopped. ExecutionState::unwound holds the frames its end
// removed; they come back with new ids. A frame that was running a state
// enters that state again (fresh retry counts, new task tokens). A Parallel
// or Map frame resumes its fan-out: results of finished branches and
// iterations stay, and only the failed or aborted ones run again.

#include <algorithm>
#include <unordered_map>

#include "engine/runtime/interpreter.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

std::string RedriveBlocker(const ExecutionState& s) {
  switch (s.status) {
    case ExecutionStatus::kRunning:
      return "Execution is RUNNING and cannot be redriven";
    case ExecutionStatus::kSucceeded:
      return "Execution is SUCCEEDED and cannot be redriven";
    default:
      break;
  }
  if (s.failure.error == "States.Runtime" &&
      s.failure.cause.starts_with("The execution reached the limit of ")) {
    return "Execution history event limit exceeded";
  }
  // Executions that ended before Fleetflow kept redrive points (or whose
  // redrive point was dropped) have nothing to run again.
  if (s.unwound.empty()) return "Execution has no redrive point to continue from";
  return "";
}

namespace {
constexpr absl::Duration kRedriveTokenLife = absl::Minutes(15);
constexpr size_t kRedriveTokensKept = 10;
}  // namespace

bool SeenRedriveToken(const ExecutionState& s, const std::string& token, absl::Time now) {
  if (token.empty()) return false;
  return std::any_of(s.redrive_tokens.begin(), s.redrive_tokens.end(), [&](const auto& t) {
    return t.token == token && now - t.at < kRedriveTokenLife;
  });
}

void KeepRedriveToken(ExecutionState& s, const std::string& token, absl::Time now) {
  std::erase_if(s.redrive_tokens,
                [&](const auto& t) { return now - t.at >= kRedriveTokenLife || t.token == token; });
  if (token.empty()) return;
  s.redrive_tokens.push_back({token, now});
  if (s.redrive_tokens.size() > kRedriveTokensKept) {
    s.redrive_tokens.erase(s.redrive_tokens.begin(), s.redrive_tokens.end() - kRedriveTokensKept);
  }
}

Decision Interpreter::Redrive(ExecutionState& s, absl::Time now) const {
  Decision d;
  if (!RedriveBlocker(s).empty()) return d;
  Step step(*machine_, s, d, now, options_);
  s.status = ExecutionStatus::kRunning;
  s.output = nullptr;
  s.failure = Failure{};
  ++s.redrive_count;
  s.redrive_time = now;
  if (HistoryEvent* e = step.Emit(-1, EventType::kExecutionRedriven)) e->index = s.redrive_count;
  if (machine_->timeout_seconds) {
    // The redriven attempt gets the machine's whole TimeoutSeconds again.
    s.execution_timer_id =
        step.ArmTimer(-1, now + absl::Seconds(*machine_->timeout_seconds), Frame::TimerKind::kNone);
  }
  step.RestoreUnwound();
  step.RunReady();
  return d;
}

namespace {

bool IsFanOutState(const def::State& st) {
  return st.type == def::StateType::kMap || st.type == def::StateType::kParallel;
}

// A Parallel or Map resumes when its bookkeeping accounts for every branch
// or item: finished, kept (to run again), or not started yet. Otherwise
// (a Retry was waiting to run it all again, or the failure that ended the
// execution was handled by a Catch that then failed) the state runs again.
bool ResumableFanOut(const Frame& f, int kept_children) {
  const FanOut& fo = f.fan_out;
  if (fo.total == 0 || (!fo.failure && kept_children == 0)) return false;
  size_t not_started = fo.total - std::min(fo.next_to_start, fo.total);
  if (!fo.items) not_started = 0;  // Parallel starts every branch at once
  return fo.finished + static_cast<size_t>(kept_children) + not_started == fo.total;
}

}  // namespace

void Step::RestoreUnwound() {
  std::vector<Frame> kept = std::move(s_.unwound);
  s_.unwound.clear();
  std::unordered_map<int, size_t> by_id;
  std::unordered_map<int, int> children;
  for (size_t i = 0; i < kept.size(); ++i) {
    by_id[kept[i].id] = i;
    if (kept[i].parent >= 0) ++children[kept[i].parent];
  }
  // Parents before children: a child's new parent id must exist.
  auto depth = [&](const Frame& f) {
    int d = 0;
    for (int p = f.parent; p >= 0; ++d) {
      auto it = by_id.find(p);
      if (it == by_id.end()) break;
      p = kept[it->second].parent;
    }
    return d;
  };
  std::vector<std::pair<int, size_t>> order;
  order.reserve(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) order.emplace_back(depth(kept[i]), i);
  std::sort(order.begin(), order.end());

  std::unordered_map<int, int> new_ids;
  std::vector<ExecutionState::ReadyEntry> resumed;  // fan-outs, parents first
  for (const auto& [unused_depth, i] : order) {
    if (s_.status != ExecutionStatus::kRunning) return;  // e.g. the history limit
    Frame& old = kept[i];
    int parent = -1;
    if (old.parent >= 0) {
      auto it = new_ids.find(old.parent);
      if (it == new_ids.end()) continue;  // unreachable: every ancestor is kept
      parent = it->second;
    }
    const def::State& st =
        machine_.graphs[static_cast<size_t>(old.graph)].states[static_cast<size_t>(old.state)];
    bool fan_out = IsFanOutState(st) && ResumableFanOut(old, children[old.id]);
    int id = NewFrame(parent, old.graph, old.input, old.child_index);
    if (fan_out) new_ids[old.id] = id;  // a state that runs again starts its children afresh
    Frame& f = frame(id);
    f.state = old.state;
    f.variables = std::move(old.variables);
    f.entered_event_id = old.entered_event_id;
    f.entered_time = old.entered_time;
    f.last_event_id = old.last_event_id;
    if (parent >= 0) {
      ++frame(parent).fan_out.running;
      if (StateOf(frame(parent)).type == def::StateType::kMap) {
        if (HistoryEvent* e = Emit(parent, EventType::kMapIterationStarted))
          e->index = f.child_index;
      }
    }
    Frame& g = frame(id);
    if (fan_out) {
      g.fan_out = std::move(old.fan_out);
      g.fan_out.failure.reset();
      g.fan_out.running = 0;  // counted again as its children come back
      g.status = FrameStatus::kWaitingChildren;
      g.retrier_attempts.assign(st.retry.size(), 0);
      resumed.push_back({id, g.generation});
    } else {
      EnterState(id, old.state, old.input);
    }
  }
  // Deepest first: a fan-out with nothing left to run completes, which may
  // complete its parent.
  for (auto it = resumed.rbegin(); it != resumed.rend(); ++it) {
    auto current = [&] {
      const Frame& f = frame(it->frame);
      return s_.status == ExecutionStatus::kRunning && f.alive && f.generation == it->generation &&
             f.status == FrameStatus::kWaitingChildren;
    };
    if (!current()) continue;
    if (StateOf(frame(it->frame)).type == def::StateType::kMap) StartMapIterations(it->frame);
    if (!current()) continue;
    const FanOut& fo = frame(it->frame).fan_out;
    if (!fo.failure && fo.running == 0 && fo.finished == fo.total) FinishFanOut(it->frame);
  }
}

}  // namespace fleetflow::runtime
