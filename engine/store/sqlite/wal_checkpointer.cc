#include "engine/store/sqlite/wal_checkpointer.h"

#include <sqlite3.h>

#include "engine/common/log.h"
#include "engine/common/strings.h"

namespace fleetflow::store {

absl::StatusOr<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(
    const std::string& path, const std::string& synchronous, WalCheckpointerOptions options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status error = absl::UnavailableError(
        StrCat("sqlite: open ", path, " for checkpoints: ", db ? sqlite3_errmsg(db) : "no memory"));
    sqlite3_close_v2(db);
    return error;
  }
  sqlite3_busy_timeout(db, 5000);
  std::string pragma = StrCat("PRAGMA synchronous=", synchronous);
  if (sqlite3_exec(db, pragma.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    absl::Status error = absl::InvalidArgumentError(StrCat("sqlite: ", sqlite3_errmsg(db)));
    sqlite3_close_v2(db);
    return error;
  }
  // A checkpoint needs the connection to have opened the WAL, which its
  // first read of the schema does.
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    absl::Status error = absl::UnavailableError(StrCat("sqlite: ", sqlite3_errmsg(db)));
    sqlite3_close_v2(db);
    return error;
  }
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(db, options));
}

WalCheckpointer::WalCheckpointer(sqlite3* db, WalCheckpointerOptions options)
    : db_(db), options_(options), thread_([this] { Loop(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
  sqlite3_close_v2(db_);
}

void WalCheckpointer::Attach(sqlite3* writer) { sqlite3_wal_hook(writer, &OnCommit, this); }

// Runs on the writer's thread, after each commit, with the WAL's size.
int WalCheckpointer::OnCommit(void* self, sqlite3* writer, const char* schema, int wal_pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (wal_pages >= c->options_.max_wal_pages) {
    // Busy (the thread is checkpointing) is fine: the WAL is being drained.
    sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ++c->inline_;
    return SQLITE_OK;
  }
  // Once per `wal_pages` new pages, as SQLite's own auto-checkpoint: the WAL
  // keeps its size until the writer restarts it after a complete checkpoint,
  // and a checkpoint per commit would sync the database file per commit.
  if (wal_pages < c->requested_at_) c->requested_at_ = 0;  // the WAL was restarted
  if (wal_pages - c->requested_at_ >= c->options_.wal_pages) {
    c->requested_at_ = wal_pages;
    {
      std::lock_guard lock(c->mu_);
      c->wanted_ = true;
    }
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::Loop() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return wanted_ || stopping_; });
      if (stopping_) return;
      wanted_ = false;
    }
    // PASSIVE never waits for readers or the writer; what it cannot copy now
    // is copied by the next one.
    int wal_frames = 0, copied = 0;
    int rc =
        sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      LogWarning("sqlite checkpoint failed; the next commit retries it",
                 absl::UnavailableError(sqlite3_errmsg(db_)));
    }
    ++background_;
    if (copied > 0) pages_copied_ += static_cast<uint64_t>(copied);
  }
}

}  // namespace fleetflow::store
