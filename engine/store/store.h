#pragma once
// The Store contract: everything the engine persists, behind one interface
// with two implementations that match file for file (sqlite/, postgres/).
//
// Outcomes are typed; callers branch on the code, never on the message:
//   kNotFound          the row does not exist
//   kAlreadyExists     a create whose key is taken
//   kAborted           an optimistic-concurrency race was lost: reload, redo the step
//   kFailedPrecondition the request does not fit the current rows
//   kInvalidArgument   bad input (a malformed page token, a negative limit)
//   kUnavailable       the database could not be reached or the transaction
//                      failed transiently (lost connection, disk full, busy);
//                      nothing was written, the call may be retried
// Every method is thread-safe. Methods that write are atomic: they apply
// entirely or not at all.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/store/records.h"

namespace fleetflow::store {

class Store {
 public:
  virtual ~Store() = default;

  // Applies the schema migrations that this build knows and the database
  // lacks. Called once by Open*; safe to call again.
  virtual absl::Status Migrate() = 0;

  // --- Definitions (immutable, content-addressed) -------------------------
  virtual absl::StatusOr<std::string> GetDefinition(const std::string& definition_id) = 0;

  // --- State machines, versions, aliases ----------------------------------
  // Stores m.definition under m.definition_id too. kAlreadyExists if the ARN is taken.
  virtual absl::Status CreateMachine(const MachineRecord& m) = 0;
  // Replaces definition, role and revision. kNotFound.
  virtual absl::Status UpdateMachine(const MachineRecord& m) = 0;
  virtual absl::StatusOr<MachineRecord> GetMachine(const std::string& arn) = 0;
  // Ordered by name; items carry no definition text.
  virtual absl::StatusOr<Page<MachineRecord>> ListMachines(const PageRequest& page) = 0;
  // Deletes the machine, its versions and aliases; executions keep running.
  virtual absl::Status DeleteMachine(const std::string& arn) = 0;

  // Freezes the machine's current revision as the next version. If the
  // newest version already froze `revision_id`, returns it unchanged (AWS).
  // kFailedPrecondition if the machine's revision is not `expected_revision_id`
  // (when that is not empty).
  virtual absl::StatusOr<VersionRecord> PublishVersion(const std::string& machine_arn,
                                                       const std::string& expected_revision_id,
                                                       const std::string& description,
                                                       absl::Time now) = 0;
  virtual absl::StatusOr<VersionRecord> GetVersion(const std::string& machine_arn,
                                                   int64_t version) = 0;
  // Newest first.
  virtual absl::StatusOr<Page<VersionRecord>> ListVersions(const std::string& machine_arn,
                                                           const PageRequest& page) = 0;
  // kFailedPrecondition if an alias routes to it.
  virtual absl::Status DeleteVersion(const std::string& machine_arn, int64_t version) = 0;

  virtual absl::Status CreateAlias(const AliasRecord& a) = 0;  // kAlreadyExists
  virtual absl::Status UpdateAlias(const AliasRecord& a) = 0;  // kNotFound
  virtual absl::StatusOr<AliasRecord> GetAlias(const std::string& arn) = 0;
  virtual absl::StatusOr<Page<AliasRecord>> ListAliases(const std::string& machine_arn,
                                                        const PageRequest& page) = 0;
  virtual absl::Status DeleteAlias(const std::string& arn) = 0;

  // --- Activities ---------------------------------------------------------
  // Returns the existing activity when the name is taken (AWS is idempotent).
  virtual absl::StatusOr<ActivityRecord> CreateActivity(const ActivityRecord& a) = 0;
  virtual absl::StatusOr<ActivityRecord> GetActivity(const std::string& arn) = 0;
  virtual absl::StatusOr<Page<ActivityRecord>> ListActivities(const PageRequest& page) = 0;
  virtual absl::Status DeleteActivity(const std::string& arn) = 0;

  // --- Executions ---------------------------------------------------------
  virtual absl::StatusOr<ExecutionRecord> GetExecution(const std::string& arn) = 0;
  // Newest first; items carry no state, input or output.
  virtual absl::StatusOr<Page<ExecutionRecord>> ListExecutions(const ExecutionFilter& filter,
                                                               const PageRequest& page) = 0;

  // Commits many transitions (of different executions) in one database
  // transaction: group commit. Returns one status per transition:
  //   OK, kAborted (expected_version is stale; nothing of it was written),
  //   kAlreadyExists (an insert whose execution ARN is taken).
  // A committed transition leaves the row at version expected_version + 1
  // (1 for an insert), whatever execution.version said.
  // A failure of the whole transaction (kUnavailable, ...) is the returned
  // status itself, and then nothing was written.
  virtual absl::StatusOr<std::vector<absl::Status>> Commit(std::span<const Transition> batch) = 0;

  // History batches of an execution that hold events after `after_event_id`,
  // ascending, at most `max_batches`.
  virtual absl::StatusOr<std::vector<HistoryBatch>> ReadHistory(const std::string& execution_arn,
                                                                int64_t after_event_id,
                                                                int max_batches) = 0;
  // History batches that hold events before `before_event_id`, descending.
  virtual absl::StatusOr<std::vector<HistoryBatch>> ReadHistoryReverse(
      const std::string& execution_arn, int64_t before_event_id, int max_batches) = 0;

  // --- Timers and tasks ---------------------------------------------------
  // Timers due at or before `until`, earliest first.
  virtual absl::StatusOr<std::vector<TimerRecord>> DueTimers(absl::Time until, int limit) = 0;

  virtual absl::StatusOr<TaskRecord> GetTask(const std::string& token) = 0;
  // Hands up to `max` tasks of an activity to a worker: tasks not started, or
  // started with an expired lease, oldest first. Marks them started until
  // `lease_until`. Atomic: two workers never get the same task in one lease.
  virtual absl::StatusOr<std::vector<TaskRecord>> LeaseActivityTasks(
      const std::string& activity_arn, const std::string& worker_name, int max, absl::Time now,
      absl::Time lease_until) = 0;
  // Tasks that are not activity tasks and not started, to dispatch again
  // after a restart. Ordered by token, after `after_token`.
  virtual absl::StatusOr<std::vector<TaskRecord>> PendingIntegrationTasks(
      const std::string& after_token, int limit) = 0;
  // Counts, for metrics and tests.
  virtual absl::StatusOr<int64_t> CountTasks() = 0;
  virtual absl::StatusOr<int64_t> CountTimers() = 0;
};

// Opens "sqlite:PATH" (or a bare path ending in .db) or "postgresql://..."
// and migrates the schema.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url);

}  // namespace fleetflow::store
