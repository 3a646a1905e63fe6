#include "tests/engine/store/store_test_env.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <pqxx/pqxx>
#include <random>

namespace fleetflow::store::testing {
namespace {

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rd() % 1000000);
}

}  // namespace

StoreEnv::StoreEnv(const std::string& kind) : kind_(kind) {
  if (kind == "sqlite") {
    dir_ =
        (std::filesystem::temp_directory_path() / ("fleetflow_store_" + UniqueSuffix())).string();
    std::filesystem::create_directories(dir_);
    url_ = "sqlite:" + dir_ + "/fleetflow.db";
    return;
  }
  const char* pg = std::getenv("FLEETFLOW_TEST_PG_URL");
  if (pg == nullptr || *pg == '\0') {
    available_ = false;
    return;
  }
  admin_url_ = pg;
  schema_ = "t_" + UniqueSuffix();
  pqxx::connection c(admin_url_);
  pqxx::work txn(c);
  txn.exec0("CREATE SCHEMA " + schema_);
  txn.commit();
  // libpq passes `options` to the server: every connection of the store
  // works in this test's schema.
  url_ = admin_url_ + (admin_url_.find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema_;
}

StoreEnv::~StoreEnv() {
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
  if (!schema_.empty()) {
    try {
      pqxx::connection c(admin_url_);
      pqxx::work txn(c);
      txn.exec0("DROP SCHEMA " + schema_ + " CASCADE");
      txn.commit();
    } catch (const std::exception&) {
      // The server may be gone (a fault test stopped it); the schema dies with it.
    }
  }
}

}  // namespace fleetflow::store::testing
