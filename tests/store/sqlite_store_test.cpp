// What only the SQLite backend promises: its files, its settings, and how
// it opens and fails to open.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include <stdexcept>

#include <sqlite3.h>

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

// Group commit (sqlite_db.h): operations queued while a batch runs share
// the next batch, one transaction; each gets its own answer, and one that
// fails or refuses is undone alone.
namespace group_commit {

// An operation given as a function; records what the pool answered.
class Op final : public sqlite::WriteOp {
 public:
  explicit Op(std::function<bool(sqlite::Connection&)> fn) : fn_(std::move(fn)) {}
  bool apply(sqlite::Connection& db) override {
    ++runs;
    error.reset();
    return fn_(db);
  }
  void fail(const sqlite::DbError& e) override { error = e.code(); }
  std::optional<int> error;
  int runs = 0;

 private:
  std::function<bool(sqlite::Connection&)> fn_;
};

std::int64_t count(sqlite::Connection& db, const std::string& sql) {
  auto q = db.query(sql);
  return q.step() ? q.int64(0) : -1;
}

}  // namespace group_commit

TEST(SqliteGroupCommit, AFailingOperationDoesNotSpoilItsBatch) {
  using group_commit::Op;
  TempDir dir;
  const auto path = (dir.path() / "noaber.db").string();
  sqlite::ConnectionPool pool(sqlite::PoolOptions{.path = path, .read_connections = 1});
  pool.with_writer([](sqlite::Connection& db) {
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE) STRICT");
  });

  // The first operation holds its batch open until the others are queued,
  // so those six all land in the second batch.
  constexpr std::size_t kQueued = 6;
  std::atomic<bool> started{false};
  Op first([&](sqlite::Connection& db) {
    started = true;
    while (pool.queued() < kQueued) std::this_thread::yield();
    db.query("INSERT INTO t (name) VALUES ('first')").run();
    return true;
  });
  std::vector<std::optional<std::int64_t>> ids(4);
  auto insert = [&](int slot, std::string name) {
    return [&, slot, name](sqlite::Connection& db) {
      auto q = db.query("INSERT INTO t (name) VALUES (?1) RETURNING id");
      q.bind_all(name);
      if (!q.step()) return false;
      ids[slot] = q.int64(0);
      q.run();
      return true;
    };
  };
  std::vector<std::unique_ptr<Op>> ops;
  ops.push_back(std::make_unique<Op>(insert(0, "a")));
  ops.push_back(std::make_unique<Op>(insert(1, "first")));  // UNIQUE: fails
  ops.push_back(std::make_unique<Op>(insert(2, "b")));
  // Changes something, then refuses: its change must be undone.
  ops.push_back(std::make_unique<Op>([&](sqlite::Connection& db) {
    db.query("INSERT INTO t (name) VALUES ('refused')").run();
    return false;
  }));
  ops.push_back(std::make_unique<Op>([](sqlite::Connection&) -> bool {
    throw std::logic_error("a bug in one operation");
  }));
  ops.push_back(std::make_unique<Op>(insert(3, "c")));
  ASSERT_EQ(ops.size(), kQueued);

  const std::uint64_t batches_before = pool.batches_run();
  std::thread leader([&] { pool.write(first); });
  while (!started) std::this_thread::yield();
  std::vector<std::thread> threads;
  std::atomic<int> threw{0};
  for (auto& op : ops) {
    threads.emplace_back([&, raw = op.get()] {
      try {
        pool.write(*raw);
      } catch (const std::logic_error&) {
        ++threw;
      }
    });
  }
  leader.join();
  for (auto& t : threads) t.join();

  EXPECT_EQ(pool.batches_run() - batches_before, 2u);  // `first`'s and one for all six
  EXPECT_EQ(first.error, std::nullopt);
  EXPECT_EQ(ops[0]->error, std::nullopt);
  EXPECT_EQ(ops[1]->error, SQLITE_CONSTRAINT_UNIQUE);
  EXPECT_EQ(ops[2]->error, std::nullopt);
  EXPECT_EQ(ops[3]->error, std::nullopt);
  EXPECT_EQ(ops[5]->error, std::nullopt);
  EXPECT_EQ(threw, 1);
  for (const auto& op : ops) EXPECT_EQ(op->runs, 1);  // the batch did not fail as a whole
  ASSERT_TRUE(ids[0] && ids[2] && ids[3]);
  EXPECT_NE(*ids[0], *ids[2]);
  EXPECT_NE(*ids[2], *ids[3]);
  EXPECT_NE(*ids[0], *ids[3]);

  // What was answered is committed; what failed or refused left nothing.
  pool.with_reader([&](sqlite::Connection& db) {
    EXPECT_EQ(group_commit::count(db, "SELECT count(*) FROM t"), 4);
    EXPECT_EQ(group_commit::count(db, "SELECT count(*) FROM t WHERE name IN ('first', 'a', 'b', 'c')"), 4);
  });
}

TEST(SqliteGroupCommit, ABatchThatFailsAsAWholeIsRunOneByOne) {
  using group_commit::Op;
  TempDir dir;
  const auto path = (dir.path() / "noaber.db").string();
  sqlite::ConnectionPool pool(sqlite::PoolOptions{.path = path, .read_connections = 1});
  pool.with_writer([](sqlite::Connection& db) {
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT");
  });
  constexpr std::size_t kQueued = 3;
  std::atomic<bool> started{false};
  Op first([&](sqlite::Connection& db) {
    started = true;
    while (pool.queued() < kQueued) std::this_thread::yield();
    db.query("INSERT INTO t (name) VALUES ('first')").run();
    return true;
  });
  auto insert = [](std::string name) {
    return [name](sqlite::Connection& db) {
      db.query("INSERT INTO t (name) VALUES (?1)").bind_all(name).run();
      return true;
    };
  };
  // Ends the batch's transaction from inside (as a full disk would): the
  // batch cannot commit, so each operation runs again in its own.
  bool ended = false;
  Op breaker([&](sqlite::Connection& db) {
    if (!ended) {
      ended = true;
      db.rollback_quietly();
      throw sqlite::DbError(SQLITE_IOERR, "a failure that ends the transaction");
    }
    db.query("INSERT INTO t (name) VALUES ('breaker')").run();
    return true;
  });
  Op a(insert("a"));
  Op b(insert("b"));

  const std::uint64_t batches_before = pool.batches_run();
  std::thread leader([&] { pool.write(first); });
  while (!started) std::this_thread::yield();
  std::thread ta([&] { pool.write(a); });
  while (pool.queued() < 1) std::this_thread::yield();
  std::thread tbreak([&] { pool.write(breaker); });
  while (pool.queued() < 2) std::this_thread::yield();
  std::thread tb([&] { pool.write(b); });
  leader.join();
  ta.join();
  tbreak.join();
  tb.join();

  EXPECT_EQ(a.error, std::nullopt);
  EXPECT_EQ(b.error, std::nullopt);
  EXPECT_EQ(breaker.error, std::nullopt);
  EXPECT_EQ(a.runs, 2);
  EXPECT_EQ(breaker.runs, 2);
  EXPECT_EQ(b.runs, 1);  // after the breaker: not run in the failed batch
  pool.with_reader([&](sqlite::Connection& db) {
    EXPECT_EQ(group_commit::count(db, "SELECT count(*) FROM t"), 4);
    EXPECT_EQ(group_commit::count(db, "SELECT count(*) FROM t WHERE name = 'breaker'"), 1);
  });
}

// The memo of hot reads (store/sqlite/read_memo.h): a session, a
// membership and the hidden-post check are read from the file once and then
// from memory, until a write that may change them (the contract suite's
// ReadAfterChange tests check the answers stay right).
TEST(SqliteStore, HotReadsAreServedFromMemoryUntilAWriteMayChangeThem) {
  TempDir dir;
  std::map<std::string, int, std::less<>> reads;
  std::mutex reads_mutex;
  SqliteStore store(SqliteOptions{
      .path = (dir.path() / "noaber.db").string(),
      .on_operation = [&](std::string_view operation, double) {
        std::lock_guard lock(reads_mutex);
        ++reads[std::string(operation)];
      }});
  store.migrate();
  const TimePoint t0{std::chrono::seconds(1'800'000'000)};
  const User anna = store.create_user(NewUser{.email = "a@example.org", .display_name = "a",
                                              .password_hash = "x", .created_at = t0})
                        .value();
  const auto wijk = store.create_neighbourhood(NewNeighbourhood{
                           .name = "Lombok", .region_name = "Utrecht", .lat = 52.09,
                           .lon = 5.10, .founder = anna.id, .created_at = t0}, 2.0)
                        .value();
  ASSERT_TRUE(store.create_session(NewSession{"hash-1", anna.id, t0, t0 + std::chrono::hours(1)}));

  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store.find_session("hash-1", t0 + std::chrono::seconds(i)));
    ASSERT_TRUE(store.get_membership(wijk.id, anna.id));
    ASSERT_TRUE(store.has_hidden_posts(anna.id));
  }
  EXPECT_EQ(reads["find_session"], 1);
  EXPECT_EQ(reads["get_membership"], 1);
  EXPECT_EQ(reads["has_hidden_posts"], 1);

  // A touch writes its effect into the memo instead of emptying it.
  ASSERT_TRUE(store.touch_session("hash-1", t0 + std::chrono::minutes(2)));
  EXPECT_EQ(store.find_session("hash-1", t0 + std::chrono::minutes(3))->last_seen_at,
            t0 + std::chrono::minutes(2));
  EXPECT_EQ(reads["find_session"], 1);

  // A session write (another login) leaves memberships alone but not
  // sessions; a new post leaves them all; a change to a post moves all.
  ASSERT_TRUE(store.create_session(NewSession{"hash-2", anna.id, t0, t0 + std::chrono::hours(1)}));
  ASSERT_TRUE(store.find_session("hash-1", t0 + std::chrono::minutes(4)));
  ASSERT_TRUE(store.get_membership(wijk.id, anna.id));
  EXPECT_EQ(reads["find_session"], 2);
  EXPECT_EQ(reads["get_membership"], 1);
  const auto post = store.create_post(NewPost{.neighbourhood_id = wijk.id, .author_id = anna.id,
                                        .kind = PostKind::ask, .category = Category::goods,
                                        .title = "Ladder", .body = "Wie heeft er een?",
                                        .body_html = "<p>Wie heeft er een?</p>",
                                        .created_at = t0});
  ASSERT_TRUE(post);
  ASSERT_TRUE(store.find_session("hash-1", t0 + std::chrono::minutes(5)));
  ASSERT_TRUE(store.get_membership(wijk.id, anna.id));
  ASSERT_TRUE(store.has_hidden_posts(anna.id));
  EXPECT_EQ(reads["find_session"], 2);
  EXPECT_EQ(reads["get_membership"], 1);
  EXPECT_EQ(reads["has_hidden_posts"], 1);
  ASSERT_TRUE(store.set_post_status(post->id, {PostStatus::open}, PostStatus::closed,
                                    t0 + std::chrono::minutes(6)));
  ASSERT_TRUE(store.find_session("hash-1", t0 + std::chrono::minutes(7)));
  ASSERT_TRUE(store.get_membership(wijk.id, anna.id));
  ASSERT_TRUE(store.has_hidden_posts(anna.id));
  EXPECT_EQ(reads["find_session"], 3);
  EXPECT_EQ(reads["get_membership"], 2);
  EXPECT_EQ(reads["has_hidden_posts"], 2);
}

}  // namespace
}  // namespace noaber::testing
