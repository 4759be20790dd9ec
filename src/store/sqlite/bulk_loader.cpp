#include "store/sqlite/bulk_loader.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace noaber {
namespace {

// The tables this loader fills; their secondary indexes are dropped for the
// load and built again at the end.
constexpr std::string_view kLoadedTables[] = {"users", "neighbourhoods", "memberships",
                                              "posts", "responses",      "exchanges"};

constexpr const char* kInsertRegion = "INSERT INTO regions (id, name) VALUES (?1, ?2)";
constexpr const char* kInsertNeighbourhood =
    "INSERT INTO neighbourhoods (id, name, region_id, lat, lon, member_count, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr const char* kInsertNearby =
    "INSERT INTO neighbourhood_nearby (neighbourhood_id, nearby_id) VALUES (?1, ?2)";
constexpr const char* kInsertUser =
    "INSERT INTO users (id, email, display_name, locale, password_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char* kInsertMembership =
    "INSERT INTO memberships (neighbourhood_id, user_id, role, status, joined_at, verified_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?4 = 'verified' THEN ?5 END)";
constexpr const char* kInsertPost =
    "INSERT INTO posts (id, neighbourhood_id, region_id, author_id, kind, category, title,"
    " body, body_html, visibility, status, created_at, expires_at, updated_at, response_count)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
constexpr const char* kInsertResponse =
    "INSERT INTO responses (id, post_id, neighbourhood_id, responder_id, message, status,"
    " created_at, accepted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kInsertExchange =
    "INSERT INTO exchanges (id, post_id, neighbourhood_id, response_id, giver_id, receiver_id,"
    " category, hours, thanks, completed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

[[noreturn]] void fail_with(sqlite3* db, std::string_view doing) {
  throw std::runtime_error(
      fmt::format("bulk load: {} failed: {}", doing, db ? sqlite3_errmsg(db) : "no database"));
}

void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail_with(db, sql);
}

std::int64_t single_int(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) fail_with(db, sql);
  std::int64_t value = 0;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return value;
}

// One prepared INSERT, bound column by column and run once per row. Text
// is bound SQLITE_STATIC: the views outlive the step, so SQLite need not
// copy them.
//
// With `rows` above one, the statement inserts that many rows at once (the
// VALUES tuple repeated with its parameters renumbered): the work of each
// run (starting the statement, opening the table and its unique indexes)
// is then done once per group, a third less time for a post. row(r) picks
// the tuple the next binds fill.
class Insert {
 public:
  Insert() = default;
  Insert(sqlite3* db, const char* sql, const char* table, int rows = 1) : db_(db), table_(table) {
    // "INSERT INTO t (...) VALUES (?1, ?2)": the tuple is the statement's
    // tail, so its numbers end where the NUL-terminated text does.
    const std::string_view single(sql);
    const auto values = single.find(" VALUES ") + 8;
    const std::string_view tuple = single.substr(values);
    for (std::size_t i = tuple.find('?'); i != std::string_view::npos; i = tuple.find('?', i + 1))
      parameters_ = std::max(parameters_, std::atoi(tuple.data() + i + 1));
    std::string grouped(single.substr(0, values));
    for (int r = 0; r < rows; ++r) {
      if (r > 0) grouped += ", ";
      for (std::size_t i = 0; i < tuple.size(); ++i) {
        grouped += tuple[i];
        if (tuple[i] != '?') continue;
        grouped += std::to_string(std::atoi(tuple.data() + i + 1) + r * parameters_);
        while (i + 1 < tuple.size() && tuple[i + 1] >= '0' && tuple[i + 1] <= '9') ++i;
      }
    }
    if (sqlite3_prepare_v3(db, grouped.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
        SQLITE_OK)
      fail_with(db, fmt::format("preparing the insert into {}", table));
  }
  ~Insert() { sqlite3_finalize(stmt_); }
  Insert(Insert&& other) noexcept
      : db_(other.db_),
        stmt_(std::exchange(other.stmt_, nullptr)),
        table_(other.table_),
        parameters_(other.parameters_) {}
  Insert& operator=(Insert&& other) noexcept {
    std::swap(db_, other.db_);
    std::swap(stmt_, other.stmt_);
    std::swap(table_, other.table_);
    std::swap(parameters_, other.parameters_);
    return *this;
  }

  Insert& row(int r) {
    offset_ = r * parameters_;
    return *this;
  }

  Insert& operator()(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, offset_ + i, v);
    return *this;
  }
  Insert& operator()(int i, double v) {
    sqlite3_bind_double(stmt_, offset_ + i, v);
    return *this;
  }
  Insert& operator()(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, offset_ + i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  template <typename Tag>
  Insert& operator()(int i, Id<Tag> v) {
    return (*this)(i, v.value);
  }
  Insert& operator()(int i, TimePoint v) {
    return (*this)(i, static_cast<std::int64_t>(v.time_since_epoch().count()));
  }
  template <typename E>
    requires std::is_enum_v<E>
  Insert& operator()(int i, E v) {
    return (*this)(i, to_string(v));
  }
  template <typename T>
  Insert& operator()(int i, const std::optional<T>& v) {
    if (!v) {
      sqlite3_bind_null(stmt_, offset_ + i);
      return *this;
    }
    return (*this)(i, *v);
  }

  void run() {
    const int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    if (rc != SQLITE_DONE) fail_with(db_, fmt::format("inserting into {}", table_));
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  const char* table_ = "";
  int parameters_ = 0;  // of one row
  int offset_ = 0;
};

void bind(Insert& s, const BulkUser& u) {
  s(1, u.id)(2, u.email)(3, u.display_name)(4, u.locale)(5, u.password_hash)(6, u.created_at);
}
void bind(Insert& s, const BulkMembership& m) {
  s(1, m.neighbourhood_id)(2, m.user_id)(3, m.role)(4, m.status)(5, m.joined_at);
}
void bind(Insert& s, const BulkPost& p) {
  s(1, p.id)(2, p.neighbourhood_id)(3, p.region_id)(4, p.author_id)(5, p.kind)(6, p.category)(
      7, p.title)(8, p.body)(9, p.body_html)(10, p.visibility)(11, p.status)(12, p.created_at)(
      13, p.expires_at)(14, p.updated_at)(15, p.response_count);
}
void bind(Insert& s, const BulkResponse& r) {
  s(1, r.id)(2, r.post_id)(3, r.neighbourhood_id)(4, r.responder_id)(5, r.message)(6, r.status)(
      7, r.created_at)(8, r.accepted_at);
}
void bind(Insert& s, const BulkExchange& e) {
  s(1, e.id)(2, e.post_id)(3, e.neighbourhood_id)(4, e.response_id)(5, e.giver_id)(
      6, e.receiver_id)(7, e.category)(8, e.hours)(9, e.thanks)(10, e.completed_at);
}

// Copies of the text of rows waiting in a group, packed into 64 KB blocks
// that are reused once the group is written.
class TextArena {
 public:
  std::string_view keep(std::string_view text) {
    if (text.size() > kBlock) return large_.emplace_back(text);
    if (blocks_.empty() || used_ + text.size() > kBlock) {
      if (blocks_.empty() || ++block_ == blocks_.size()) {
        blocks_.push_back(std::make_unique_for_overwrite<char[]>(kBlock));
        block_ = blocks_.size() - 1;
      }
      used_ = 0;
    }
    char* at = blocks_[block_].get() + used_;
    if (!text.empty()) std::memcpy(at, text.data(), text.size());
    used_ += text.size();
    return {at, text.size()};  // never a null pointer, which SQLite would bind as NULL
  }
  void clear() {
    block_ = 0;
    used_ = 0;
    large_.clear();
  }

 private:
  static constexpr std::size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_ = 0;
  std::size_t used_ = 0;
  std::deque<std::string> large_;  // a deque never moves its strings
};

// The text a waiting row needs kept: all of it, but for posts, whose text
// the caller keeps valid until finish() (it comes from a small pool, and
// copying it would cost more than the rest of a post's row).
void keep_text(BulkUser& u, TextArena& arena) {
  u.email = arena.keep(u.email);
  u.display_name = arena.keep(u.display_name);
  u.password_hash = arena.keep(u.password_hash);
}
void keep_text(BulkMembership&, TextArena&) {}
void keep_text(BulkPost&, TextArena&) {}
void keep_text(BulkResponse& r, TextArena& arena) { r.message = arena.keep(r.message); }
void keep_text(BulkExchange& e, TextArena& arena) {
  if (e.thanks) e.thanks = arena.keep(*e.thanks);
}

// Rows of one table written kRows to a statement; the last few by one
// statement each at flush().
template <typename Row>
class Grouped {
 public:
  static constexpr int kRows = 32;
  Grouped() = default;
  Grouped(sqlite3* db, const char* sql, const char* table)
      : group_(db, sql, table, kRows), single_(db, sql, table) {}

  void add(const Row& row) {
    Row& kept = rows_[static_cast<std::size_t>(pending_++)];
    kept = row;
    keep_text(kept, text_);
    if (pending_ < kRows) return;
    for (int r = 0; r < kRows; ++r) bind(group_.row(r), rows_[static_cast<std::size_t>(r)]);
    group_.run();
    pending_ = 0;
    text_.clear();
  }
  void flush() {
    for (int r = 0; r < pending_; ++r) {
      bind(single_, rows_[static_cast<std::size_t>(r)]);
      single_.run();
    }
    pending_ = 0;
    text_.clear();
  }

 private:
  Insert group_, single_;
  std::array<Row, kRows> rows_{};
  int pending_ = 0;
  TextArena text_;
};

using Indexes = std::vector<std::pair<std::string, std::string>>;  // name, CREATE statement

std::string sql_list(std::span<const std::string_view> names) {
  std::string list;
  for (const auto name : names) list += fmt::format("{}'{}'", list.empty() ? "" : ",", name);
  return list;
}

// The secondary indexes (not those of UNIQUE and PRIMARY KEY constraints,
// which have no SQL of their own) of `tables`.
Indexes secondary_indexes(sqlite3* db, std::span<const std::string_view> tables) {
  const std::string sql = fmt::format(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
      " AND tbl_name IN ({}) ORDER BY name",
      sql_list(tables));
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    fail_with(db, "listing indexes");
  Indexes indexes;
  while (sqlite3_step(stmt) == SQLITE_ROW)
    indexes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                         reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)));
  sqlite3_finalize(stmt);
  return indexes;
}

void drop(sqlite3* db, const Indexes& indexes) {
  for (const auto& [name, sql] : indexes) exec(db, fmt::format("DROP INDEX \"{}\"", name).c_str());
}

// Builds `indexes` again in a transaction of their own, on a database whose
// rows are committed.
//
// CREATE INDEX reads the table once and feeds a sorter. The sorter's runs
// are as large as the page cache: with 1 MB runs each fits in the CPU's
// cache and is sorted by a worker thread (SQLite starts none when its
// temporary files live in memory, hence temp_store back to the default)
// while the main thread goes on reading rows, and the runs are merged at
// the end. A large cache instead makes one big run whose merge sort misses
// the CPU cache on nearly every step: three times slower. The table scans
// read the committed file through a memory map rather than copying it.
void build(sqlite3* db, const Indexes& indexes,
           const std::function<void(std::string_view step)>& on_step) {
  exec(db,
       "PRAGMA ignore_check_constraints = OFF; PRAGMA cache_size = -1024;"
       " PRAGMA temp_store = DEFAULT; PRAGMA threads = 2; PRAGMA mmap_size = 2147418112;");
  exec(db, "BEGIN IMMEDIATE");
  for (const auto& [name, sql] : indexes) {
    if (on_step) on_step(name);
    exec(db, sql.c_str());
  }
  if (on_step) on_step("commit indexes");
  exec(db, "COMMIT");
}

}  // namespace

struct SqliteBulkLoader::State {
  sqlite3* db = nullptr;
  bool in_transaction = false;
  Indexes dropped_indexes;
  Insert region, neighbourhood, nearby;
  Grouped<BulkUser> users;
  Grouped<BulkMembership> memberships;
  Grouped<BulkPost> posts;
  Grouped<BulkResponse> responses;
  Grouped<BulkExchange> exchanges;

  ~State() {
    // Statements go before the connection closes.
    region = {};
    neighbourhood = {};
    nearby = {};
    users = {};
    memberships = {};
    posts = {};
    responses = {};
    exchanges = {};
    if (db) {
      if (in_transaction) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_exec(db, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
      sqlite3_close(db);
    }
  }
};

SqliteBulkLoader::SqliteBulkLoader(const std::string& path) : state_(std::make_unique<State>()) {
  sqlite3*& db = state_->db;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK)
    fail_with(db, fmt::format("opening {}", path));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  if (single_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'posts'") == 0)
    throw std::runtime_error("bulk load: " + path + " has no schema; migrate it first");
  if (single_int(db, "SELECT EXISTS (SELECT 1 FROM users)") != 0)
    throw std::runtime_error("bulk load: " + path + " holds users already; use a new database");

  // A fresh file and one transaction: a rollback journal in memory holds
  // next to nothing (there were no pages to save), and nothing is synced
  // until finish(). A large page cache keeps the B-trees being appended to
  // in memory.
  //
  // CHECK constraints are not evaluated during the load: every value they
  // test comes from an enum's to_string (or is a count the caller keeps),
  // and SQLite codes an `x IN ('a', 'b', 'c')` check (three values or more)
  // as a temporary table built anew on every run of the statement: three
  // per post, two per membership, which took most of the insert time. The
  // constraints stay in the schema and hold for the rows written: PRAGMA
  // quick_check verifies them, and the synthetic seed test runs it.
  exec(db,
       "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;"
       " PRAGMA ignore_check_constraints = ON; PRAGMA cache_size = -262144;"
       " PRAGMA temp_store = MEMORY;");

  state_->dropped_indexes = secondary_indexes(db, kLoadedTables);

  exec(db, "BEGIN IMMEDIATE");
  state_->in_transaction = true;
  drop(db, state_->dropped_indexes);

  state_->region = Insert(db, kInsertRegion, "regions");
  state_->neighbourhood = Insert(db, kInsertNeighbourhood, "neighbourhoods");
  state_->nearby = Insert(db, kInsertNearby, "neighbourhood_nearby");
  state_->users = Grouped<BulkUser>(db, kInsertUser, "users");
  state_->memberships = Grouped<BulkMembership>(db, kInsertMembership, "memberships");
  state_->posts = Grouped<BulkPost>(db, kInsertPost, "posts");
  state_->responses = Grouped<BulkResponse>(db, kInsertResponse, "responses");
  state_->exchanges = Grouped<BulkExchange>(db, kInsertExchange, "exchanges");
}

SqliteBulkLoader::~SqliteBulkLoader() = default;

void SqliteBulkLoader::add_region(RegionId id, std::string_view name) {
  state_->region(1, id)(2, name).run();
}

void SqliteBulkLoader::add_neighbourhood(const BulkNeighbourhood& n) {
  state_->neighbourhood(1, n.id)(2, n.name)(3, n.region_id)(4, n.lat)(5, n.lon)(
      6, n.member_count)(7, n.created_at)
      .run();
}

void SqliteBulkLoader::add_nearby(NeighbourhoodId a, NeighbourhoodId b) {
  state_->nearby(1, a)(2, b).run();
}

void SqliteBulkLoader::add_user(const BulkUser& u) { state_->users.add(u); }

void SqliteBulkLoader::add_membership(const BulkMembership& m) { state_->memberships.add(m); }

void SqliteBulkLoader::add_post(const BulkPost& p) { state_->posts.add(p); }

void SqliteBulkLoader::add_response(const BulkResponse& r) { state_->responses.add(r); }

void SqliteBulkLoader::add_exchange(const BulkExchange& e) { state_->exchanges.add(e); }

void SqliteBulkLoader::finish(const std::function<void(std::string_view step)>& on_step) {
  sqlite3* db = state_->db;
  // The rows first: the commit writes every dirty page of the tables out,
  // so the page cache can be small for the index builds that follow.
  if (on_step) on_step("commit rows");
  state_->users.flush();
  state_->memberships.flush();
  state_->posts.flush();
  state_->responses.flush();
  state_->exchanges.flush();
  exec(db, "COMMIT");
  state_->in_transaction = false;
  // A failure from here on leaves rows without (some of) their indexes: a
  // file to delete, as after any failed load.
  build(db, state_->dropped_indexes, on_step);

  if (on_step) on_step("analyze");
  // Statistics for the planner, gathered from a sample of each index.
  exec(db, "PRAGMA analysis_limit = 1000; ANALYZE;");
  exec(db, "PRAGMA mmap_size = 0;");
  // Back to how the server runs it; the switch itself syncs the file.
  exec(db, "PRAGMA synchronous = FULL;");
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &stmt, nullptr) != SQLITE_OK ||
      sqlite3_step(stmt) != SQLITE_ROW ||
      std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) != "wal") {
    sqlite3_finalize(stmt);
    fail_with(db, "returning to WAL");
  }
  sqlite3_finalize(stmt);
}

std::int64_t SqliteBulkLoader::foreign_key_violations(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  sqlite3_stmt* stmt = nullptr;
  std::int64_t rows = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &stmt, nullptr) == SQLITE_OK)
    while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
  else
    rows = -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (rows < 0) throw std::runtime_error("foreign_key_check failed on " + path);
  return rows;
}

SqliteBulkLoader::FileFacts SqliteBulkLoader::file_facts(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  FileFacts facts;
  auto each_row = [&](const char* sql, const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      sqlite3_close(db);
      throw std::runtime_error(fmt::format("{} failed on {}", sql, path));
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) row(stmt);
    sqlite3_finalize(stmt);
  };
  auto text = [](sqlite3_stmt* stmt, int column) {
    const auto* value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
    return std::string(value ? value : "");
  };
  each_row("PRAGMA quick_check", [&](sqlite3_stmt* s) {
    facts.quick_check += (facts.quick_check.empty() ? "" : "\n") + text(s, 0);
  });
  each_row("PRAGMA journal_mode", [&](sqlite3_stmt* s) { facts.journal_mode = text(s, 0); });
  each_row(
      "SELECT type, name, sql FROM sqlite_master WHERE name <> 'sqlite_stat1' ORDER BY name",
      [&](sqlite3_stmt* s) {
        facts.schema.push_back(fmt::format("{} {}: {}", text(s, 0), text(s, 1), text(s, 2)));
      });
  each_row("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'", [&](sqlite3_stmt* s) {
    if (sqlite3_column_int64(s, 0) > 0)
      each_row("SELECT count(*) FROM sqlite_stat1", [&](sqlite3_stmt* t) {
        facts.statistics_rows = sqlite3_column_int64(t, 0);
      });
  });
  sqlite3_close(db);
  return facts;
}

}  // namespace noaber
