#pragma once
// The seam between the store's logic (sql_store.cc, written once) and a SQL
// database (sqlite/, postgres/). Statements use $1, $2, ... placeholders and
// the SQL that both dialects accept; what differs lives in SqlDialect.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace fleetflow::store {

// A statement parameter. Integers and text only: times are Unix microseconds,
// JSON and definitions are text, booleans are 0/1.
struct SqlParam {
  enum class Kind { kNull, kInt, kReal, kText } kind = Kind::kNull;
  int64_t i = 0;
  double d = 0;
  std::string_view text;  // not owned: must outlive the call

  static SqlParam Null() { return {}; }
  static SqlParam Int(int64_t v) { return {Kind::kInt, v, 0, {}}; }
  static SqlParam Real(double v) { return {Kind::kReal, 0, v, {}}; }
  static SqlParam Text(std::string_view v) { return {Kind::kText, 0, 0, v}; }
};

// A query's result, row-major. Cells are text (or null); Int() converts.
class SqlRows {
 public:
  SqlRows(int columns = 0) : columns_(columns) {}  // NOLINT: implicit by design
  void Add(std::optional<std::string> cell) { cells_.push_back(std::move(cell)); }

  size_t size() const { return columns_ == 0 ? 0 : cells_.size() / columns_; }
  bool empty() const { return size() == 0; }
  bool IsNull(size_t row, int column) const { return !cells_[row * columns_ + column]; }
  const std::string& Text(size_t row, int column) const;  // "" when null
  std::string TakeText(size_t row, int column);
  int64_t Int(size_t row, int column) const;  // 0 when null
  double Real(size_t row, int column) const;

 private:
  int columns_;
  std::vector<std::optional<std::string>> cells_;
};

// One connection, used by one thread at a time, inside a transaction.
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual absl::StatusOr<SqlRows> Query(std::string_view sql, std::span<const SqlParam> params) = 0;
  // Returns the number of rows changed.
  virtual absl::StatusOr<int64_t> Execute(std::string_view sql,
                                          std::span<const SqlParam> params) = 0;
};

// What the two dialects spell differently.
struct SqlDialect {
  std::string name;         // "sqlite" or "postgres"
  std::string int_type;     // a 64-bit integer column
  std::string real_type;    // a double column
  std::string skip_locked;  // appended to a SELECT that claims rows
  std::string for_update;   // appended to a SELECT that reads a row it will change
  // Run first in every migration transaction, so that servers starting
  // together migrate one at a time.
  std::string migration_lock;
  int max_params = 30000;  // per statement
};

// A database: hands out connections inside transactions. Implementations
// translate their errors to the codes of store.h (kUnavailable for anything
// transient, after which nothing was written).
class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;
  virtual const SqlDialect& dialect() const = 0;
  // Runs `body` in one transaction on one connection; commits when it returns
  // OK, rolls back otherwise. `write` says whether it may write (SQLite takes
  // its write lock up front then; PostgreSQL may use a read-only snapshot).
  virtual absl::Status Transaction(bool write,
                                   const std::function<absl::Status(SqlConnection&)>& body) = 0;
};

// A migration is a numbered list of statements; a database applies those it
// has not recorded in its schema_migrations table, each in its transaction.
struct Migration {
  int version;
  std::string description;
  std::vector<std::string> statements;
};
std::vector<Migration> SchemaMigrations(const SqlDialect& dialect);  // schema.cc
absl::Status ApplyMigrations(SqlDatabase& db, std::span<const Migration> migrations);

}  // namespace fleetflow::store
