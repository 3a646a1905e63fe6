// Completion of Parallel branches and Map iterations.

#include "engine/runtime/error_matching.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

namespace {

bool ExceedsTolerance(const FanOut& fo) {
  if (!fo.tolerated_count && !fo.tolerated_percentage) return fo.failed > 0;
  if (fo.tolerated_count && static_cast<double>(fo.failed) > *fo.tolerated_count) return true;
  if (fo.tolerated_percentage &&
      static_cast<double>(fo.failed) * 100.0 / static_cast<double>(fo.total) >
          *fo.tolerated_percentage) {
    return true;
  }
  return false;
}

}  // namespace

void Step::OnChildDone(int parent_id, int child_id, const json::ValuePtr* output,
                       const Failure* failure) {
  bool is_map = StateOf(frame(parent_id)).type == def::StateType::kMap;
  size_t index = static_cast<size_t>(frame(child_id).child_index);
  Bury(child_id, failure != nullptr);  // a failed child is redriven unless the failure is handled
  FanOut& fo = frame(parent_id).fan_out;
  --fo.running;
  ++fo.finished;
  if (failure != nullptr) {
    ++fo.failed;
    if (is_map) {
      if (HistoryEvent* e = Emit(parent_id, EventType::kMapIterationFailed))
        e->index = static_cast<int64_t>(index);
    }
    bool tolerated_config = is_map && (fo.tolerated_count || fo.tolerated_percentage);
    if (IsTerminalError(failure->error) || !is_map || ExceedsTolerance(fo)) {
      // Not finished after all: a redrive runs this child again.
      --fo.finished;
      --fo.failed;
      Failure reason = *failure;
      if (tolerated_config && !IsTerminalError(failure->error)) {
        reason = Failure{"States.ExceedToleratedFailureThreshold",
                         "The specified tolerated failure threshold was exceeded"};
      }
      FailFanOut(parent_id, std::move(reason));
      return;
    }
    s_.unwound.clear();  // tolerated: the error object is the iteration's result
    json::Object error_output;
    error_output["Error"] = failure->error;
    error_output["Cause"] = failure->cause;
    fo.results[index] = std::move(error_output);
  } else {
    fo.results[index] = **output;
    if (is_map) {
      if (HistoryEvent* e = Emit(parent_id, EventType::kMapIterationSucceeded))
        e->index = static_cast<int64_t>(index);
    }
  }
  if (is_map) {
    // Starting the next iteration can fail the Map (a bad ItemSelector) and
    // free its frame for reuse: check it is still the same waiting frame.
    uint32_t generation = frame(parent_id).generation;
    StartMapIterations(parent_id);
    const Frame& p = frame(parent_id);
    if (!p.alive || p.generation != generation || p.status != FrameStatus::kWaitingChildren) return;
  }
  const FanOut& now = frame(parent_id).fan_out;
  if (!now.failure && now.finished == now.total) FinishFanOut(parent_id);
}

void Step::FailFanOut(int frame_id, Failure failure) {
  bool is_map = StateOf(frame(frame_id)).type == def::StateType::kMap;
  frame(frame_id).fan_out.failure = failure;
  for (Frame& c : s_.frames) {
    if (!c.alive || c.parent != frame_id) continue;
    int64_t index = c.child_index;
    AbortFrame(c.id, true);  // TaskStateAborted (or the like) first, as AWS orders them
    if (is_map) {
      if (HistoryEvent* e = Emit(frame_id, EventType::kMapIterationAborted)) e->index = index;
    }
  }
  Emit(frame_id, is_map ? EventType::kMapStateFailed : EventType::kParallelStateFailed);
  frame(frame_id).status = FrameStatus::kReady;
  FailState(frame_id, std::move(failure));
}

void Step::FinishFanOut(int frame_id) {
  Frame& f = frame(frame_id);
  bool is_map = StateOf(f).type == def::StateType::kMap;
  Emit(frame_id, is_map ? EventType::kMapStateSucceeded : EventType::kParallelStateSucceeded);
  json::Array results;
  results.reserve(f.fan_out.results.size());
  for (json::Value& v : f.fan_out.results) results.push_back(std::move(v));
  f.fan_out = FanOut();
  f.status = FrameStatus::kReady;
  CompleteWithResult(frame_id, json::Share(json::Value(std::move(results))));
}

}  // namespace fleetflow::runtime
