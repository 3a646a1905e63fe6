// OpenStore: picks the database by the URL's scheme and migrates it.

#include "engine/common/status.h"
#include "engine/common/strings.h"
#include "engine/store/postgres/postgres_database.h"
#include "engine/store/sql_store.h"
#include "engine/store/sqlite/sqlite_database.h"

namespace fleetflow::store {

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  std::unique_ptr<SqlDatabase> db;
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    FF_ASSIGN_OR_RETURN(db, OpenPostgresDatabase({url}));
  } else if (url.rfind("sqlite:", 0) == 0 && url.size() > 7) {
    FF_ASSIGN_OR_RETURN(db, OpenSqliteDatabase({url.substr(7)}));
  } else if (url.ends_with(".db") && url.find("://") == std::string::npos) {
    FF_ASSIGN_OR_RETURN(db, OpenSqliteDatabase({url}));
  } else {
    return absl::InvalidArgumentError(
        StrCat("store '", url, "': expected sqlite:PATH or postgresql://USER@HOST:PORT/DB"));
  }
  auto store = std::make_unique<SqlStore>(std::move(db));
  FF_RETURN_IF_ERROR(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace fleetflow::store
