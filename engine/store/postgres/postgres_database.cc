// PostgresDatabase: a connection pool, transactions, error codes.

#include "engine/store/postgres/postgres_database.h"

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <vector>

#include "engine/common/status.h"
#include "engine/common/strings.h"

namespace fleetflow::store {
namespace {

// Maps libpqxx's exceptions onto the Store contract's codes.
absl::Status PostgresError(const std::exception& e) {
  std::string message = StrCat("postgres: ", e.what());
  while (!message.empty() && message.back() == '\n') message.pop_back();
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    return absl::UnavailableError(StrCat(message, " (the commit's outcome is unknown)"));
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) return absl::UnavailableError(message);
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    std::string_view state = sql->sqlstate();
    if (state == "23505") return absl::AbortedError(message);  // lost a race: redo the step
    if (state == "40001" || state == "40P01") {
      return absl::UnavailableError(message);  // serialization failure, deadlock: retry as is
    }
    if (state.substr(0, 2) == "08" || state.substr(0, 2) == "53" || state.substr(0, 3) == "57P" ||
        state.substr(0, 2) == "58" || state == "25006") {
      return absl::UnavailableError(message);  // connection, resources, shutdown, I/O
    }
    return absl::InternalError(message);
  }
  return absl::InternalError(message);
}

class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(pqxx::transaction_base& txn) : txn_(txn) {}

  absl::StatusOr<SqlRows> Query(std::string_view sql, std::span<const SqlParam> params) override {
    pqxx::result result = Run(sql, params);
    SqlRows rows(static_cast<int>(result.columns()));
    for (const auto& row : result) {
      for (const auto& field : row) {
        if (field.is_null()) {
          rows.Add(std::nullopt);
        } else {
          rows.Add(std::string(field.c_str(), field.size()));
        }
      }
    }
    return rows;
  }

  absl::StatusOr<int64_t> Execute(std::string_view sql, std::span<const SqlParam> params) override {
    return static_cast<int64_t>(Run(sql, params).affected_rows());
  }

 private:
  // Parameters go as text; PostgreSQL converts them to the columns' types.
  // Throws: the caller's Transaction turns exceptions into statuses.
  pqxx::result Run(std::string_view sql, std::span<const SqlParam> params) {
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const SqlParam& p = params[i];
      switch (p.kind) {
        case SqlParam::Kind::kNull:
          continue;
        case SqlParam::Kind::kInt:
          storage[i] = std::to_string(p.i);
          break;
        case SqlParam::Kind::kReal: {
          char buffer[32];
          auto end = std::to_chars(buffer, buffer + sizeof buffer, p.d).ptr;
          storage[i].assign(buffer, end);
          break;
        }
        case SqlParam::Kind::kText:
          storage[i].assign(p.text);
          break;
      }
      values[i] = storage[i].c_str();
    }
    return txn_.exec_params(std::string(sql), pqxx::prepare::make_dynamic_params(values));
  }

  pqxx::transaction_base& txn_;
};

class PostgresDatabase final : public SqlDatabase {
 public:
  explicit PostgresDatabase(PostgresOptions options) : options_(std::move(options)) {
    dialect_ = {"postgres",
                "BIGINT",
                "DOUBLE PRECISION",
                " FOR UPDATE SKIP LOCKED",
                " FOR UPDATE",
                "SELECT pg_advisory_xact_lock(7707)",
                30000};
  }

  const SqlDialect& dialect() const override { return dialect_; }

  absl::Status Transaction(bool write,
                           const std::function<absl::Status(SqlConnection&)>& body) override {
    absl::Status status = Attempt(write, body);
    // After a database restart, pooled connections are dead and fail at
    // once. A read can simply run again on a fresh connection; a write is
    // left to the caller, who knows whether it may be repeated.
    for (int retry = 0; !write && retry < 2 && status.code() == absl::StatusCode::kUnavailable;
         ++retry) {
      status = Attempt(write, body);
    }
    return status;
  }

 private:
  absl::Status Attempt(bool write, const std::function<absl::Status(SqlConnection&)>& body) {
    FF_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> connection, Acquire());
    absl::Status status;
    bool broken = false;
    try {
      if (write) {
        pqxx::work txn(*connection);
        status = RunBody(txn, body);
      } else {
        pqxx::read_transaction txn(*connection);
        status = RunBody(txn, body);
      }
    } catch (const std::exception& e) {
      status = PostgresError(e);
      // Whatever libpqxx threw, a connection that is no longer open means
      // the server went away (a restart, a failover): transient.
      if (!connection->is_open() && status.code() != absl::StatusCode::kUnavailable) {
        status = absl::UnavailableError(status.message());
      }
      broken = !connection->is_open() || status.code() == absl::StatusCode::kUnavailable;
    }
    Release(std::move(connection), broken);
    return status;
  }

 private:
  static absl::Status RunBody(pqxx::transaction_base& txn,
                              const std::function<absl::Status(SqlConnection&)>& body) {
    PostgresConnection c(txn);
    absl::Status status = body(c);
    if (status.ok()) {
      txn.commit();
    } else {
      txn.abort();
    }
    return status;
  }

  absl::StatusOr<std::unique_ptr<pqxx::connection>> Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return !idle_.empty() || open_ < options_.pool_size; });
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;
    lock.unlock();
    try {
      return std::make_unique<pqxx::connection>(options_.url);
    } catch (const std::exception& e) {
      lock.lock();
      --open_;
      cv_.notify_one();
      return absl::UnavailableError(StrCat("postgres: cannot connect: ", e.what()));
    }
  }

  void Release(std::unique_ptr<pqxx::connection> connection, bool broken) {
    std::lock_guard lock(mu_);
    if (broken) {
      --open_;  // dropped; the next Acquire connects anew
    } else {
      idle_.push_back(std::move(connection));
    }
    cv_.notify_one();
  }

  PostgresOptions options_;
  SqlDialect dialect_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenPostgresDatabase(const PostgresOptions& options) {
  auto db = std::make_unique<PostgresDatabase>(options);
  // Connect once now so that a wrong URL fails at start, not at first use.
  FF_RETURN_IF_ERROR(
      db->Transaction(false, [](SqlConnection& c) { return c.Query("SELECT 1", {}).status(); }));
  return std::unique_ptr<SqlDatabase>(std::move(db));
}

}  // namespace fleetflow::store
