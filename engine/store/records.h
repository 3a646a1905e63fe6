#pragma once
// The rows a Store keeps. Plain values; JSON payloads are JSON text, times are
// absl::Time (absl::InfinitePast() when unset), ARNs are the primary keys.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace fleetflow::store {

// A definition body is stored once under the SHA-256 of its text, so that
// machines, versions and executions can share it and an execution keeps
// running the exact text it started with even after its machine changes.
struct MachineRecord {
  std::string arn;
  std::string name;
  std::string definition_id;
  std::string definition;  // filled on read; written to `definitions` on create/update
  std::string type = "STANDARD";
  std::string role_arn;
  std::string revision_id;  // new on every update
  absl::Time created = absl::InfinitePast();
  absl::Time updated = absl::InfinitePast();
};

struct VersionRecord {
  std::string machine_arn;
  int64_t version = 0;  // 1, 2, ... per machine; never reused
  std::string definition_id;
  std::string definition;
  std::string revision_id;  // the machine revision it froze
  std::string description;
  absl::Time created = absl::InfinitePast();
};

struct AliasRoute {
  int64_t version = 0;
  int weight = 0;  // percent; the routes of an alias add up to 100
};

struct AliasRecord {
  std::string arn;  // <machine arn>:<alias name>
  std::string machine_arn;
  std::string name;
  std::string description;
  std::vector<AliasRoute> routes;  // one or two
  absl::Time created = absl::InfinitePast();
  absl::Time updated = absl::InfinitePast();
};

struct ActivityRecord {
  std::string arn;
  std::string name;
  absl::Time created = absl::InfinitePast();
};

enum class ExecutionStatus { kRunning, kSucceeded, kFailed, kTimedOut, kAborted, kPendingRedrive };
const char* ExecutionStatusName(ExecutionStatus status);  // "RUNNING", ...
bool ParseExecutionStatus(std::string_view name, ExecutionStatus& status);

struct ExecutionRecord {
  std::string arn;
  std::string machine_arn;
  std::string name;
  std::string definition_id;  // what it runs, to its end
  std::string version_arn;    // set when started through a version or an alias
  std::string alias_arn;      // set when started through an alias
  ExecutionStatus status = ExecutionStatus::kRunning;
  std::string input;   // JSON text
  std::string output;  // JSON text, when succeeded
  std::string error, cause;
  absl::Time start = absl::InfinitePast();
  absl::Time stop = absl::InfinitePast();
  int64_t version = 0;        // optimistic concurrency: +1 per commit
  int64_t last_event_id = 0;  // history is gap-free up to here
  int32_t partition = 0;      // see PartitionOf
  int32_t redrive_count = 0;
  absl::Time redrive_date = absl::InfinitePast();
  std::string state;  // the interpreter's serialized ExecutionState; opaque here
  // Random per committed step. When a commit's outcome is unknown (the
  // connection broke during COMMIT), the row tells whether it happened.
  std::string step_id;
};

// History is stored in batches: the events of one committed step in one row,
// as a JSON array of Step Functions-shaped event objects.
struct HistoryBatch {
  int64_t first_event_id = 0;
  int64_t last_event_id = 0;
  std::string events;  // JSON array text
};

struct TimerRecord {
  std::string execution_arn;
  int64_t timer_id = 0;
  absl::Time due;
};

// A dispatched task: an activity task for workers, a callback awaiting its
// token, or an integration call. The row exists from the commit that
// scheduled it until the commit that consumed its result, so a task survives
// a crash and is dispatched again (at least once).
struct TaskRecord {
  std::string token;
  std::string execution_arn;
  std::string resource;      // activity ARN or integration resource
  std::string activity_arn;  // set for activity tasks
  std::string state_name;
  int32_t attempt = 0;
  std::string input;  // JSON text
  double heartbeat_seconds = 0;
  double timeout_seconds = 0;
  bool started = false;  // a worker holds it
  std::string worker_name;
  absl::Time lease_expires = absl::InfinitePast();  // when a started task may go to another worker
  absl::Time created = absl::InfinitePast();
};

// One committed step of one execution: its new row and everything the step
// adds or removes. A Store applies a Transition entirely or not at all.
struct Transition {
  ExecutionRecord execution;
  int64_t expected_version = 0;  // 0: insert a new execution
  std::vector<HistoryBatch> history;
  std::vector<TimerRecord> add_timers;
  std::vector<int64_t> delete_timers;
  std::vector<TaskRecord> add_tasks;
  std::vector<std::string> delete_tasks;  // tokens
  // Tasks a worker or a handler has taken: started, leased until the time
  // (InfiniteFuture: for good, e.g. a callback whose message was delivered).
  struct TaskLease {
    std::string token;
    absl::Time until;
  };
  std::vector<TaskLease> lease_tasks;
  bool clear_timers_and_tasks = false;  // the execution ended
};

struct PageRequest {
  std::string page_token;  // from a previous page; empty for the first
  int limit = 100;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // empty when this is the last page
};

struct ExecutionFilter {
  std::string machine_arn;  // empty: all
  std::string version_arn;  // set: only executions started through this version
  std::string alias_arn;    // set: only executions started through this alias
  enum class Redriven { kAny, kYes, kNo } redriven = Redriven::kAny;
  bool has_status = false;
  ExecutionStatus status = ExecutionStatus::kRunning;
  absl::Time started_after = absl::InfinitePast();
  absl::Time started_before = absl::InfiniteFuture();
};

constexpr int kPartitions = 64;
int32_t PartitionOf(std::string_view execution_arn);

}  // namespace fleetflow::store
