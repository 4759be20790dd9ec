// What only the SQLite backend promises: its files, its settings, and how
// it opens and fails to open.

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

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

}  // namespace
}  // namespace noaber::testing
