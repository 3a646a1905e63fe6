// SqlStore: executions, their history, and group commit.

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include "engine/common/status.h"
#include "engine/common/strings.h"
#include "engine/store/sql_store.h"

namespace fleetflow::store {
namespace {

constexpr const char* kSummaryColumns =
    "arn, machine_arn, name, definition_id, version_arn, alias_arn, status, error, cause,"
    " start_us, stop_us, version, last_event_id, part, redrive_count, redrive_us";
constexpr const char* kDetailColumns =
    "input, output, state, step_id";  // after the summary columns

ExecutionRecord ExecutionAt(SqlRows& rows, size_t r, bool details) {
  ExecutionRecord e;
  e.arn = rows.TakeText(r, 0);
  e.machine_arn = rows.TakeText(r, 1);
  e.name = rows.TakeText(r, 2);
  e.definition_id = rows.TakeText(r, 3);
  e.version_arn = rows.TakeText(r, 4);
  e.alias_arn = rows.TakeText(r, 5);
  ParseExecutionStatus(rows.Text(r, 6), e.status);
  e.error = rows.TakeText(r, 7);
  e.cause = rows.TakeText(r, 8);
  e.start = sql::TimeAt(rows, r, 9);
  e.stop = sql::TimeAt(rows, r, 10);
  e.version = rows.Int(r, 11);
  e.last_event_id = rows.Int(r, 12);
  e.partition = static_cast<int32_t>(rows.Int(r, 13));
  e.redrive_count = static_cast<int32_t>(rows.Int(r, 14));
  e.redrive_date = sql::TimeAt(rows, r, 15);
  if (details) {
    e.input = rows.TakeText(r, 16);
    e.output = rows.TakeText(r, 17);
    e.state = rows.TakeText(r, 18);
    e.step_id = rows.TakeText(r, 19);
  }
  return e;
}

// Parses "<start micros>|<arn>".
bool ParseExecutionToken(const std::string& token, int64_t& start_us, std::string& arn) {
  size_t bar = token.find('|');
  if (bar == std::string::npos) return false;
  auto [end, ec] = std::from_chars(token.data(), token.data() + bar, start_us);
  if (ec != std::errc() || end != token.data() + bar) return false;
  arn = token.substr(bar + 1);
  return !arn.empty();
}

std::vector<HistoryBatch> BatchesOf(SqlRows& rows) {
  std::vector<HistoryBatch> out;
  out.reserve(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out.push_back({rows.Int(r, 0), rows.Int(r, 1), rows.TakeText(r, 2)});
  }
  return out;
}

// Builds and runs "<head> VALUES (..), (..) <tail>" over `rows` tuples of
// `columns` parameters each, in as few statements as the dialect allows.
// Returns the rows that the statements return (RETURNING), concatenated.
class MultiRow {
 public:
  MultiRow(SqlConnection& c, const SqlDialect& dialect, int columns,
           std::span<const std::string> casts = {})
      : c_(c),
        columns_(columns),
        casts_(casts),
        rows_per_statement_(std::max(1, dialect.max_params / columns)) {}

  void Add(std::initializer_list<SqlParam> tuple) {
    if (static_cast<int>(tuple.size()) != columns_) misshapen_ = true;  // a bug: Run reports it
    params_.insert(params_.end(), tuple.begin(), tuple.end());
  }
  bool empty() const { return params_.empty(); }

  // Runs head + tuples + tail; collects column 0 of returned rows into `returned`.
  // Statements hold 1024, 256, 64, 16, 4 or 1 tuples, so that a database
  // that caches statements by text sees a handful of texts, whatever the
  // batch sizes.
  absl::Status Run(std::string_view head, std::string_view tail,
                   std::vector<std::string>* returned = nullptr) {
    if (misshapen_) {
      return absl::InternalError(
          StrCat("a row for '", head.substr(0, 40), "' has the wrong arity"));
    }
    size_t total = params_.size() / columns_;
    for (size_t first = 0; first < total;) {
      size_t count = ChunkSize(total - first);
      std::string sql(head);
      int next = 1;
      for (size_t i = 0; i < count; ++i) {
        if (i > 0) sql += ", ";
        sql::AppendTuple(sql, next, columns_, casts_);
      }
      sql += tail;
      std::span<const SqlParam> slice(params_.data() + first * columns_, count * columns_);
      if (returned) {
        FF_ASSIGN_OR_RETURN(SqlRows rows, c_.Query(sql, slice));
        for (size_t r = 0; r < rows.size(); ++r) returned->push_back(rows.TakeText(r, 0));
      } else {
        FF_RETURN_IF_ERROR(c_.Execute(sql, slice).status());
      }
      first += count;
    }
    params_.clear();
    return absl::OkStatus();
  }

 private:
  size_t ChunkSize(size_t remaining) const {
    for (size_t size : {1024, 256, 64, 16, 4}) {
      if (size <= remaining && size <= rows_per_statement_) return size;
    }
    return 1;
  }

  SqlConnection& c_;
  int columns_;
  std::span<const std::string> casts_;
  size_t rows_per_statement_;
  std::vector<SqlParam> params_;
  bool misshapen_ = false;
};

}  // namespace

absl::StatusOr<ExecutionRecord> SqlStore::GetExecution(const std::string& arn) {
  ExecutionRecord e;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p = SqlParam::Text(arn);
    FF_ASSIGN_OR_RETURN(SqlRows rows,
                        c.Query(StrCat("SELECT ", kSummaryColumns, ", ", kDetailColumns,
                                       " FROM executions WHERE arn = $1"),
                                {&p, 1}));
    if (rows.empty()) return sql::NotFound("execution", arn);
    e = ExecutionAt(rows, 0, true);
    return absl::OkStatus();
  }));
  return e;
}

absl::StatusOr<Page<ExecutionRecord>> SqlStore::ListExecutions(const ExecutionFilter& filter,
                                                               const PageRequest& page) {
  if (page.limit <= 0 || page.limit > 1000) {
    return absl::InvalidArgumentError("page limit must be between 1 and 1000");
  }
  std::string sql = StrCat("SELECT ", kSummaryColumns, " FROM executions WHERE 1 = 1");
  std::vector<SqlParam> params;
  auto param = [&params](SqlParam p) {
    params.push_back(p);
    return StrCat("$", std::to_string(params.size()));
  };
  const char* status_name = ExecutionStatusName(filter.status);
  if (!filter.machine_arn.empty()) {
    StrAppend(&sql, " AND machine_arn = ", param(SqlParam::Text(filter.machine_arn)));
  }
  if (!filter.version_arn.empty()) {
    StrAppend(&sql, " AND version_arn = ", param(SqlParam::Text(filter.version_arn)));
  }
  if (!filter.alias_arn.empty()) {
    StrAppend(&sql, " AND alias_arn = ", param(SqlParam::Text(filter.alias_arn)));
  }
  if (filter.redriven == ExecutionFilter::Redriven::kYes) sql += " AND redrive_count > 0";
  if (filter.redriven == ExecutionFilter::Redriven::kNo) sql += " AND redrive_count = 0";
  if (filter.has_status) StrAppend(&sql, " AND status = ", param(SqlParam::Text(status_name)));
  if (filter.started_after != absl::InfinitePast()) {
    StrAppend(&sql, " AND start_us >= ", param(SqlParam::Int(sql::Micros(filter.started_after))));
  }
  if (filter.started_before != absl::InfiniteFuture()) {
    StrAppend(&sql, " AND start_us < ", param(SqlParam::Int(sql::Micros(filter.started_before))));
  }
  int64_t after_start = 0;
  std::string after_arn;
  if (!page.page_token.empty()) {
    if (!ParseExecutionToken(page.page_token, after_start, after_arn)) {
      return sql::BadPageToken(page.page_token);
    }
    std::string s = param(SqlParam::Int(after_start));
    std::string a = param(SqlParam::Text(after_arn));
    StrAppend(&sql, " AND (start_us < ", s, " OR (start_us = ", s, " AND arn < ", a, "))");
  }
  // One row more than the page: whether there is a next page.
  StrAppend(&sql, " ORDER BY start_us DESC, arn DESC LIMIT ", param(SqlParam::Int(page.limit + 1)));
  Page<ExecutionRecord> out;
  bool more = false;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    FF_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, params));
    for (size_t r = 0; r < rows.size() && static_cast<int>(r) < page.limit; ++r) {
      out.items.push_back(ExecutionAt(rows, r, false));
    }
    more = static_cast<int>(rows.size()) > page.limit;
    return absl::OkStatus();
  }));
  if (more) {
    const ExecutionRecord& last = out.items.back();
    out.next_token = StrCat(std::to_string(sql::Micros(last.start)), "|", last.arn);
  }
  return out;
}

absl::StatusOr<std::vector<absl::Status>> SqlStore::Commit(std::span<const Transition> batch) {
  std::vector<absl::Status> outcome(batch.size());
  const SqlDialect& dialect = db_->dialect();
  absl::Status done = db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    // Two steps of one execution in one batch cannot both hold the expected
    // version; the later one loses the race before it reaches the database.
    std::unordered_set<std::string_view> seen;
    std::vector<bool> applied(batch.size(), false);
    std::unordered_map<std::string_view, size_t> index;
    MultiRow inserts(c, dialect, 20);
    const std::string& i = dialect.int_type;
    const std::string t = "TEXT";
    const std::string update_casts[] = {t, i, t, t, t, t, i, i, i, t, i, i, t, t};
    MultiRow updates(c, dialect, 14, update_casts);
    // Parameters point into these: they must not move while statements run.
    std::vector<std::string> status_names;
    status_names.reserve(batch.size());
    for (size_t k = 0; k < batch.size(); ++k) {
      const Transition& tr = batch[k];
      const ExecutionRecord& e = tr.execution;
      outcome[k] = absl::OkStatus();
      if (!seen.insert(e.arn).second) {
        outcome[k] =
            tr.expected_version == 0
                ? absl::AlreadyExistsError(StrCat("execution already exists: ", e.arn))
                : absl::AbortedError(StrCat("execution ", e.arn, " changed in the same batch"));
        continue;
      }
      index[e.arn] = k;
      status_names.emplace_back(ExecutionStatusName(e.status));
      SqlParam status = SqlParam::Text(status_names.back());
      if (tr.expected_version == 0) {
        inserts.Add({SqlParam::Text(e.arn),
                     SqlParam::Text(e.machine_arn),
                     SqlParam::Text(e.name),
                     SqlParam::Text(e.definition_id),
                     SqlParam::Text(e.version_arn),
                     SqlParam::Text(e.alias_arn),
                     status,
                     SqlParam::Text(e.error),
                     SqlParam::Text(e.cause),
                     sql::Time(e.start),
                     sql::Time(e.stop),
                     SqlParam::Int(1),
                     SqlParam::Int(e.last_event_id),
                     SqlParam::Int(e.partition),
                     SqlParam::Int(e.redrive_count),
                     sql::Time(e.redrive_date),
                     SqlParam::Text(e.input),
                     SqlParam::Text(e.output),
                     SqlParam::Text(e.state),
                     SqlParam::Text(e.step_id)});
      } else {
        updates.Add({SqlParam::Text(e.arn), SqlParam::Int(tr.expected_version), status,
                     SqlParam::Text(e.error), SqlParam::Text(e.cause), SqlParam::Text(e.output),
                     sql::Time(e.stop), SqlParam::Int(e.last_event_id),
                     SqlParam::Int(e.redrive_count), SqlParam::Text(e.state),
                     sql::Time(e.redrive_date), SqlParam::Int(tr.expected_version + 1),
                     SqlParam::Text(e.version_arn), SqlParam::Text(e.step_id)});
      }
    }
    std::vector<std::string> written;
    if (!inserts.empty()) {
      FF_RETURN_IF_ERROR(inserts.Run(
          StrCat("INSERT INTO executions (", kSummaryColumns, ", ", kDetailColumns, ") VALUES "),
          " ON CONFLICT (arn) DO NOTHING RETURNING arn", &written));
    }
    if (!updates.empty()) {
      // VALUES columns are column1..column14 in both dialects.
      FF_RETURN_IF_ERROR(updates.Run(
          "UPDATE executions SET status = v.column3, error = v.column4, cause = v.column5,"
          " output = v.column6, stop_us = v.column7, last_event_id = v.column8,"
          " redrive_count = v.column9, state = v.column10, redrive_us = v.column11,"
          " version = v.column12, version_arn = v.column13, step_id = v.column14 FROM (VALUES ",
          ") AS v WHERE executions.arn = v.column1 AND executions.version = v.column2"
          " RETURNING executions.arn",
          &written));
    }
    for (const std::string& arn : written) applied[index.at(arn)] = true;

    MultiRow history(c, dialect, 4), add_timers(c, dialect, 4), add_tasks(c, dialect, 13);
    const std::string timer_casts[] = {t, i};
    MultiRow delete_timers(c, dialect, 2, timer_casts);
    MultiRow delete_tasks(c, dialect, 1), clear_timers(c, dialect, 1), clear_tasks(c, dialect, 1);
    const std::string lease_casts[] = {t, i};
    MultiRow lease_tasks(c, dialect, 2, lease_casts);
    for (size_t k = 0; k < batch.size(); ++k) {
      const Transition& tr = batch[k];
      const std::string& arn = tr.execution.arn;
      if (!outcome[k].ok()) continue;
      if (!applied[k]) {
        outcome[k] = tr.expected_version == 0
                         ? absl::AlreadyExistsError(StrCat("execution already exists: ", arn))
                         : absl::AbortedError(StrCat("execution ", arn, " is not at version ",
                                                     std::to_string(tr.expected_version)));
        continue;
      }
      for (const HistoryBatch& h : tr.history) {
        history.Add({SqlParam::Text(arn), SqlParam::Int(h.first_event_id),
                     SqlParam::Int(h.last_event_id), SqlParam::Text(h.events)});
      }
      if (tr.clear_timers_and_tasks) {
        clear_timers.Add({SqlParam::Text(arn)});
        clear_tasks.Add({SqlParam::Text(arn)});
      }
      for (int64_t id : tr.delete_timers)
        delete_timers.Add({SqlParam::Text(arn), SqlParam::Int(id)});
      for (const std::string& token : tr.delete_tasks) delete_tasks.Add({SqlParam::Text(token)});
      for (const Transition::TaskLease& lease : tr.lease_tasks) {
        lease_tasks.Add({SqlParam::Text(lease.token), lease.until == absl::InfiniteFuture()
                                                          ? SqlParam::Null()
                                                          : sql::Time(lease.until)});
      }
      for (const TimerRecord& timer : tr.add_timers) {
        add_timers.Add({SqlParam::Text(arn), SqlParam::Int(timer.timer_id),
                        SqlParam::Int(sql::Micros(timer.due)),
                        SqlParam::Int(tr.execution.partition)});
      }
      for (const TaskRecord& task : tr.add_tasks) {
        add_tasks.Add({SqlParam::Text(task.token), SqlParam::Text(arn),
                       SqlParam::Text(task.resource), SqlParam::Text(task.activity_arn),
                       SqlParam::Text(task.state_name), SqlParam::Int(task.attempt),
                       SqlParam::Text(task.input), SqlParam::Real(task.heartbeat_seconds),
                       SqlParam::Real(task.timeout_seconds), SqlParam::Int(task.started ? 1 : 0),
                       SqlParam::Text(task.worker_name), sql::Time(task.lease_expires),
                       sql::Time(task.created)});
      }
    }
    if (!history.empty()) {
      FF_RETURN_IF_ERROR(history.Run(
          "INSERT INTO history (execution_arn, first_event_id, last_event_id, events) VALUES ",
          ""));
    }
    if (!clear_timers.empty()) {
      FF_RETURN_IF_ERROR(
          clear_timers.Run("DELETE FROM timers WHERE execution_arn IN (VALUES ", ")"));
      FF_RETURN_IF_ERROR(clear_tasks.Run("DELETE FROM tasks WHERE execution_arn IN (VALUES ", ")"));
    }
    if (!delete_timers.empty()) {
      FF_RETURN_IF_ERROR(
          delete_timers.Run("DELETE FROM timers WHERE (execution_arn, timer_id) IN (VALUES ", ")"));
    }
    if (!delete_tasks.empty()) {
      FF_RETURN_IF_ERROR(delete_tasks.Run("DELETE FROM tasks WHERE token IN (VALUES ", ")"));
    }
    if (!lease_tasks.empty()) {
      // A NULL lease never expires: the task is taken for good.
      FF_RETURN_IF_ERROR(
          lease_tasks.Run("UPDATE tasks SET started = 1, lease_us = v.column2 FROM (VALUES ",
                          ") AS v WHERE tasks.token = v.column1"));
    }
    if (!add_timers.empty()) {
      FF_RETURN_IF_ERROR(
          add_timers.Run("INSERT INTO timers (execution_arn, timer_id, due_us, part) VALUES ",
                         " ON CONFLICT DO NOTHING"));
    }
    if (!add_tasks.empty()) {
      FF_RETURN_IF_ERROR(add_tasks.Run(
          "INSERT INTO tasks (token, execution_arn, resource, activity_arn, state_name, attempt,"
          " input, heartbeat_s, timeout_s, started, worker_name, lease_us, created_us) VALUES ",
          " ON CONFLICT DO NOTHING"));
    }
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return outcome;
}

absl::StatusOr<std::vector<HistoryBatch>> SqlStore::ReadHistory(const std::string& execution_arn,
                                                                int64_t after_event_id,
                                                                int max_batches) {
  std::vector<HistoryBatch> out;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p[] = {SqlParam::Text(execution_arn), SqlParam::Int(after_event_id),
                    SqlParam::Int(max_batches)};
    FF_ASSIGN_OR_RETURN(SqlRows rows,
                        c.Query("SELECT first_event_id, last_event_id, events FROM history"
                                " WHERE execution_arn = $1 AND last_event_id > $2"
                                " ORDER BY first_event_id LIMIT $3",
                                p));
    out = BatchesOf(rows);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<HistoryBatch>> SqlStore::ReadHistoryReverse(
    const std::string& execution_arn, int64_t before_event_id, int max_batches) {
  std::vector<HistoryBatch> out;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p[] = {SqlParam::Text(execution_arn), SqlParam::Int(before_event_id),
                    SqlParam::Int(max_batches)};
    FF_ASSIGN_OR_RETURN(SqlRows rows,
                        c.Query("SELECT first_event_id, last_event_id, events FROM history"
                                " WHERE execution_arn = $1 AND first_event_id < $2"
                                " ORDER BY first_event_id DESC LIMIT $3",
                                p));
    out = BatchesOf(rows);
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace fleetflow::store
