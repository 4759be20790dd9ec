#include "store/postgres/migrations.h"

#include <chrono>
#include <cstdint>

#include <spdlog/spdlog.h>

#include "store/postgres/postgres_db.h"

namespace noaber::postgres {
namespace {

// Held for the length of each migration transaction, so several processes
// starting at once on one database apply each migration exactly once. The
// key is "noaber" in ASCII; the store's other advisory locks use other keys.
constexpr std::int64_t kMigrationLock = 0x6e6f61626572;

constexpr std::string_view kLock = "SELECT pg_advisory_xact_lock($1::bigint)";
// The bookkeeping table is created outside the numbered migrations, since
// they are recorded in it.
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " applied_at BIGINT NOT NULL"
    ")";
constexpr std::string_view kHasMigrationsTable =
    "SELECT to_regclass('schema_migrations') IS NOT NULL";
constexpr std::string_view kIsApplied =
    "SELECT 1 FROM schema_migrations WHERE version = $1::integer";
constexpr std::string_view kRecord =
    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1::integer, $2::bigint)";
constexpr std::string_view kMaxVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

}  // namespace

int apply_migrations(Connection& db) {
  {
    // CREATE TABLE IF NOT EXISTS is not safe against a concurrent creator.
    Transaction tx(db);
    db.query(kLock, kMigrationLock);
    db.execute(kCreateMigrationsTable);
    tx.commit();
  }
  int applied = 0;
  for (const Migration& migration : migrations()) {
    // Checked under the lock, so a migration another process applied
    // meanwhile is seen and skipped.
    Transaction tx(db);
    db.query(kLock, kMigrationLock);
    if (!db.query(kIsApplied, migration.version).empty()) continue;
    db.execute(migration.sql);
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(
        std::chrono::system_clock::now());
    db.query(kRecord, migration.version, now);
    tx.commit();
    ++applied;
    spdlog::info("postgres: applied migration {}", migration.name);
  }

  const int known = migrations().empty() ? 0 : migrations().back().version;
  if (const int current = applied_schema_version(db); current > known) {
    spdlog::warn("postgres: the database has schema version {}, newer than this binary "
                 "knows ({}); a newer Noaber has used it",
                 current, known);
  }
  return applied;
}

int applied_schema_version(Connection& db) {
  // Read without creating anything, so asking does not need write rights.
  if (db.query(kHasMigrationsTable).front().text(0) != "t") return 0;
  return static_cast<int>(db.query(kMaxVersion).front().int64(0));
}

}  // namespace noaber::postgres
