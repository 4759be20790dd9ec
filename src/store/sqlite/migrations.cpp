#include "store/sqlite/migrations.h"

#include <chrono>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "store/sqlite/sqlite_db.h"

namespace noaber::sqlite {
namespace {

// The bookkeeping table is created outside the numbered migrations, since
// they are recorded in it.
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " applied_at INTEGER NOT NULL"
    ") STRICT";

constexpr std::string_view kIsApplied = "SELECT 1 FROM schema_migrations WHERE version = ?1";
constexpr std::string_view kRecord =
    "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)";
constexpr std::string_view kMaxVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

bool is_applied(Connection& db, int version) {
  auto q = db.query(kIsApplied);
  q.bind_all(version);
  return q.step();
}

}  // namespace

int apply_migrations(Connection& db) {
  db.execute(kCreateMigrationsTable);
  int applied = 0;
  for (const Migration& migration : migrations()) {
    // Checked inside the write transaction, so two processes migrating the
    // same file at once apply each migration exactly once.
    Transaction tx(db, Transaction::Kind::immediate);
    if (is_applied(db, migration.version)) continue;
    db.execute(migration.sql);
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(
        std::chrono::system_clock::now());
    db.query(kRecord).bind_all(migration.version, now).run();
    tx.commit();
    ++applied;
    spdlog::info("sqlite: applied migration {}", migration.name);
  }

  const int known = migrations().empty() ? 0 : migrations().back().version;
  if (const int current = applied_schema_version(db); current > known) {
    spdlog::warn("sqlite: the database has schema version {}, newer than this "
                 "binary knows ({}); a newer Noaber has used it",
                 current, known);
  }
  return applied;
}

int applied_schema_version(Connection& db) {
  db.execute(kCreateMigrationsTable);
  auto q = db.query(kMaxVersion);
  return q.step() ? static_cast<int>(q.int64(0)) : 0;
}

}  // namespace noaber::sqlite
