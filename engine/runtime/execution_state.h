#pragma once
// Everything the interpreter needs to continue an execution: its frames (the
// top level, each running Parallel branch and Map iteration), their data and
// variables, what each waits for, and the counters that make replay
// deterministic. Plain data: it can be persisted and restored.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/time/time.h"
#include "engine/common/failure.h"
#include "engine/json/json.h"

namespace fleetflow::runtime {

enum class ExecutionStatus { kRunning, kSucceeded, kFailed, kTimedOut, kAborted };
const char* ExecutionStatusName(ExecutionStatus s);

enum class FrameStatus {
  kReady,            // runs on the next step
  kWaitingTask,      // a task was dispatched
  kWaitingTimer,     // a Wait state or a retry backoff
  kWaitingChildren,  // a Parallel or Map state's branches/iterations run
  kDone,
};

// Bookkeeping of a running Parallel or Map state, kept in its frame.
struct FanOut {
  json::ValuePtr items;            // Map: the items; Parallel: null
  bool items_prepared = false;     // ItemSelector already applied (batching)
  json::ValuePtr effective_input;  // what each branch / ItemSelector sees
  size_t total = 0;
  size_t next_to_start = 0;
  size_t running = 0;
  size_t finished = 0;
  size_t failed = 0;
  size_t max_concurrency = 0;  // 0: no limit
  std::optional<double> tolerated_count, tolerated_percentage;
  std::vector<json::Value> results;
  std::optional<Failure> failure;  // the first failure that ends the state
};

struct Frame {
  int id = -1;
  uint32_t generation = 0;  // bumped when the slot is reused
  int parent = -1;          // the frame whose Parallel/Map started this one
  int64_t child_index = 0;  // branch or item index within the parent
  int graph = 0;
  int state = 0;
  FrameStatus status = FrameStatus::kReady;
  bool alive = false;
  json::ValuePtr input;    // the raw input of the current state
  json::Object variables;  // this scope's variables
  int64_t entered_event_id = 0;
  int64_t last_event_id = 0;
  absl::Time entered_time;
  int retry_count = 0;                // $$.State.RetryCount
  std::vector<int> retrier_attempts;  // per retrier, this visit
  std::string task_token;             // the task this frame waits for
  bool task_started = false;          // TaskStarted recorded (at-least-once dispatch repeats it)
  int64_t timer_id = 0;               // the timer this frame waits for
  int64_t heartbeat_timer_id = 0;
  double heartbeat_seconds = 0;  // of the task it waits for, as evaluated at dispatch
  enum class TimerKind {
    kNone,
    kWait,
    kRetry,
    kTaskTimeout,
    kHeartbeat
  } timer_kind = TimerKind::kNone;
  json::ValuePtr wait_output;  // Wait: output to continue with
  FanOut fan_out;
};

struct ExecutionState {
  std::string execution_id;  // arn:fleetflow:execution:<machine>:<name>
  std::string name;
  std::string machine_id;
  std::string machine_name;
  json::ValuePtr input;
  absl::Time start_time;
  ExecutionStatus status = ExecutionStatus::kRunning;
  json::ValuePtr output;
  Failure failure;
  int64_t last_event_id = 0;
  uint64_t random_state = 0;
  // Makes task tokens unguessable from the execution's name: a token is
  // "<execution arn>#<seq>#<mix(salt, seq)>".
  uint64_t token_salt = 0;
  int64_t next_timer_id = 1;
  int64_t next_task_seq = 1;
  int64_t execution_timer_id = 0;
  std::vector<Frame> frames;  // indexed by id; dead slots are reused
  std::vector<int> free_frames;
  struct ReadyEntry {
    int frame;
    uint32_t generation;
  };
  std::deque<ReadyEntry> ready;
  std::unordered_map<int64_t, int> timers;     // timer id -> frame (-1: execution)
  std::unordered_map<std::string, int> tasks;  // task token -> frame
  uint64_t transitions = 0;
  // Redrive (RedriveExecution): the frames an uncaught failure, a timeout or
  // an abort removed, as they were. While a failure unwinds they collect
  // here; a Retry or Catch that handles it clears them; when the execution
  // ends unsuccessfully they are where a redrive continues. Empty when the
  // execution cannot be redriven (it succeeded, or hit the history limit).
  std::vector<Frame> unwound;
  int32_t redrive_count = 0;
  absl::Time redrive_time = absl::InfinitePast();
  // Client tokens of the last redrives (AWS keeps 10, each for 15 minutes):
  // a request repeating one does not redrive again.
  struct RedriveToken {
    std::string token;
    absl::Time at;
  };
  std::vector<RedriveToken> redrive_tokens;
};

}  // namespace fleetflow::runtime
