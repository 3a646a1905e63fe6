// SqlStore: definitions, machines, versions, aliases and activities.

#include <charconv>

#include "engine/common/status.h"
#include "engine/common/strings.h"
#include "engine/store/sql_store.h"

namespace fleetflow::store {

namespace sql {

SqlParam Time(absl::Time t) {
  return t == absl::InfinitePast() ? SqlParam::Null() : SqlParam::Int(absl::ToUnixMicros(t));
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

absl::Time TimeAt(const SqlRows& rows, size_t row, int column) {
  return rows.IsNull(row, column) ? absl::InfinitePast()
                                  : absl::FromUnixMicros(rows.Int(row, column));
}

absl::Status NotFound(std::string_view what, std::string_view key) {
  return absl::NotFoundError(StrCat(what, " does not exist: ", key));
}

absl::Status BadPageToken(std::string_view token) {
  return absl::InvalidArgumentError(StrCat("InvalidToken: invalid page token '", token, "'"));
}

void AppendTuple(std::string& sql, int& next_param, int columns,
                 std::span<const std::string> types) {
  sql += '(';
  for (int c = 0; c < columns; ++c) {
    if (c > 0) sql += ", ";
    std::string param = StrCat("$", std::to_string(next_param++));
    if (types.empty()) {
      sql += param;
    } else {
      StrAppend(&sql, "CAST(", param, " AS ", types[c], ")");
    }
  }
  sql += ')';
}

}  // namespace sql

namespace {

constexpr const char* kMachineColumns =
    "arn, name, definition_id, type, role_arn, revision_id, created_us, updated_us";

MachineRecord MachineAt(SqlRows& rows, size_t r) {
  MachineRecord m;
  m.arn = rows.TakeText(r, 0);
  m.name = rows.TakeText(r, 1);
  m.definition_id = rows.TakeText(r, 2);
  m.type = rows.TakeText(r, 3);
  m.role_arn = rows.TakeText(r, 4);
  m.revision_id = rows.TakeText(r, 5);
  m.created = sql::TimeAt(rows, r, 6);
  m.updated = sql::TimeAt(rows, r, 7);
  return m;
}

constexpr const char* kVersionColumns =
    "machine_arn, version, definition_id, revision_id, description, created_us";

VersionRecord VersionAt(SqlRows& rows, size_t r) {
  VersionRecord v;
  v.machine_arn = rows.TakeText(r, 0);
  v.version = rows.Int(r, 1);
  v.definition_id = rows.TakeText(r, 2);
  v.revision_id = rows.TakeText(r, 3);
  v.description = rows.TakeText(r, 4);
  v.created = sql::TimeAt(rows, r, 5);
  return v;
}

constexpr const char* kAliasColumns =
    "arn, machine_arn, name, description, routes, created_us, updated_us";

// Routes are stored as "version:weight,version:weight".
std::string EncodeRoutes(const std::vector<AliasRoute>& routes) {
  std::string out;
  for (const AliasRoute& r : routes) {
    if (!out.empty()) out += ',';
    StrAppend(&out, std::to_string(r.version), ":", std::to_string(r.weight));
  }
  return out;
}

std::vector<AliasRoute> DecodeRoutes(std::string_view text) {
  std::vector<AliasRoute> routes;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    size_t colon = item.find(':');
    AliasRoute r;
    std::from_chars(item.data(), item.data() + colon, r.version);
    std::from_chars(item.data() + colon + 1, item.data() + item.size(), r.weight);
    routes.push_back(r);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return routes;
}

AliasRecord AliasAt(SqlRows& rows, size_t r) {
  AliasRecord a;
  a.arn = rows.TakeText(r, 0);
  a.machine_arn = rows.TakeText(r, 1);
  a.name = rows.TakeText(r, 2);
  a.description = rows.TakeText(r, 3);
  a.routes = DecodeRoutes(rows.Text(r, 4));
  a.created = sql::TimeAt(rows, r, 5);
  a.updated = sql::TimeAt(rows, r, 6);
  return a;
}

template <typename T>
std::string ByName(const T& item) {
  return item.name;
}

absl::Status PutDefinition(SqlConnection& c, const std::string& id, const std::string& body) {
  SqlParam p[] = {SqlParam::Text(id), SqlParam::Text(body)};
  return c
      .Execute("INSERT INTO definitions (id, body) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", p)
      .status();
}

absl::StatusOr<std::string> ReadDefinition(SqlConnection& c, const std::string& id) {
  SqlParam p = SqlParam::Text(id);
  FF_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT body FROM definitions WHERE id = $1", {&p, 1}));
  if (rows.empty()) return sql::NotFound("definition", id);
  return rows.TakeText(0, 0);
}

// Keyset paging: the token is the key of the page's last item (token_of),
// set only when another item follows.
template <typename T, typename Decode, typename TokenOf>
absl::StatusOr<Page<T>> ListByKey(SqlDatabase& db, const std::string& select,
                                  const std::string& key_column, std::vector<SqlParam> params,
                                  const PageRequest& page, Decode decode, TokenOf token_of,
                                  bool descending = false) {
  if (page.limit <= 0 || page.limit > 1000) {
    return absl::InvalidArgumentError("page limit must be between 1 and 1000");
  }
  std::string sql = select;
  if (!page.page_token.empty()) {
    params.push_back(SqlParam::Text(page.page_token));
    StrAppend(&sql, params.size() == 1 ? " WHERE " : " AND ", key_column,
              descending ? " < $" : " > $", std::to_string(params.size()));
  }
  params.push_back(SqlParam::Int(page.limit + 1));
  StrAppend(&sql, " ORDER BY ", key_column, descending ? " DESC" : "", " LIMIT $",
            std::to_string(params.size()));
  Page<T> out;
  bool more = false;
  FF_RETURN_IF_ERROR(db.Transaction(false, [&](SqlConnection& c) -> absl::Status {
    FF_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, params));
    for (size_t r = 0; r < rows.size() && static_cast<int>(r) < page.limit; ++r) {
      out.items.push_back(decode(rows, r));
    }
    more = static_cast<int>(rows.size()) > page.limit;
    return absl::OkStatus();
  }));
  if (more) out.next_token = token_of(out.items.back());
  return out;
}

}  // namespace

absl::Status SqlStore::Migrate() { return ApplyMigrations(*db_, SchemaMigrations(db_->dialect())); }

absl::StatusOr<std::string> SqlStore::GetDefinition(const std::string& definition_id) {
  std::string body;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    FF_ASSIGN_OR_RETURN(body, ReadDefinition(c, definition_id));
    return absl::OkStatus();
  }));
  return body;
}

absl::Status SqlStore::CreateMachine(const MachineRecord& m) {
  return db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    FF_RETURN_IF_ERROR(PutDefinition(c, m.definition_id, m.definition));
    SqlParam p[] = {
        SqlParam::Text(m.arn),  SqlParam::Text(m.name),     SqlParam::Text(m.definition_id),
        SqlParam::Text(m.type), SqlParam::Text(m.role_arn), SqlParam::Text(m.revision_id),
        sql::Time(m.created),   sql::Time(m.updated)};
    FF_ASSIGN_OR_RETURN(int64_t inserted,
                        c.Execute(StrCat("INSERT INTO machines (", kMachineColumns,
                                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                                         " ON CONFLICT DO NOTHING"),
                                  p));
    if (inserted == 0)
      return absl::AlreadyExistsError(StrCat("state machine already exists: ", m.arn));
    return absl::OkStatus();
  });
}

absl::Status SqlStore::UpdateMachine(const MachineRecord& m) {
  return db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    FF_RETURN_IF_ERROR(PutDefinition(c, m.definition_id, m.definition));
    SqlParam p[] = {SqlParam::Text(m.arn), SqlParam::Text(m.definition_id),
                    SqlParam::Text(m.role_arn), SqlParam::Text(m.revision_id),
                    sql::Time(m.updated)};
    FF_ASSIGN_OR_RETURN(int64_t updated,
                        c.Execute("UPDATE machines SET definition_id = $2, role_arn = $3,"
                                  " revision_id = $4, updated_us = $5 WHERE arn = $1",
                                  p));
    if (updated == 0) return sql::NotFound("state machine", m.arn);
    return absl::OkStatus();
  });
}

absl::StatusOr<MachineRecord> SqlStore::GetMachine(const std::string& arn) {
  MachineRecord m;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p = SqlParam::Text(arn);
    FF_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query(StrCat("SELECT ", kMachineColumns, " FROM machines WHERE arn = $1"), {&p, 1}));
    if (rows.empty()) return sql::NotFound("state machine", arn);
    m = MachineAt(rows, 0);
    FF_ASSIGN_OR_RETURN(m.definition, ReadDefinition(c, m.definition_id));
    return absl::OkStatus();
  }));
  return m;
}

absl::StatusOr<Page<MachineRecord>> SqlStore::ListMachines(const PageRequest& page) {
  return ListByKey<MachineRecord>(*db_, StrCat("SELECT ", kMachineColumns, " FROM machines"),
                                  "name", {}, page, MachineAt, ByName<MachineRecord>);
}

absl::Status SqlStore::DeleteMachine(const std::string& arn) {
  return db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    SqlParam p = SqlParam::Text(arn);
    FF_ASSIGN_OR_RETURN(int64_t deleted, c.Execute("DELETE FROM machines WHERE arn = $1", {&p, 1}));
    if (deleted == 0) return sql::NotFound("state machine", arn);
    FF_RETURN_IF_ERROR(
        c.Execute("DELETE FROM machine_versions WHERE machine_arn = $1", {&p, 1}).status());
    return c.Execute("DELETE FROM machine_aliases WHERE machine_arn = $1", {&p, 1}).status();
  });
}

absl::StatusOr<VersionRecord> SqlStore::PublishVersion(const std::string& machine_arn,
                                                       const std::string& expected_revision_id,
                                                       const std::string& description,
                                                       absl::Time now) {
  VersionRecord v;
  FF_RETURN_IF_ERROR(db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    SqlParam arn = SqlParam::Text(machine_arn);
    FF_ASSIGN_OR_RETURN(
        SqlRows machine,
        c.Query(StrCat("SELECT definition_id, revision_id FROM machines WHERE arn = $1",
                       db_->dialect().for_update),
                {&arn, 1}));
    if (machine.empty()) return sql::NotFound("state machine", machine_arn);
    std::string revision = machine.TakeText(0, 1);
    if (!expected_revision_id.empty() && expected_revision_id != revision) {
      return absl::FailedPreconditionError(
          StrCat("revision ", expected_revision_id, " is not the current revision ", revision));
    }
    FF_ASSIGN_OR_RETURN(SqlRows latest,
                        c.Query(StrCat("SELECT ", kVersionColumns,
                                       " FROM machine_versions WHERE machine_arn = $1"
                                       " ORDER BY version DESC LIMIT 1"),
                                {&arn, 1}));
    if (!latest.empty() && latest.Text(0, 3) == revision) {
      v = VersionAt(latest, 0);
      return absl::OkStatus();
    }
    v.machine_arn = machine_arn;
    v.version = latest.empty() ? 1 : latest.Int(0, 1) + 1;
    v.definition_id = machine.TakeText(0, 0);
    v.revision_id = revision;
    v.description = description;
    v.created = now;
    SqlParam p[] = {arn,
                    SqlParam::Int(v.version),
                    SqlParam::Text(v.definition_id),
                    SqlParam::Text(v.revision_id),
                    SqlParam::Text(v.description),
                    sql::Time(now)};
    return c
        .Execute(StrCat("INSERT INTO machine_versions (", kVersionColumns,
                        ") VALUES ($1, $2, $3, $4, $5, $6)"),
                 p)
        .status();
  }));
  return v;
}

absl::StatusOr<VersionRecord> SqlStore::GetVersion(const std::string& machine_arn,
                                                   int64_t version) {
  VersionRecord v;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p[] = {SqlParam::Text(machine_arn), SqlParam::Int(version)};
    FF_ASSIGN_OR_RETURN(SqlRows rows, c.Query(StrCat("SELECT ", kVersionColumns,
                                                     " FROM machine_versions WHERE machine_arn = $1"
                                                     " AND version = $2"),
                                              p));
    if (rows.empty()) {
      return sql::NotFound("state machine version",
                           StrCat(machine_arn, ":", std::to_string(version)));
    }
    v = VersionAt(rows, 0);
    FF_ASSIGN_OR_RETURN(v.definition, ReadDefinition(c, v.definition_id));
    return absl::OkStatus();
  }));
  return v;
}

absl::StatusOr<Page<VersionRecord>> SqlStore::ListVersions(const std::string& machine_arn,
                                                           const PageRequest& page) {
  PageRequest numeric = page;
  if (!page.page_token.empty()) {
    int64_t before = 0;
    auto [end, ec] = std::from_chars(page.page_token.data(),
                                     page.page_token.data() + page.page_token.size(), before);
    if (ec != std::errc() || end != page.page_token.data() + page.page_token.size()) {
      return sql::BadPageToken(page.page_token);
    }
  }
  // The version column is numeric: compare it with a number, not with text.
  std::string select =
      StrCat("SELECT ", kVersionColumns, " FROM machine_versions WHERE machine_arn = $1");
  std::vector<SqlParam> params = {SqlParam::Text(machine_arn)};
  int64_t before = 0;
  if (!page.page_token.empty()) {
    std::from_chars(page.page_token.data(), page.page_token.data() + page.page_token.size(),
                    before);
    params.push_back(SqlParam::Int(before));
    select += " AND version < $2";
    numeric.page_token.clear();
  }
  return ListByKey<VersionRecord>(
      *db_, select, "version", std::move(params), numeric, VersionAt,
      [](const VersionRecord& v) { return std::to_string(v.version); }, /*descending=*/true);
}

absl::Status SqlStore::DeleteVersion(const std::string& machine_arn, int64_t version) {
  return db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    SqlParam arn = SqlParam::Text(machine_arn);
    FF_ASSIGN_OR_RETURN(
        SqlRows aliases,
        c.Query("SELECT name, routes FROM machine_aliases WHERE machine_arn = $1", {&arn, 1}));
    for (size_t r = 0; r < aliases.size(); ++r) {
      for (const AliasRoute& route : DecodeRoutes(aliases.Text(r, 1))) {
        if (route.version == version) {
          return absl::FailedPreconditionError(StrCat(
              "version ", std::to_string(version), " is routed to by alias ", aliases.Text(r, 0)));
        }
      }
    }
    SqlParam p[] = {arn, SqlParam::Int(version)};
    FF_ASSIGN_OR_RETURN(
        int64_t deleted,
        c.Execute("DELETE FROM machine_versions WHERE machine_arn = $1 AND version = $2", p));
    if (deleted == 0) {
      return sql::NotFound("state machine version",
                           StrCat(machine_arn, ":", std::to_string(version)));
    }
    return absl::OkStatus();
  });
}

absl::Status SqlStore::CreateAlias(const AliasRecord& a) {
  return db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    std::string routes = EncodeRoutes(a.routes);
    SqlParam p[] = {SqlParam::Text(a.arn),  SqlParam::Text(a.machine_arn),
                    SqlParam::Text(a.name), SqlParam::Text(a.description),
                    SqlParam::Text(routes), sql::Time(a.created),
                    sql::Time(a.updated)};
    FF_ASSIGN_OR_RETURN(int64_t inserted,
                        c.Execute(StrCat("INSERT INTO machine_aliases (", kAliasColumns,
                                         ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
                                         " ON CONFLICT DO NOTHING"),
                                  p));
    if (inserted == 0) return absl::AlreadyExistsError(StrCat("alias already exists: ", a.arn));
    return absl::OkStatus();
  });
}

absl::Status SqlStore::UpdateAlias(const AliasRecord& a) {
  return db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    SqlParam machine = SqlParam::Text(a.machine_arn);
    FF_RETURN_IF_ERROR(
        c.Query(StrCat("SELECT arn FROM machines WHERE arn = $1", db_->dialect().for_update),
                {&machine, 1})
            .status());
    std::string routes = EncodeRoutes(a.routes);
    SqlParam p[] = {SqlParam::Text(a.arn), SqlParam::Text(a.description), SqlParam::Text(routes),
                    sql::Time(a.updated)};
    FF_ASSIGN_OR_RETURN(int64_t updated,
                        c.Execute("UPDATE machine_aliases SET description = $2, routes = $3,"
                                  " updated_us = $4 WHERE arn = $1",
                                  p));
    if (updated == 0) return sql::NotFound("alias", a.arn);
    return absl::OkStatus();
  });
}

absl::StatusOr<AliasRecord> SqlStore::GetAlias(const std::string& arn) {
  AliasRecord a;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p = SqlParam::Text(arn);
    FF_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query(StrCat("SELECT ", kAliasColumns, " FROM machine_aliases WHERE arn = $1"), {&p, 1}));
    if (rows.empty()) return sql::NotFound("alias", arn);
    a = AliasAt(rows, 0);
    return absl::OkStatus();
  }));
  return a;
}

absl::StatusOr<Page<AliasRecord>> SqlStore::ListAliases(const std::string& machine_arn,
                                                        const PageRequest& page) {
  return ListByKey<AliasRecord>(
      *db_, StrCat("SELECT ", kAliasColumns, " FROM machine_aliases WHERE machine_arn = $1"),
      "name", {SqlParam::Text(machine_arn)}, page, AliasAt, ByName<AliasRecord>);
}

absl::Status SqlStore::DeleteAlias(const std::string& arn) {
  return db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    SqlParam p = SqlParam::Text(arn);
    FF_ASSIGN_OR_RETURN(int64_t deleted,
                        c.Execute("DELETE FROM machine_aliases WHERE arn = $1", {&p, 1}));
    if (deleted == 0) return sql::NotFound("alias", arn);
    return absl::OkStatus();
  });
}

absl::StatusOr<ActivityRecord> SqlStore::CreateActivity(const ActivityRecord& a) {
  ActivityRecord out;
  FF_RETURN_IF_ERROR(db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    SqlParam p[] = {SqlParam::Text(a.arn), SqlParam::Text(a.name), sql::Time(a.created)};
    FF_RETURN_IF_ERROR(c.Execute("INSERT INTO activities (arn, name, created_us)"
                                 " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                 p)
                           .status());
    FF_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT arn, name, created_us FROM activities"
                                              " WHERE name = $1",
                                              {&p[1], 1}));
    if (rows.empty()) return absl::AbortedError("activity was deleted concurrently");
    out = {rows.TakeText(0, 0), rows.TakeText(0, 1), sql::TimeAt(rows, 0, 2)};
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ActivityRecord> SqlStore::GetActivity(const std::string& arn) {
  ActivityRecord out;
  FF_RETURN_IF_ERROR(db_->Transaction(false, [&](SqlConnection& c) -> absl::Status {
    SqlParam p = SqlParam::Text(arn);
    FF_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("SELECT arn, name, created_us FROM activities WHERE arn = $1", {&p, 1}));
    if (rows.empty()) return sql::NotFound("activity", arn);
    out = {rows.TakeText(0, 0), rows.TakeText(0, 1), sql::TimeAt(rows, 0, 2)};
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Page<ActivityRecord>> SqlStore::ListActivities(const PageRequest& page) {
  return ListByKey<ActivityRecord>(
      *db_, "SELECT arn, name, created_us FROM activities", "name", {}, page,
      [](SqlRows& rows, size_t r) {
        return ActivityRecord{rows.TakeText(r, 0), rows.TakeText(r, 1), sql::TimeAt(rows, r, 2)};
      },
      ByName<ActivityRecord>);
}

absl::Status SqlStore::DeleteActivity(const std::string& arn) {
  return db_->Transaction(true, [&](SqlConnection& c) -> absl::Status {
    SqlParam p = SqlParam::Text(arn);
    FF_ASSIGN_OR_RETURN(int64_t deleted,
                        c.Execute("DELETE FROM activities WHERE arn = $1", {&p, 1}));
    if (deleted == 0) return sql::NotFound("activity", arn);
    return absl::OkStatus();
  });
}

}  // namespace fleetflow::store
