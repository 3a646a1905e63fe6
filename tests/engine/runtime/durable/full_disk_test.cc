// A full disk under the SQLite store: starts fail with a clear UNAVAILABLE
// and write nothing; once space is back, the engine goes on as if nothing
// happened. Needs root (it mounts a small tmpfs); skipped otherwise.

#include <sys/mount.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "engine/definition/loader.h"
#include "engine/runtime/durable/engine.h"

namespace fleetflow::runtime::durable {
namespace {

constexpr const char* kMachine =
    R"({"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":1,"Next":"Done"},)"
    R"("Done":{"Type":"Pass","Result":"rested","End":true}}})";

class FullDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("fleetflow_full_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    if (geteuid() != 0 || mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=2m") != 0) {
      std::filesystem::remove(dir_);
      GTEST_SKIP() << "needs root to mount a small tmpfs";
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (engine_) engine_->Shutdown();
    engine_.reset();
    store_.reset();
    if (mounted_) umount(dir_.c_str());
    std::filesystem::remove_all(dir_);
  }

  absl::StatusOr<store::ExecutionRecord> Start(const std::string& name) {
    StartRequest r;
    r.machine_arn = "arn:fleetflow:states:local:stateMachine:nap";
    r.machine_name = "nap";
    r.definition_id = "nap-1";
    r.name = name;
    r.input = R"({"robot":"vac-000417","padding":")" + std::string(2000, 'x') + R"("})";
    std::promise<absl::StatusOr<store::ExecutionRecord>> done;
    engine_->StartExecution(r, [&](auto row) { done.set_value(std::move(row)); });
    return done.get_future().get();
  }

  std::filesystem::path dir_;
  bool mounted_ = false;
  std::unique_ptr<store::Store> store_;
  ResourceRegistry resources_;
  RealClock clock_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(FullDiskTest, FullDiskFailsCleanlyAndRecovers) {
  auto opened = store::OpenStore("sqlite:" + (dir_ / "fleetflow.db").string());
  ASSERT_TRUE(opened.ok()) << opened.status();
  store_ = std::move(*opened);
  EngineOptions options;
  options.commit.give_up_after = absl::Milliseconds(500);  // fail fast, for the test
  engine_ = std::make_unique<Engine>(*store_, resources_, clock_, options);
  ASSERT_TRUE(engine_->Start().ok());
  store::MachineRecord m;
  m.arn = "arn:fleetflow:states:local:stateMachine:nap";
  m.name = "nap";
  m.definition = kMachine;
  m.definition_id = "nap-1";
  m.revision_id = "r";
  m.created = m.updated = absl::Now();
  ASSERT_TRUE(store_->CreateMachine(m).ok());

  // Fill the disk with a file we can give back later.
  std::filesystem::path filler = dir_ / "filler";
  {
    std::ofstream out(filler, std::ios::binary);
    std::string block(4096, 'f');
    while (out.write(block.data(), block.size())) {
    }
  }
  std::vector<std::string> started;
  absl::Status failure;
  for (int i = 0; i < 2000 && failure.ok(); ++i) {
    auto row = Start("e" + std::to_string(i));
    if (row.ok()) {
      started.push_back(row->arn);
    } else {
      failure = row.status();
    }
  }
  ASSERT_FALSE(failure.ok()) << "the disk never filled";
  EXPECT_EQ(failure.code(), absl::StatusCode::kUnavailable) << failure;
  EXPECT_NE(std::string(failure.message()).find("full"), std::string::npos) << failure;
  // The start that failed left nothing behind.
  std::string failed_arn =
      "arn:fleetflow:states:local:execution:nap:e" + std::to_string(started.size());
  EXPECT_EQ(store_->GetExecution(failed_arn).status().code(), absl::StatusCode::kNotFound);

  // Space comes back: the same start succeeds, and every execution finishes.
  std::filesystem::remove(filler);
  auto again = Start("e" + std::to_string(started.size()));
  ASSERT_TRUE(again.ok()) << again.status();
  started.push_back(again->arn);
  for (const std::string& arn : started) {
    absl::Time give_up = absl::Now() + absl::Minutes(1);
    absl::StatusOr<store::ExecutionRecord> row;
    do {
      row = store_->GetExecution(arn);
      if (row.ok() && row->status != store::ExecutionStatus::kRunning) break;
      absl::SleepFor(absl::Milliseconds(50));
    } while (absl::Now() < give_up);
    ASSERT_TRUE(row.ok()) << arn;
    EXPECT_EQ(row->status, store::ExecutionStatus::kSucceeded) << arn << " " << row->error;
    EXPECT_EQ(row->output, "\"rested\"");
  }
}

}  // namespace
}  // namespace fleetflow::runtime::durable
