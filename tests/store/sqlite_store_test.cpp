// What only the SQLite backend promises: its files, its settings, and how
// it opens and fails to open.

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "store_contract.h"

namespace noaber::testing {
namespace {

TEST(SqliteStore, OpeningInAMissingDirectoryThrows) {
  TempDir dir;
  EXPECT_THROW(SqliteStore(SqliteOptions{.path = (dir.path() / "missing" / "x.db").string()}),
               std::runtime_error);
  EXPECT_THROW(SqliteStore(SqliteOptions{.path = ""}), std::runtime_error);
}

TEST(SqliteStore, CreatesTheFileAndWritesThroughTheWal) {
  TempDir dir;
  const auto path = dir.path() / "noaber.db";
  SqliteStore store(SqliteOptions{.path = path.string()});
  EXPECT_TRUE(std::filesystem::exists(path));
  store.migrate();
  ASSERT_TRUE(store.create_user(NewUser{.email = "a@example.org", .display_name = "a",
                                        .password_hash = "x"})
                  .has_value());
  // In WAL mode commits go to the -wal file next to the database.
  EXPECT_TRUE(std::filesystem::exists(path.string() + "-wal"));
}

TEST(SqliteStore, WorksWithoutReadConnections) {
  TempDir dir;
  SqliteStore store(
      SqliteOptions{.path = (dir.path() / "noaber.db").string(), .read_connections = 0});
  store.migrate();
  const auto user = store.create_user(
      NewUser{.email = "a@example.org", .display_name = "a", .password_hash = "x"});
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(store.get_user(user->id).value().display_name, "a");
  EXPECT_TRUE(store.ping().has_value());
}

TEST(SqliteStore, TwoStoresOnOneFileSeeEachOthersWrites) {
  TempDir dir;
  const auto path = (dir.path() / "noaber.db").string();
  SqliteStore first(SqliteOptions{.path = path});
  first.migrate();
  SqliteStore second(SqliteOptions{.path = path});
  EXPECT_EQ(second.migrate(), 0);
  const auto user = first.create_user(
      NewUser{.email = "a@example.org", .display_name = "a", .password_hash = "x"});
  ASSERT_TRUE(user.has_value());
  EXPECT_TRUE(second.get_user(user->id).has_value());
  EXPECT_EQ(second.create_user(NewUser{.email = "a@example.org", .display_name = "b",
                                       .password_hash = "y"})
                .error()
                .code,
            ErrorCode::email_taken);
}

// Migration 0005 (professionals): posts that existed before it were
// written for residents only and must stay hidden from professionals.
TEST(SqliteStore, PostsFromBeforeProfessionalsStayHiddenFromThem) {
  TempDir dir;
  const auto path = (dir.path() / "noaber.db").string();
  {
    sqlite::Connection db(path, sqlite::OpenMode::read_write_create, std::chrono::seconds(5));
    db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
               " applied_at INTEGER NOT NULL) STRICT");
    for (const auto& m : sqlite::migrations()) {
      if (m.version >= 5) break;
      db.execute(m.sql);
      db.execute("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 0)");
    }
    db.execute(
        "INSERT INTO users (id, email, display_name, locale, password_hash, created_at)"
        " VALUES (1, 'a@example.org', 'a', 'nl', 'x', 0);"
        "INSERT INTO regions (id, name) VALUES (1, 'Zutphen');"
        "INSERT INTO neighbourhoods (id, name, region_id, lat, lon, member_count, created_at)"
        " VALUES (1, 'Binnenstad', 1, 52.1, 6.2, 0, 0);"
        "INSERT INTO posts (id, neighbourhood_id, region_id, author_id, kind, category, title,"
        " body, body_html, visibility, status, created_at, updated_at)"
        " VALUES (1, 1, 1, 1, 'ask', 'care', 'Oud', '', '', 'neighbourhood', 'open', 0, 0)");
  }
  SqliteStore store(SqliteOptions{.path = path});
  EXPECT_GE(store.migrate(), 1);
  const auto old = store.get_post(PostId{1});
  ASSERT_TRUE(old.has_value());
  EXPECT_TRUE(old->not_for_professionals);
}

}  // namespace
}  // namespace noaber::testing
