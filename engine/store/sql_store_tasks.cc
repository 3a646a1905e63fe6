// SqlStore: timers and tasks.

#include <algorithm>

#include "engine/common/status.h"
#include "engine/common/strings.h"
#include "engine/store/sql_store.h"

namespace fleetflow::store {
namespace {

constexpr const char* kTaskColumns =
    "token, execution_arn, resource, activity_arn, state_name, attempt, input, heartbeat_s,"
    " timeout_s, started, worker_name, lease_us, created_us";

TaskRecord TaskAt(SqlRows& rows, size_t r) {
  TaskRecord t;
  t.token = rows.TakeText(r, 0);
  t.execution_arn = rows.TakeText(r, 1);
  t.resource = rows.TakeText(r, 2);
  t.activity_arn = rows.TakeText(r, 3);
  t.state_name = rows.TakeText(r, 4);
  t.attempt = static_cast<int32_t>(rows.Int(r, 5));
  t.input = rows.TakeText(r, 6);
  t.heartbeat_seconds = rows.Real(r, 7);
  t.timeout_seconds = rows.Real(r, 8);
  t.started = rows.Int(r, 9) != 0;
  t.worker_name = rows.TakeText(r, 10);
  t.lease_expires = sql::TimeAt(rows, r, 11);
  t.created = sql::TimeAt(rows, r, 12);
  return t;
}

std::vector<TaskRecord> TasksOf(SqlRows& rows) {
  std::vector<TaskRecord> out;
  out.reserve(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) out.push_back(TaskAt(rows, r));
  return out;
}

}  // namespace

absl::StatusOr<std::vector<TimerRecord>> SqlStore::DueTimers(absl::Time until, int limit) {
  std::vector<TimerRecord> out;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p[] = {SqlParam::Int(sql::Micros(until)), SqlParam::Int(limit)};
    FF_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT execution_arn, timer_id, due_us FROM timers"
                                              " WHERE due_us <= $1 ORDER BY due_us LIMIT $2",
                                              p));
    out.reserve(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      out.push_back({rows.TakeText(r, 0), rows.Int(r, 1), sql::TimeAt(rows, r, 2)});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<TaskRecord> SqlStore::GetTask(const std::string& token) {
  TaskRecord out;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p = SqlParam::Text(token);
    FF_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query(StrCat("SELECT ", kTaskColumns, " FROM tasks WHERE token = $1"), {&p, 1}));
    if (rows.empty()) return sql::NotFound("task", token);
    out = TaskAt(rows, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<TaskRecord>> SqlStore::LeaseActivityTasks(
    const std::string& activity_arn, const std::string& worker_name, int max, absl::Time now,
    absl::Time lease_until) {
  std::vector<TaskRecord> out;
  // Idle workers poll often: look with a read before taking the write lock.
  bool any = false;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p[] = {SqlParam::Text(activity_arn), SqlParam::Int(sql::Micros(now))};
    FF_ASSIGN_OR_RETURN(SqlRows rows,
                        c.Query("SELECT token FROM tasks WHERE activity_arn = $1"
                                " AND (started = 0 OR (lease_us IS NOT NULL AND lease_us <= $2))"
                                " LIMIT 1",
                                p));
    any = !rows.empty();
    return absl::OkStatus();
  }));
  if (!any) return out;
  FF_RETURN_IF_ERROR(db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    SqlParam p[] = {SqlParam::Text(activity_arn), SqlParam::Int(max), SqlParam::Text(worker_name),
                    SqlParam::Int(sql::Micros(lease_until)), SqlParam::Int(sql::Micros(now))};
    FF_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query(StrCat("UPDATE tasks SET started = 1, worker_name = $3, lease_us = $4"
                       " WHERE token IN (SELECT token FROM tasks WHERE activity_arn = $1"
                       " AND (started = 0 OR (lease_us IS NOT NULL AND lease_us <= $5))"
                       " ORDER BY created_us, token"
                       " LIMIT $2",
                       db_->dialect().skip_locked, ") RETURNING ", kTaskColumns),
                p));
    out = TasksOf(rows);
    return absl::OkStatus();
  }));
  // RETURNING has no order; hand out the oldest first.
  std::sort(out.begin(), out.end(), [](const TaskRecord& a, const TaskRecord& b) {
    return a.created != b.created ? a.created < b.created : a.token < b.token;
  });
  return out;
}

absl::StatusOr<std::vector<TaskRecord>> SqlStore::PendingIntegrationTasks(
    const std::string& after_token, int limit) {
  std::vector<TaskRecord> out;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p[] = {SqlParam::Text(after_token), SqlParam::Int(limit)};
    FF_ASSIGN_OR_RETURN(SqlRows rows,
                        c.Query(StrCat("SELECT ", kTaskColumns,
                                       " FROM tasks WHERE activity_arn = '' AND started = 0"
                                       " AND token > $1 ORDER BY token LIMIT $2"),
                                p));
    out = TasksOf(rows);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> SqlStore::Count(const char* sql) {
  int64_t n = 0;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    FF_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, {}));
    n = rows.Int(0, 0);
    return absl::OkStatus();
  }));
  return n;
}

absl::StatusOr<int64_t> SqlStore::CountTasks() { return Count("SELECT COUNT(*) FROM tasks"); }
absl::StatusOr<int64_t> SqlStore::CountTimers() { return Count("SELECT COUNT(*) FROM timers"); }

}  // namespace fleetflow::store
