#pragma once
// Opens a fresh, empty store of each kind for one test: a new SQLite file, or
// a new schema in the PostgreSQL that tests/run starts (FLEETFLOW_TEST_PG_URL).

#include <memory>
#include <string>

#include "engine/store/store.h"

namespace fleetflow::store::testing {

class StoreEnv {
 public:
  // kind: "sqlite" or "postgres". Skips the test (GTEST_SKIP in the caller)
  // when PostgreSQL is wanted but not configured; see Available().
  explicit StoreEnv(const std::string& kind);
  ~StoreEnv();

  bool Available() const { return available_; }
  // A URL that opens this test's database (another process can open it too).
  const std::string& url() const { return url_; }
  absl::StatusOr<std::unique_ptr<Store>> Open() const { return OpenStore(url_); }

 private:
  std::string kind_;
  bool available_ = true;
  std::string url_;
  std::string dir_;     // sqlite: the temp dir
  std::string schema_;  // postgres: the schema
  std::string admin_url_;
};

}  // namespace fleetflow::store::testing
