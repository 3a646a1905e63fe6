#pragma once
// SQLite behind SqlDatabase: one writer connection (SQLite has one writer at a
// time anyway) and a pool of reader connections, all in WAL mode so readers
// never block the writer.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/store/sql.h"

namespace fleetflow::store {

struct SqliteOptions {
  std::string path;
  std::string synchronous = "FULL";  // FULL: a commit survives power loss
  int max_readers = 8;
  // WAL checkpoints run on a thread of their own (wal_checkpointer.h).
  int checkpoint_wal_pages = 1000;
  int max_wal_pages = 16000;
};

absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenSqliteDatabase(const SqliteOptions& options);

}  // namespace fleetflow::store
