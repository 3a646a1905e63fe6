#pragma once
// The Store over any SqlDatabase: the store's logic, written once. The
// dialects (sqlite/, postgres/) only provide connections and transactions.

#include <memory>

#include "engine/store/sql.h"
#include "engine/store/store.h"

namespace fleetflow::store {

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  absl::Status Migrate() override;

  absl::StatusOr<std::string> GetDefinition(const std::string& definition_id) override;

  absl::Status CreateMachine(const MachineRecord& m) override;
  absl::Status UpdateMachine(const MachineRecord& m) override;
  absl::StatusOr<MachineRecord> GetMachine(const std::string& arn) override;
  absl::StatusOr<Page<MachineRecord>> ListMachines(const PageRequest& page) override;
  absl::Status DeleteMachine(const std::string& arn) override;

  absl::StatusOr<VersionRecord> PublishVersion(const std::string& machine_arn,
                                               const std::string& expected_revision_id,
                                               const std::string& description,
                                               absl::Time now) override;
  absl::StatusOr<VersionRecord> GetVersion(const std::string& machine_arn,
                                           int64_t version) override;
  absl::StatusOr<Page<VersionRecord>> ListVersions(const std::string& machine_arn,
                                                   const PageRequest& page) override;
  absl::Status DeleteVersion(const std::string& machine_arn, int64_t version) override;

  absl::Status CreateAlias(const AliasRecord& a) override;
  absl::Status UpdateAlias(const AliasRecord& a) override;
  absl::StatusOr<AliasRecord> GetAlias(const std::string& arn) override;
  absl::StatusOr<Page<AliasRecord>> ListAliases(const std::string& machine_arn,
                                                const PageRequest& page) override;
  absl::Status DeleteAlias(const std::string& arn) override;

  absl::StatusOr<ActivityRecord> CreateActivity(const ActivityRecord& a) override;
  absl::StatusOr<ActivityRecord> GetActivity(const std::string& arn) override;
  absl::StatusOr<Page<ActivityRecord>> ListActivities(const PageRequest& page) override;
  absl::Status DeleteActivity(const std::string& arn) override;

  absl::StatusOr<ExecutionRecord> GetExecution(const std::string& arn) override;
  absl::StatusOr<Page<ExecutionRecord>> ListExecutions(const ExecutionFilter& filter,
                                                       const PageRequest& page) override;
  absl::StatusOr<std::vector<absl::Status>> Commit(std::span<const Transition> batch) override;
  absl::StatusOr<std::vector<HistoryBatch>> ReadHistory(const std::string& execution_arn,
                                                        int64_t after_event_id,
                                                        int max_batches) override;
  absl::StatusOr<std::vector<HistoryBatch>> ReadHistoryReverse(const std::string& execution_arn,
                                                               int64_t before_event_id,
                                                               int max_batches) override;

  absl::StatusOr<std::vector<TimerRecord>> DueTimers(absl::Time until, int limit) override;
  absl::StatusOr<TaskRecord> GetTask(const std::string& token) override;
  absl::StatusOr<std::vector<TaskRecord>> LeaseActivityTasks(const std::string& activity_arn,
                                                             const std::string& worker_name,
                                                             int max, absl::Time now,
                                                             absl::Time lease_until) override;
  absl::StatusOr<std::vector<TaskRecord>> PendingIntegrationTasks(const std::string& after_token,
                                                                  int limit) override;
  absl::StatusOr<int64_t> CountTasks() override;
  absl::StatusOr<int64_t> CountTimers() override;

 private:
  absl::StatusOr<int64_t> Count(const char* sql);

  std::unique_ptr<SqlDatabase> db_;
};

// Helpers shared by the sql_store*.cc files.
namespace sql {

// Unix microseconds; InfinitePast (unset) is NULL.
SqlParam Time(absl::Time t);
absl::Time TimeAt(const SqlRows& rows, size_t row, int column);
int64_t Micros(absl::Time t);
absl::Status NotFound(std::string_view what, std::string_view key);
// Page tokens are "<key>" or "<number>|<key>"; a malformed one is kInvalidArgument.
absl::Status BadPageToken(std::string_view token);

// Appends "($k, $k+1, ...)" for `columns` parameters, each wrapped as
// CAST($k AS type) when `types` is given (VALUES lists in PostgreSQL need it).
void AppendTuple(std::string& sql, int& next_param, int columns,
                 std::span<const std::string> types = {});

}  // namespace sql

}  // namespace fleetflow::store
