// SqlRows accessors and the migration runner.

#include <charconv>
#include <cstdlib>

#include "engine/common/status.h"
#include "engine/common/strings.h"
#include "engine/store/sql.h"

namespace fleetflow::store {

const std::string& SqlRows::Text(size_t row, int column) const {
  static const std::string kEmpty;
  const auto& cell = cells_[row * columns_ + column];
  return cell ? *cell : kEmpty;
}

std::string SqlRows::TakeText(size_t row, int column) {
  auto& cell = cells_[row * columns_ + column];
  return cell ? std::move(*cell) : std::string();
}

int64_t SqlRows::Int(size_t row, int column) const {
  const std::string& text = Text(row, column);
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

double SqlRows::Real(size_t row, int column) const {
  return std::strtod(Text(row, column).c_str(), nullptr);
}

absl::Status ApplyMigrations(SqlDatabase& db, std::span<const Migration> migrations) {
  const std::string& lock = db.dialect().migration_lock;
  FF_RETURN_IF_ERROR(db.Transaction(true, [&lock](SqlConnection& c) -> absl::Status {
    if (!lock.empty()) FF_RETURN_IF_ERROR(c.Query(lock, {}).status());
    return c
        .Execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
            " description TEXT NOT NULL)",
            {})
        .status();
  }));
  for (const Migration& m : migrations) {
    FF_RETURN_IF_ERROR(db.Transaction(true, [&m, &lock](SqlConnection& c) -> absl::Status {
      if (!lock.empty()) FF_RETURN_IF_ERROR(c.Query(lock, {}).status());
      SqlParam version = SqlParam::Int(m.version);
      FF_ASSIGN_OR_RETURN(
          SqlRows applied,
          c.Query("SELECT version FROM schema_migrations WHERE version = $1", {&version, 1}));
      if (!applied.empty()) return absl::OkStatus();
      for (const std::string& statement : m.statements) {
        auto done = c.Execute(statement, {});
        if (!done.ok()) {
          return absl::Status(done.status().code(),
                              StrCat("migration ", std::to_string(m.version), " (", m.description,
                                     "): ", done.status().message()));
        }
      }
      SqlParam params[] = {version, SqlParam::Text(m.description)};
      return c
          .Execute("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)", params)
          .status();
    }));
  }
  return absl::OkStatus();
}

}  // namespace fleetflow::store
