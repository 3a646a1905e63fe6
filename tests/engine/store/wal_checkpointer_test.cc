// The WAL checkpointer, on a real SQLite database: checkpoints happen off the
// writer's thread, and the WAL stays bounded when they fall behind.

#include "engine/store/sqlite/wal_checkpointer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "absl/time/clock.h"

namespace fleetflow::store {
namespace {

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ff-wal-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "db").string();
    ASSERT_EQ(sqlite3_open(path_.c_str(), &writer_), SQLITE_OK);
    Exec("PRAGMA journal_mode=WAL");
    Exec("PRAGMA page_size=4096");
    Exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
  }
  void TearDown() override {
    sqlite3_close_v2(writer_);
    checkpointer_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Exec(const std::string& sql) {
    ASSERT_EQ(sqlite3_exec(writer_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(writer_);
  }
  // One commit that adds about `pages` pages to the WAL.
  void Commit(int pages) {
    Exec("INSERT INTO rows (body) VALUES (zeroblob(" + std::to_string(pages * 4000) + "))");
  }
  uintmax_t WalBytes() { return std::filesystem::file_size(path_ + "-wal"); }
  int64_t Rows(sqlite3* db) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM rows", -1, &stmt, nullptr);
    sqlite3_step(stmt);
    int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
  }

  std::filesystem::path dir_;
  std::string path_;
  sqlite3* writer_ = nullptr;
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

TEST_F(WalCheckpointerTest, CheckpointsOnItsOwnThread) {
  auto started =
      WalCheckpointer::Start(path_, "FULL", {/*wal_pages=*/20, /*max_wal_pages=*/1000000});
  ASSERT_TRUE(started.ok()) << started.status();
  checkpointer_ = std::move(*started);
  checkpointer_->Attach(writer_);
  // Each commit passes the threshold; the writer never checkpoints itself.
  for (int i = 0; i < 50; ++i) Commit(25);
  // A checkpoint that copies pages, not just one that ran.
  while (checkpointer_->stats().pages_copied == 0) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(checkpointer_->stats().inline_, 0u);
  EXPECT_EQ(Rows(writer_), 50);
}

TEST_F(WalCheckpointerTest, TheWriterCheckpointsWhenTheWalPassesItsBound) {
  // A background threshold that is never reached: only the bound drains the WAL.
  auto started =
      WalCheckpointer::Start(path_, "FULL", {/*wal_pages=*/1000000, /*max_wal_pages=*/100});
  ASSERT_TRUE(started.ok()) << started.status();
  checkpointer_ = std::move(*started);
  checkpointer_->Attach(writer_);
  for (int i = 0; i < 200; ++i) Commit(10);
  EXPECT_EQ(checkpointer_->stats().background, 0u);
  EXPECT_GT(checkpointer_->stats().inline_, 0u);
  // Without checkpoints the WAL would hold all 2,000 pages; the bound keeps
  // it to the bound plus the commit that crossed it.
  EXPECT_LT(WalBytes(), 130u * 4120);
  EXPECT_EQ(Rows(writer_), 200);
}

TEST_F(WalCheckpointerTest, NothingIsLostWhenTheDatabaseIsReopened) {
  auto started = WalCheckpointer::Start(path_, "FULL", {/*wal_pages=*/20, /*max_wal_pages=*/100});
  ASSERT_TRUE(started.ok()) << started.status();
  checkpointer_ = std::move(*started);
  checkpointer_->Attach(writer_);
  for (int i = 0; i < 120; ++i) Commit(3);
  sqlite3_close_v2(writer_);
  writer_ = nullptr;
  checkpointer_.reset();
  sqlite3* reopened = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &reopened), SQLITE_OK);
  EXPECT_EQ(Rows(reopened), 120);
  sqlite3_close_v2(reopened);
}

TEST(WalCheckpointer, AMissingDatabaseIsAClearError) {
  auto started = WalCheckpointer::Start("/nonexistent-dir/db", "FULL", {});
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.status().message().find("/nonexistent-dir/db"), std::string::npos);
}

}  // namespace
}  // namespace fleetflow::store
