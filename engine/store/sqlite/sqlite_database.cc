// SqliteDatabase: connections, statement caches, transactions, error codes.

#include "engine/store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <mutex>
#include <unordered_map>
#include <vector>

#include "absl/time/clock.h"
#include "engine/common/status.h"
#include "engine/common/strings.h"
#include "engine/store/sqlite/wal_checkpointer.h"

namespace fleetflow::store {
namespace {

// Maps SQLite's result codes onto the Store contract's codes.
absl::Status SqliteError(sqlite3* db, int rc, std::string_view context) {
  std::string message =
      StrCat("sqlite: ", context, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
      return absl::UnavailableError(message);
    case SQLITE_CONSTRAINT:
      // A key taken by a concurrent writer is a lost race; any other
      // constraint is a bug, and retrying would not help.
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
        return absl::AbortedError(message);
      }
      return absl::InternalError(message);
    default:
      return absl::InternalError(message);
  }
}

// "$N" is a named parameter to SQLite, and SQLite looks names up linearly
// per parameter, which is quadratic for a multi-row statement. "?N" binds at
// index N, and a plain "?" at the next index without any lookup, so when the
// placeholders run $1, $2, ... in order they become plain "?".
std::string SqlitePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  bool in_order = true;
  size_t expected = 1;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '$') continue;
    size_t end = i + 1, n = 0;
    while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') n = n * 10 + (sql[end++] - '0');
    if (n != expected++) in_order = false;
  }
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '$') {
      out += sql[i];
      continue;
    }
    out += '?';
    if (in_order) {
      while (i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') ++i;
    }
  }
  return out;
}

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* handle() const { return db_; }
  ~SqliteConnection() override {
    ClearCache();
    sqlite3_close_v2(db_);
  }

  absl::Status Exec(const char* sql) {
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? absl::OkStatus() : SqliteError(db_, rc, sql);
  }

  absl::StatusOr<SqlRows> Query(std::string_view sql, std::span<const SqlParam> params) override {
    FF_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    int columns = sqlite3_column_count(stmt);
    SqlRows rows(columns);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          rows.Add(std::nullopt);
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          rows.Add(std::string(text, sqlite3_column_bytes(stmt, c)));
        }
      }
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "query");
    return rows;
  }

  absl::StatusOr<int64_t> Execute(std::string_view sql, std::span<const SqlParam> params) override {
    FF_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "execute");
    return sqlite3_changes64(db_);
  }

 private:
  // Statements are cached by text (the store uses a bounded set of texts;
  // the cache is still cleared past a size, as a guard).
  absl::StatusOr<sqlite3_stmt*> Prepare(std::string_view sql, std::span<const SqlParam> params) {
    auto it = cache_.find(sql);
    sqlite3_stmt* stmt = nullptr;
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      if (cache_.size() > 512) ClearCache();
      std::string numbered = SqlitePlaceholders(sql);
      int rc = sqlite3_prepare_v3(db_, numbered.data(), static_cast<int>(numbered.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK)
        return SqliteError(db_, rc, StrCat("prepare '", sql.substr(0, 200), "'"));
      cache_.emplace(std::string(sql), stmt);
    }
    sqlite3_clear_bindings(stmt);
    // ?N binds at N; the count is the largest N in the statement.
    int count = sqlite3_bind_parameter_count(stmt);
    if (static_cast<size_t>(count) > params.size()) {
      return absl::InternalError(
          StrCat("sqlite: statement wants ", count, " parameters but got ", params.size()));
    }
    for (int i = 1; i <= count; ++i) {
      const SqlParam& p = params[i - 1];
      int rc = SQLITE_OK;
      switch (p.kind) {
        case SqlParam::Kind::kNull:
          rc = sqlite3_bind_null(stmt, i);
          break;
        case SqlParam::Kind::kInt:
          rc = sqlite3_bind_int64(stmt, i, p.i);
          break;
        case SqlParam::Kind::kReal:
          rc = sqlite3_bind_double(stmt, i, p.d);
          break;
        case SqlParam::Kind::kText:
          rc = sqlite3_bind_text64(stmt, i, p.text.data(), p.text.size(), SQLITE_STATIC,
                                   SQLITE_UTF8);
          break;
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return stmt;
  }

  void ClearCache() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cache_;
};

class SqliteDatabase final : public SqlDatabase {
 public:
  explicit SqliteDatabase(SqliteOptions options) : options_(std::move(options)) {
    // SQLite has one writer at a time: BEGIN IMMEDIATE already serializes
    // what PostgreSQL needs row locks and an advisory lock for.
    dialect_ = {"sqlite", "INTEGER", "REAL", "", "", "", 30000};
  }

  absl::Status Init() {
    FF_ASSIGN_OR_RETURN(writer_, Connect());
    // Switching to WAL needs the database to itself and does not wait for
    // the busy timeout: another process opening it at the same moment makes
    // it fail with "locked", so retry for a while.
    absl::Status wal;
    for (int attempt = 0; attempt < 100; ++attempt) {
      wal = writer_->Exec("PRAGMA journal_mode=WAL");
      if (wal.code() != absl::StatusCode::kUnavailable) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    FF_RETURN_IF_ERROR(wal);
    FF_ASSIGN_OR_RETURN(checkpointer_, WalCheckpointer::Start(options_.path, options_.synchronous,
                                                              {options_.checkpoint_wal_pages,
                                                               options_.max_wal_pages}));
    checkpointer_->Attach(writer_->handle());
    return absl::OkStatus();
  }
  ~SqliteDatabase() override {
    // The writer's WAL hook points at the checkpointer: close the writer first.
    writer_.reset();
    checkpointer_.reset();
  }

  const SqlDialect& dialect() const override { return dialect_; }

  absl::Status Transaction(bool write,
                           const std::function<absl::Status(SqlConnection&)>& body) override {
    if (write) {
      std::lock_guard lock(writer_mu_);
      return Run(*writer_, "BEGIN IMMEDIATE", body);
    }
    std::unique_ptr<SqliteConnection> reader;
    {
      std::lock_guard lock(readers_mu_);
      if (!readers_.empty()) {
        reader = std::move(readers_.back());
        readers_.pop_back();
      }
    }
    if (!reader) {
      FF_ASSIGN_OR_RETURN(reader, Connect());
    }
    absl::Status status = Run(*reader, "BEGIN", body);
    std::lock_guard lock(readers_mu_);
    if (static_cast<int>(readers_.size()) < options_.max_readers) {
      readers_.push_back(std::move(reader));
    }
    return status;
  }

 private:
  absl::StatusOr<std::unique_ptr<SqliteConnection>> Connect() {
    sqlite3* db = nullptr;
    int rc =
        sqlite3_open_v2(options_.path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      absl::Status error = SqliteError(db, rc, StrCat("open ", options_.path));
      sqlite3_close_v2(db);
      return error;
    }
    auto connection = std::make_unique<SqliteConnection>(db);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    FF_RETURN_IF_ERROR(
        connection->Exec(StrCat("PRAGMA synchronous=", options_.synchronous).c_str()));
    // SQLite's default page cache is 2 MiB: the executions' indexes outgrow
    // it quickly, and every miss is a read(2) in the middle of a commit.
    FF_RETURN_IF_ERROR(connection->Exec("PRAGMA cache_size=-32768"));  // 32 MiB
    return connection;
  }

  static absl::Status Run(SqliteConnection& c, const char* begin,
                          const std::function<absl::Status(SqlConnection&)>& body) {
    FF_RETURN_IF_ERROR(c.Exec(begin));
    absl::Status status = body(c);
    if (status.ok()) status = c.Exec("COMMIT");
    // After some I/O errors SQLite has already rolled back; that is fine.
    if (!status.ok()) c.Exec("ROLLBACK").IgnoreError();
    return status;
  }

  SqliteOptions options_;
  SqlDialect dialect_;
  std::mutex writer_mu_;
  std::unique_ptr<WalCheckpointer> checkpointer_;
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenSqliteDatabase(const SqliteOptions& options) {
  auto db = std::make_unique<SqliteDatabase>(options);
  FF_RETURN_IF_ERROR(db->Init());
  return std::unique_ptr<SqlDatabase>(std::move(db));
}

}  // namespace fleetflow::store
