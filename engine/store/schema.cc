// The schema, as numbered migrations, written once for both dialects. Times are Unix microseconds;
// JSON and definitions are text. INTEGER and REAL are
// replaced by the dialect's names for 64-bit integers and doubles.

#include "engine/store/sql.h"

namespace fleetflow::store {
namespace {

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

std::vector<Migration> SchemaMigrations(const SqlDialect& dialect) {
  std::vector<Migration> migrations = {
      {1,
       "machines, versions, aliases, activities, executions, history, timers, tasks",
       {
           "CREATE TABLE definitions (id TEXT PRIMARY KEY, body TEXT NOT NULL)",
           "CREATE TABLE machines (arn TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
           " definition_id TEXT NOT NULL, type TEXT NOT NULL, role_arn TEXT NOT NULL,"
           " revision_id TEXT NOT NULL, created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL)",
           "CREATE TABLE machine_versions (machine_arn TEXT NOT NULL, version INTEGER NOT NULL,"
           " definition_id TEXT NOT NULL, revision_id TEXT NOT NULL, description TEXT NOT NULL,"
           " created_us INTEGER NOT NULL, PRIMARY KEY (machine_arn, version))",
           "CREATE TABLE machine_aliases (arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL,"
           " name TEXT NOT NULL, description TEXT NOT NULL, routes TEXT NOT NULL,"
           " created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL)",
           "CREATE INDEX machine_aliases_by_machine ON machine_aliases (machine_arn, name)",
           "CREATE TABLE activities (arn TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
           " created_us INTEGER NOT NULL)",
           "CREATE TABLE executions (arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL,"
           " name TEXT NOT NULL, definition_id TEXT NOT NULL, version_arn TEXT NOT NULL,"
           " alias_arn TEXT NOT NULL, status TEXT NOT NULL, input TEXT NOT NULL,"
           " output TEXT NOT NULL, error TEXT NOT NULL, cause TEXT NOT NULL,"
           " start_us INTEGER NOT NULL, stop_us INTEGER, version INTEGER NOT NULL,"
           " last_event_id INTEGER NOT NULL, part INTEGER NOT NULL,"
           " redrive_count INTEGER NOT NULL, redrive_us INTEGER, state TEXT NOT NULL,"
           " step_id TEXT NOT NULL)",
           "CREATE INDEX executions_by_start ON executions (start_us, arn)",
           "CREATE INDEX executions_by_machine ON executions (machine_arn, start_us, arn)",
           "CREATE INDEX executions_by_status ON executions (status, start_us, arn)",
           "CREATE TABLE history (execution_arn TEXT NOT NULL, first_event_id INTEGER NOT NULL,"
           " last_event_id INTEGER NOT NULL, events TEXT NOT NULL,"
           " PRIMARY KEY (execution_arn, first_event_id))",
           "CREATE TABLE timers (execution_arn TEXT NOT NULL, timer_id INTEGER NOT NULL,"
           " due_us INTEGER NOT NULL, part INTEGER NOT NULL,"
           " PRIMARY KEY (execution_arn, timer_id))",
           "CREATE INDEX timers_by_due ON timers (due_us)",
           "CREATE TABLE tasks (token TEXT PRIMARY KEY, execution_arn TEXT NOT NULL,"
           " resource TEXT NOT NULL, activity_arn TEXT NOT NULL, state_name TEXT NOT NULL,"
           " attempt INTEGER NOT NULL, input TEXT NOT NULL, heartbeat_s REAL NOT NULL,"
           " timeout_s REAL NOT NULL, started INTEGER NOT NULL, worker_name TEXT NOT NULL,"
           " lease_us INTEGER, created_us INTEGER NOT NULL)",
           "CREATE INDEX tasks_by_activity ON tasks (activity_arn, started, created_us)",
           "CREATE INDEX tasks_by_execution ON tasks (execution_arn)",
       }},
  };
  for (Migration& m : migrations) {
    for (std::string& statement : m.statements) {
      statement = ReplaceAll(ReplaceAll(statement, " INTEGER", " " + dialect.int_type), " REAL",
                             " " + dialect.real_type);
    }
  }
  return migrations;
}

}  // namespace fleetflow::store
