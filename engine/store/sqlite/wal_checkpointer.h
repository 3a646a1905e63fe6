#pragma once
// Moves SQLite's WAL checkpoints off the committing thread. By default the
// connection that commits copies the WAL back into the database file, and
// syncs it, inside the commit that takes the WAL past 1,000 pages; the group
// committer's thread would do that work while every start waits. Here the
// writer only signals, and a thread with its own connection checkpoints
// while the next commits run. If checkpoints fall behind (the WAL passes
// `max_wal_pages`), the writer checkpoints itself, as SQLite would, so the
// WAL stays bounded.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

struct sqlite3;

namespace fleetflow::store {

struct WalCheckpointerOptions {
  int wal_pages = 1000;       // a checkpoint is wanted past this (SQLite's default)
  int max_wal_pages = 16000;  // the writer checkpoints itself past this
};

class WalCheckpointer {
 public:
  // Opens its own connection to the database at `path` (already in WAL
  // mode), with the writer's PRAGMA synchronous.
  static absl::StatusOr<std::unique_ptr<WalCheckpointer>> Start(const std::string& path,
                                                                const std::string& synchronous,
                                                                WalCheckpointerOptions options);
  ~WalCheckpointer();  // finishes the checkpoint in progress, then stops

  // Takes over checkpointing from `writer` (SQLite's auto-checkpoint is off
  // for it from then on). The writer must be closed before this object.
  void Attach(sqlite3* writer);

  struct Stats {
    uint64_t background = 0;    // checkpoints run by this thread
    uint64_t pages_copied = 0;  // summed over them: WAL frames in the database file after each
    uint64_t inline_ = 0;       // checkpoints tried by the writer, past max_wal_pages
  };
  Stats stats() const { return {background_, pages_copied_, inline_}; }

 private:
  WalCheckpointer(sqlite3* db, WalCheckpointerOptions options);
  static int OnCommit(void* self, sqlite3* writer, const char* schema, int wal_pages);
  void Loop();

  sqlite3* db_;
  WalCheckpointerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stopping_ = false;
  int requested_at_ = 0;  // the WAL's size at the last request (writer's thread only)
  std::atomic<uint64_t> background_{0}, pages_copied_{0}, inline_{0};
  std::thread thread_;
};

}  // namespace fleetflow::store
