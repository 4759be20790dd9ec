// Backups of a live SQLite database: taken under write load, restored, and
// checked (SQLite-only; the PostgreSQL backend has pg_dump).

#include <atomic>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "store/sqlite/backup.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace noaber {
namespace {

using namespace std::chrono;

TimePoint at(int s) { return TimePoint{seconds(1'800'000'000 + s)}; }

struct World {
  UserId author;
  NeighbourhoodId neighbourhood;
};

World build_world(SqliteStore& store) {
  auto user = store.create_user(NewUser{"anna@example.org", "Anna", Locale::nl, "hash", at(0)});
  EXPECT_TRUE(user);
  auto n = store.create_neighbourhood(
      NewNeighbourhood{"Binnenstad", "Zutphen", 52.14, 6.19, user->id, at(0)}, 2.0);
  EXPECT_TRUE(n);
  return World{user->id, n->id};
}

NewPost post_by(const World& w, int i) {
  return NewPost{w.neighbourhood, w.author, PostKind::ask, Category::care,
                 "Vraag " + std::to_string(i), "tekst", "<p>tekst</p>",
                 Visibility::neighbourhood, at(i), std::nullopt};
}

std::size_t count_posts(SqliteStore& store, NeighbourhoodId n) {
  std::size_t count = 0;
  FeedQuery q{.neighbourhood_id = n, .limit = 100};
  for (;;) {
    auto page = store.feed(q);
    EXPECT_TRUE(page);
    count += page->size();
    if (page->size() < 100) return count;
    q.before = page->back().id;
  }
}

TEST(Backup, UnderWriteLoadIsConsistentAndRestores) {
  test::TempDir dir;
  const std::string live = dir.file("live.db").string();
  const std::string copy = dir.file("backup.db").string();
  const std::string restored = dir.file("restored.db").string();

  SqliteStore store(SqliteOptions{live});
  store.migrate();
  const World w = build_world(store);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(store.create_post(post_by(w, i)));

  // A writer keeps committing while the backup runs.
  std::atomic<bool> stop{false};
  std::atomic<int> written{200};
  std::thread writer([&] {
    for (int i = 200; !stop; ++i)
      if (store.create_post(post_by(w, i))) ++written;
  });
  while (written < 400) std::this_thread::sleep_for(milliseconds(1));
  const int before_backup = written;
  const BackupResult result = backup_database(live, copy);
  const int after_backup = written;
  while (written < after_backup + 100) std::this_thread::sleep_for(milliseconds(1));
  stop = true;
  writer.join();

  EXPECT_GT(result.pages, 0);
  EXPECT_EQ(result.schema_version, store.schema_version());
  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));

  // The copy holds a consistent prefix: everything committed before the
  // backup began, nothing after it ended.
  std::size_t in_backup = 0;
  {
    SqliteStore backup(SqliteOptions{copy});
    in_backup = count_posts(backup, w.neighbourhood);
    EXPECT_GE(in_backup, static_cast<std::size_t>(before_backup));
    EXPECT_LE(in_backup, static_cast<std::size_t>(after_backup));
    EXPECT_EQ(backup.get_user(w.author)->display_name, "Anna");
    EXPECT_EQ(backup.migrate(), 0);
  }
  EXPECT_GT(count_posts(store, w.neighbourhood), in_backup);

  const BackupResult back = restore_database(copy, restored);
  EXPECT_EQ(back.schema_version, result.schema_version);
  SqliteStore again(SqliteOptions{restored});
  EXPECT_EQ(count_posts(again, w.neighbourhood), in_backup);
  // The restored database takes new writes like any other.
  EXPECT_TRUE(again.create_post(post_by(w, 999'999)));
}

TEST(Backup, RefusesWhatIsNotANoaberDatabase) {
  test::TempDir dir;
  EXPECT_THROW(backup_database(dir.file("missing.db").string(), dir.file("out.db").string()),
               std::runtime_error);
  const auto junk = dir.file("junk.db");
  { std::ofstream(junk) << "not a database at all"; }
  EXPECT_THROW(restore_database(junk.string(), dir.file("target.db").string()),
               std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir.file("out.db")));
}

}  // namespace
}  // namespace noaber
