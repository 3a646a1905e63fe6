#pragma once
// PostgreSQL behind SqlDatabase, through libpqxx: a pool of connections;
// a connection that breaks is dropped and a new one is made on next use, so
// the store rides out a database restart (callers see kUnavailable meanwhile).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/store/sql.h"

namespace fleetflow::store {

struct PostgresOptions {
  std::string url;  // postgresql://user@host:port/db or "host=... port=..."
  int pool_size = 8;
};

absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenPostgresDatabase(const PostgresOptions& options);

}  // namespace fleetflow::store
