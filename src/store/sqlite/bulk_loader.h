#pragma once
// A fast path for filling a new SQLite database with many rows at once (the
// synthetic national data set of `noaber seed-synthetic`), beside the Store
// interface, which is built for one request's rows at a time.
//
// The caller hands over complete rows with their ids already chosen and
// consistent with each other (every post's author a verified member, counts
// matching the rows they count). The loader does not check that; it only
// writes, as fast as SQLite can:
//  - one transaction for all rows, with prepared statements that insert 32
//    rows each (the last few of a table one by one), and CHECK constraints
//    not evaluated (the caller's values come from enums; PRAGMA
//    quick_check confirms it);
//  - the secondary indexes of the loaded tables dropped first and built again
//    by finish() in a second transaction, which sorts once (in small runs, on
//    a worker thread) instead of updating B-trees row by row;
//  - no durability during the load (journal in memory, no fsync); the
//    database returns to WAL with synchronous=FULL in finish() and is
//    synced then. A load that dies halfway leaves a file to delete.
//
// Only for a migrated database that holds no users yet. Failures throw
// std::runtime_error (this is a maintenance command, not a request path).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace noaber {

struct BulkNeighbourhood {
  NeighbourhoodId id;
  std::string_view name;
  RegionId region_id;
  double lat = 0;
  double lon = 0;
  std::int64_t member_count = 0;  // verified members, as the store keeps it
  TimePoint created_at;
};

struct BulkUser {
  UserId id;
  std::string_view email;
  std::string_view display_name;
  Locale locale = Locale::nl;
  std::string_view password_hash;
  TimePoint created_at;
};

struct BulkMembership {
  NeighbourhoodId neighbourhood_id;
  UserId user_id;
  Role role = Role::resident;
  MemberStatus status = MemberStatus::verified;
  TimePoint joined_at;  // verified_at too, when verified
};

struct BulkPost {
  PostId id;
  NeighbourhoodId neighbourhood_id;
  RegionId region_id;
  UserId author_id;
  PostKind kind = PostKind::ask;
  Category category = Category::goods;
  std::string_view title;
  std::string_view body;
  std::string_view body_html;
  Visibility visibility = Visibility::neighbourhood;
  PostStatus status = PostStatus::open;
  TimePoint created_at;
  std::optional<TimePoint> expires_at;
  TimePoint updated_at;
  std::int64_t response_count = 0;
};

struct BulkResponse {
  ResponseId id;
  PostId post_id;
  NeighbourhoodId neighbourhood_id;
  UserId responder_id;
  std::string_view message;
  ResponseStatus status = ResponseStatus::pending;
  TimePoint created_at;
  std::optional<TimePoint> accepted_at;
};

struct BulkExchange {
  ExchangeId id;
  PostId post_id;
  NeighbourhoodId neighbourhood_id;
  ResponseId response_id;
  UserId giver_id;
  UserId receiver_id;
  Category category = Category::goods;
  std::optional<double> hours;
  std::optional<std::string_view> thanks;
  TimePoint completed_at;
};

class SqliteBulkLoader {
 public:
  // Opens the migrated database at `path`, refuses one that holds users,
  // drops the loaded tables' secondary indexes and begins the transaction.
  explicit SqliteBulkLoader(const std::string& path);
  // Without finish(), rolls everything back (the indexes come back too);
  // after a finish() that failed, the file is to be deleted.
  ~SqliteBulkLoader();
  SqliteBulkLoader(const SqliteBulkLoader&) = delete;
  SqliteBulkLoader& operator=(const SqliteBulkLoader&) = delete;

  void add_region(RegionId id, std::string_view name);
  void add_neighbourhood(const BulkNeighbourhood& n);
  // One direction; the store keeps both, so call it for (a, b) and (b, a).
  void add_nearby(NeighbourhoodId a, NeighbourhoodId b);
  void add_user(const BulkUser& u);
  void add_membership(const BulkMembership& m);
  // Rows are written 32 to a statement. The text a post views (title, body,
  // body_html) must stay valid until finish(); the other rows' text is
  // copied while they wait.
  void add_post(const BulkPost& p);
  void add_response(const BulkResponse& r);
  void add_exchange(const BulkExchange& e);

  // Commits the rows, builds the dropped indexes again, gathers the query
  // planner's statistics, and returns the database to WAL with full
  // durability. Tells `on_step` the name of each of its steps before it
  // starts ("commit rows", each index, "commit indexes", "analyze").
  void finish(const std::function<void(std::string_view step)>& on_step = {});

  // Rows that break a foreign key anywhere in the database at `path` (0 for
  // a consistent one); for tests of what was loaded.
  static std::int64_t foreign_key_violations(const std::string& path);

  // What a test compares between a loaded file and a freshly migrated one.
  struct FileFacts {
    std::string quick_check;   // "ok" when every page, NOT NULL and CHECK holds
    std::string journal_mode;  // "wal" after finish()
    // "type name: sql" of every table, index, trigger and view, by name
    // (the statistics table ANALYZE makes left out).
    std::vector<std::string> schema;
    std::int64_t statistics_rows = 0;  // rows of sqlite_stat1 (ANALYZE ran)
  };
  static FileFacts file_facts(const std::string& path);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace noaber
