#include "store/sqlite/sqlite_store.h"

#include "store/row_readers.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/geo.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/read_memo.h"
#include "store/sqlite/sqlite_db.h"

namespace noaber {
namespace {

// Shared with the other backend (store/row_readers.h): each column list
// is read by the reader of the same name.
using store_rows::join;
using store_rows::kNeighbourhoodColumns;
using store_rows::kMembershipColumns;
using store_rows::kPostColumns;
using store_rows::kResponseColumns;
using store_rows::kExchangeColumns;
using store_rows::kProfileColumns;
using store_rows::kSettingsColumns;
using store_rows::kAccessColumns;
using store_rows::kViewColumns;
using store_rows::kNotificationColumns;
using store_rows::kAccessEventColumns;
using store_rows::kActivityColumns;
using store_rows::kOpenedPostColumns;

using sqlite::Connection;
using sqlite::DbError;
using sqlite::Query;
using sqlite::Transaction;

// --- failures --------------------------------------------------------------

// The one place where a database failure becomes an Error. The client sees
// a generic message; what SQLite said goes to the log.
Error translate(const DbError& e, std::string_view operation) {
  const int code = e.code();
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    spdlog::debug("sqlite: {}: {}", operation, e.what());
    return Error{ErrorCode::conflict, "This conflicts with data that exists already.", {}, 0};
  }
  if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
    // A new row names a user, neighbourhood or post that does not exist.
    spdlog::debug("sqlite: {}: {}", operation, e.what());
    return Error{ErrorCode::not_found, "Something this refers to does not exist.", {}, 0};
  }
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
    spdlog::warn("sqlite: {}: database busy: {}", operation, e.what());
    return Error{ErrorCode::unavailable, "The database is busy. Please try again.", {}, 0};
  }
  spdlog::error("sqlite: {} failed (code {}): {}", operation, code, e.what());
  return Error{ErrorCode::internal, "The database failed.", {}, 0};
}

std::unexpected<Error> not_found(std::string message) {
  return fail(ErrorCode::not_found, std::move(message));
}

std::unexpected<Error> conflict(std::string message) {
  return fail(ErrorCode::conflict, std::move(message));
}

// Reports an operation's duration (waiting for a connection included) when
// it ends.
class OperationTimer {
 public:
  OperationTimer(const StoreTimer& timer, std::string_view operation)
      : timer_(timer), operation_(operation), start_(std::chrono::steady_clock::now()) {}
  ~OperationTimer() {
    if (!timer_) return;
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
    timer_(operation_, took.count());
  }
  OperationTimer(const OperationTimer&) = delete;
  OperationTimer& operator=(const OperationTimer&) = delete;

 private:
  const StoreTimer& timer_;
  std::string_view operation_;
  std::chrono::steady_clock::time_point start_;
};

// Runs `fn` as a write on the write connection. Its change is kept when
// `fn` returns a value and rolled back when it returns an error or the
// database fails, so a refused change leaves nothing behind.
// Which of the pool's generations a write moves (sqlite_db.h, WriteOp):
// - moves: all of them, the default;
// - left: writes whose change no cached read depends on (see WriteOp::
//   moves_generation): they only touch sessions, notifications, follow-up
//   claims and professionals' view records, which no feed shows. They still
//   move any_write_generation, which the session memo follows;
// - none: only a session touch, which records its effect in the session
//   memo itself;
// - new_post_in(n): only the insert of a post of n that is not region-wide,
//   which changes no session, membership or hidden post and can only reach
//   the feeds of n and its nearby set (feed_generation).
struct Generation {
  enum class Kind { moves, left, none, new_post };
  Kind kind = Kind::moves;
  NeighbourhoodId neighbourhood{};
  bool nearby = false;  // new_post: shown to the nearby set too
  static constexpr Generation new_post_in(NeighbourhoodId n, Visibility v) {
    return {Kind::new_post, n, v == Visibility::nearby};
  }
  static const Generation moves, left, none;
};
constexpr Generation Generation::moves{Generation::Kind::moves, {}, false};
constexpr Generation Generation::left{Generation::Kind::left, {}, false};
constexpr Generation Generation::none{Generation::Kind::none, {}, false};

template <typename Fn>
auto run_write(sqlite::ConnectionPool& pool, const StoreTimer& timer, std::string_view operation,
               Fn&& fn, Generation generation = Generation::moves) {
  OperationTimer timed(timer, operation);
  using Answer = std::invoke_result_t<Fn&, Connection&>;
  // The pool runs `fn` in a group commit (sqlite_db.h), possibly on another
  // thread and, if its batch fails as a whole, once more on its own; the
  // last answer recorded is the one that counts.
  class Op final : public sqlite::WriteOp {
   public:
    Op(Fn& fn, std::string_view operation, Generation generation)
        : fn_(fn), operation_(operation) {
      switch (generation.kind) {
        case Generation::Kind::moves: break;
        case Generation::Kind::left: leave_generation(); break;
        case Generation::Kind::none: leave_every_generation(); break;
        case Generation::Kind::new_post:
          narrow_to_new_post({generation.neighbourhood.value, generation.nearby});
      }
    }
    bool apply(Connection& db) override {
      answer.emplace(fn_(db));
      return answer->has_value();
    }
    void fail(const DbError& e) override {
      answer.emplace(std::unexpected(translate(e, operation_)));
    }
    std::optional<Answer> answer;

   private:
    Fn& fn_;
    std::string_view operation_;
  };
  Op op(fn, operation, generation);
  pool.write(op);
  return std::move(*op.answer);
}

// Runs `fn` on a read connection inside one read transaction, so all its
// statements see the same snapshot.
template <typename Fn>
auto run_read(sqlite::ConnectionPool& pool, const StoreTimer& timer, std::string_view operation,
              Fn&& fn) {
  OperationTimer timed(timer, operation);
  return pool.with_reader([&](Connection& db) -> decltype(fn(db)) {
    try {
      Transaction snapshot(db, Transaction::Kind::deferred);
      auto result = fn(db);
      snapshot.commit();
      return result;
    } catch (const DbError& e) {
      return std::unexpected(translate(e, operation));
    }
  });
}

// The id from `INSERT ... RETURNING id`. The statement is run to its end so
// it is finished before the transaction commits.
std::int64_t returning_id(Query& q) {
  if (!q.step()) throw DbError(SQLITE_INTERNAL, "INSERT ... RETURNING gave no row");
  const std::int64_t id = q.int64(0);
  q.run();
  return id;
}

bool contains(const std::vector<PostStatus>& statuses, PostStatus status) {
  return std::ranges::find(statuses, status) != statuses.end();
}

// --- SQL -------------------------------------------------------------------


// Users and sessions. An erased user (deleted_at set) is a tombstone:
// nobody can find it by email or id any more.
constexpr std::string_view kInsertUser =
    "INSERT INTO users (email, display_name, locale, password_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
constexpr std::string_view kGetUser =
    "SELECT id, email, display_name, locale, created_at FROM users"
    " WHERE id = ?1 AND deleted_at IS NULL";
constexpr std::string_view kFindCredentials =
    "SELECT id, password_hash FROM users WHERE email = ?1 AND deleted_at IS NULL";
constexpr std::string_view kCredentialsOf =
    "SELECT id, password_hash FROM users WHERE id = ?1 AND deleted_at IS NULL";
constexpr std::string_view kSetPassword =
    "UPDATE users SET password_hash = ?2 WHERE id = ?1 AND deleted_at IS NULL";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at)"
    " VALUES (?1, ?2, ?3, ?4, ?3)";
// The join refuses a session of an erased user even if one was created in
// a race with the erasure (a login that checked the password just before).
constexpr std::string_view kFindSession =
    "SELECT s.user_id, s.expires_at, s.created_at, s.last_seen_at FROM sessions s"
    " JOIN users u ON u.id = s.user_id AND u.deleted_at IS NULL"
    " WHERE s.token_hash = ?1 AND s.expires_at > ?2";
constexpr std::string_view kTouchSession =
    "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1 AND last_seen_at < ?2";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_hash = ?1";
// An empty `keep` (bound as NULL when its view has no data) keeps none.
constexpr std::string_view kDeleteSessionsOf =
    "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> COALESCE(?2, '')";

// Export and erasure (AVG/GDPR).
constexpr std::string_view kSessionsOf =
    "SELECT token_hash, created_at, last_seen_at, expires_at FROM sessions"
    " WHERE user_id = ?1 AND expires_at > ?2 ORDER BY created_at, token_hash";
constexpr std::string_view kInvitesBy =
    "SELECT id, neighbourhood_id, created_by, created_at, expires_at, used_at FROM invites"
    " WHERE created_by = ?1 ORDER BY id";
constexpr std::string_view kVerifiedNeighbourhoodsOf =
    "SELECT neighbourhood_id FROM memberships WHERE user_id = ?1 AND status = 'verified'";
constexpr std::string_view kDeleteMembershipsOf = "DELETE FROM memberships WHERE user_id = ?1";
constexpr std::string_view kDeleteUnusedInvitesOf =
    "DELETE FROM invites WHERE created_by = ?1 AND used_at IS NULL";
// Nobody can answer, accept or complete for an erased author any more.
constexpr std::string_view kCloseOpenPostsOf =
    "UPDATE posts SET status = 'closed', updated_at = ?2"
    " WHERE author_id = ?1 AND status IN ('open', 'promised')";
// The placeholder's domain has no dot, which registration refuses
// (check_email), so no live account can ever hold it.
constexpr std::string_view kTombstoneUser =
    "UPDATE users SET email = 'deleted-' || id || '@invalid', display_name = '',"
    " password_hash = '', deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL";

// A professional profile goes with its person; their access ends.
constexpr std::string_view kDeleteProfileOf =
    "DELETE FROM professional_profiles WHERE user_id = ?1";
constexpr std::string_view kLogEndOfAccessOf =
    "INSERT INTO professional_events (neighbourhood_id, professional_id, kind, rule, at)"
    " SELECT neighbourhood_id, user_id, 'revoked', 'account_erased', ?2 FROM professional_access"
    " WHERE user_id = ?1 AND status NOT IN ('refused', 'revoked')";
constexpr std::string_view kEndAccessOf =
    "UPDATE professional_access SET status = 'revoked', updated_at = ?2"
    " WHERE user_id = ?1 AND status NOT IN ('refused', 'revoked')";

// Regions and neighbourhoods. Column order matches read_neighbourhood().
constexpr std::string_view kFindRegion = "SELECT id FROM regions WHERE name = ?1";
constexpr std::string_view kInsertRegion = "INSERT INTO regions (name) VALUES (?1) RETURNING id";
constexpr std::string_view kInsertNeighbourhood =
    "INSERT INTO neighbourhoods (name, region_id, lat, lon, member_count, created_at)"
    " VALUES (?1, ?2, ?3, ?4, 0, ?5) RETURNING id";
// Served by neighbourhoods_lat_lon.
constexpr std::string_view kNeighbourhoodsInBox =
    "SELECT id, lat, lon FROM neighbourhoods"
    " WHERE lat BETWEEN ?1 AND ?2 AND lon BETWEEN ?3 AND ?4 AND id <> ?5";
constexpr std::string_view kInsertNearby =
    "INSERT INTO neighbourhood_nearby (neighbourhood_id, nearby_id) VALUES (?1, ?2)";
constexpr auto kGetNeighbourhood = join(kNeighbourhoodColumns, " WHERE n.id = ?1");
// Name matches use LIKE, which folds ASCII case only.
constexpr auto kSearchByName = join(
    kNeighbourhoodColumns,
    " WHERE ?1 IS NULL OR n.name LIKE ?1 ESCAPE '\\' OR r.name LIKE ?1 ESCAPE '\\'"
    " ORDER BY n.name COLLATE NOCASE, n.id LIMIT ?2");
constexpr auto kSearchInBox = join(
    kNeighbourhoodColumns,
    " WHERE n.lat BETWEEN ?1 AND ?2 AND n.lon BETWEEN ?3 AND ?4"
    " AND (?5 IS NULL OR n.name LIKE ?5 ESCAPE '\\' OR r.name LIKE ?5 ESCAPE '\\')");
constexpr std::string_view kAreNearby =
    "SELECT 1 FROM neighbourhood_nearby WHERE neighbourhood_id = ?1 AND nearby_id = ?2";
constexpr std::string_view kAdjustMemberCount =
    "UPDATE neighbourhoods SET member_count = member_count + ?2 WHERE id = ?1";

// Memberships and invites. Column order matches read_membership().
constexpr auto kMembershipsOf =
    join(kMembershipColumns, " WHERE m.user_id = ?1 ORDER BY m.joined_at, m.neighbourhood_id");
constexpr auto kGetMembership =
    join(kMembershipColumns, " WHERE m.neighbourhood_id = ?1 AND m.user_id = ?2");
constexpr auto kListMembers = join(kMembershipColumns,
                                   " WHERE m.neighbourhood_id = ?1"
                                   " AND (?2 IS NULL OR m.status = ?2)"
                                   " ORDER BY m.joined_at, m.user_id");
constexpr std::string_view kInsertMembership =
    "INSERT INTO memberships (neighbourhood_id, user_id, role, status, joined_at, verified_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?4 = 'verified' THEN ?5 END)";
constexpr std::string_view kVerifyMember =
    "UPDATE memberships SET status = 'verified', verified_at = ?3"
    " WHERE neighbourhood_id = ?1 AND user_id = ?2 AND status = 'pending'";
constexpr std::string_view kMembershipExists =
    "SELECT 1 FROM memberships WHERE neighbourhood_id = ?1 AND user_id = ?2";
constexpr std::string_view kInsertInvite =
    "INSERT INTO invites (neighbourhood_id, created_by, code_hash, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
// Marks the invite used only when it is usable; 0 rows changed means not.
constexpr std::string_view kUseInvite =
    "UPDATE invites SET used_by = ?1, used_at = ?2"
    " WHERE code_hash = ?3 AND neighbourhood_id = ?4 AND used_at IS NULL"
    " AND expires_at > ?2";

// Posts. Column order matches read_post().
constexpr auto kGetPost = join(kPostColumns, " WHERE p.id = ?1");
constexpr std::string_view kRegionOf = "SELECT region_id FROM neighbourhoods WHERE id = ?1";
constexpr std::string_view kInsertPost =
    "INSERT INTO posts (neighbourhood_id, region_id, author_id, kind, category, title, body,"
    " body_html, visibility, status, created_at, expires_at, updated_at, response_count,"
    " not_for_professionals, professional_organisation)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open', ?10, ?11, ?10, 0, ?12, ?13)"
    " RETURNING id";
// The posts that reach a neighbourhood, as three branches that are each a
// backwards range scan of one index (posts_neighbourhood,
// posts_neighbourhood_visibility per nearby neighbourhood,
// posts_region_visibility), each cut at the page size; the branches cannot
// overlap, so UNION ALL needs no de-duplication. The page's ids are chosen
// from the branches first, so only those rows and their authors are read
// (joining before the cut read up to three pages of rows to keep one: twice
// the CPU at national scale).
// ?1 neighbourhood, ?2 its region, ?3 cursor, ?4 kind, ?5 category,
// ?6 status (NULL: any), ?7 page size, ?8 now (an open post past its expiry
// has the effective status 'expired'), ?9 the reader, ?10 whether the reader
// manages ?1 (hidden posts: docs/moderation.md).
constexpr auto kFeed = join(
    kPostColumns,
    " JOIN ("
    "  SELECT id FROM ("
    "   SELECT id FROM posts"
    "   WHERE neighbourhood_id = ?1 AND id < ?3"
    "   AND (?4 IS NULL OR kind = ?4) AND (?5 IS NULL OR category = ?5)"
    "   AND (?6 IS NULL OR (CASE WHEN status = 'open' AND expires_at <= ?8"
    "    THEN 'expired' ELSE status END) = ?6)"
    "   AND (hidden_at IS NULL OR author_id = ?9 OR ?10)"
    "   ORDER BY id DESC LIMIT ?7)"
    "  UNION ALL"
    "  SELECT id FROM ("
    "   SELECT np.id FROM neighbourhood_nearby nn"
    "   JOIN posts np ON np.neighbourhood_id = nn.nearby_id AND np.visibility = 'nearby'"
    "   WHERE nn.neighbourhood_id = ?1 AND np.id < ?3"
    "   AND (?4 IS NULL OR np.kind = ?4) AND (?5 IS NULL OR np.category = ?5)"
    "   AND (?6 IS NULL OR (CASE WHEN np.status = 'open' AND np.expires_at <= ?8"
    "    THEN 'expired' ELSE np.status END) = ?6)"
    "   AND (np.hidden_at IS NULL OR np.author_id = ?9)"
    "   ORDER BY np.id DESC LIMIT ?7)"
    "  UNION ALL"
    "  SELECT id FROM ("
    "   SELECT id FROM posts"
    "   WHERE region_id = ?2 AND visibility = 'region' AND neighbourhood_id <> ?1"
    "   AND id < ?3"
    "   AND (?4 IS NULL OR kind = ?4) AND (?5 IS NULL OR category = ?5)"
    "   AND (?6 IS NULL OR (CASE WHEN status = 'open' AND expires_at <= ?8"
    "    THEN 'expired' ELSE status END) = ?6)"
    "   AND (hidden_at IS NULL OR author_id = ?9)"
    "   ORDER BY id DESC LIMIT ?7)"
    "  ORDER BY id DESC LIMIT ?7"
    " ) reach ON reach.id = p.id"
    " ORDER BY p.id DESC");
constexpr std::string_view kNearbyIds =
    "SELECT nearby_id FROM neighbourhood_nearby WHERE neighbourhood_id = ?1";
constexpr std::string_view kHasHiddenPosts =
    "SELECT 1 FROM posts WHERE author_id = ?1 AND hidden_at IS NOT NULL LIMIT 1";
constexpr std::string_view kPostStatus = "SELECT status FROM posts WHERE id = ?1";
constexpr std::string_view kPatchPost =
    "UPDATE posts SET title = COALESCE(?2, title), body = COALESCE(?3, body),"
    " body_html = COALESCE(?4, body_html), expires_at = COALESCE(?5, expires_at),"
    " updated_at = ?6, not_for_professionals = COALESCE(?7, not_for_professionals)"
    " WHERE id = ?1";
constexpr std::string_view kSetPostStatus =
    "UPDATE posts SET status = ?2, updated_at = ?3 WHERE id = ?1";

// Responses and exchanges. Column orders match read_response() and
// read_exchange().
constexpr auto kGetResponse = join(kResponseColumns, " WHERE r.id = ?1");
constexpr auto kResponsesFor = join(kResponseColumns, " WHERE r.post_id = ?1 ORDER BY r.id");
constexpr std::string_view kPostForResponse =
    "SELECT neighbourhood_id, status FROM posts WHERE id = ?1";
constexpr std::string_view kInsertResponse =
    "INSERT INTO responses (post_id, neighbourhood_id, responder_id, message, status,"
    " created_at, professional_organisation)"
    " VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6) RETURNING id";
constexpr std::string_view kCountResponse =
    "UPDATE posts SET response_count = response_count + 1 WHERE id = ?1";
constexpr std::string_view kResponseState =
    "SELECT r.status, r.post_id, p.status"
    " FROM responses r JOIN posts p ON p.id = r.post_id WHERE r.id = ?1";
constexpr std::string_view kAcceptResponse =
    "UPDATE responses SET status = 'accepted', accepted_at = ?2 WHERE id = ?1";
constexpr std::string_view kPostForCompletion =
    "SELECT neighbourhood_id, author_id, kind, category, status FROM posts WHERE id = ?1";
constexpr std::string_view kAcceptedResponses =
    "SELECT id, responder_id FROM responses"
    " WHERE post_id = ?1 AND status = 'accepted' ORDER BY id";
constexpr std::string_view kInsertExchange =
    "INSERT INTO exchanges (post_id, neighbourhood_id, response_id, giver_id, receiver_id,"
    " category, hours, thanks, completed_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr auto kExchangesOfPost = join(kExchangeColumns, " WHERE e.post_id = ?1 ORDER BY e.id");
constexpr auto kExchangesOf = join(kExchangeColumns,
                                   " WHERE e.neighbourhood_id = ?1 AND e.id < ?2"
                                   " ORDER BY e.id DESC LIMIT ?3");

// One person's rows, for the export.
constexpr auto kPostsBy = join(kPostColumns, " WHERE p.author_id = ?1 ORDER BY p.id");
constexpr auto kResponsesToPostsBy = join(
    kResponseColumns, " JOIN posts rp ON rp.id = r.post_id WHERE rp.author_id = ?1 ORDER BY r.id");
constexpr auto kResponsesBy = join(kResponseColumns, " WHERE r.responder_id = ?1 ORDER BY r.id");
constexpr auto kExchangesOfUser =
    join(kExchangeColumns, " WHERE e.giver_id = ?1 OR e.receiver_id = ?1 ORDER BY e.id");

// Community health (issue #8): the raw material of the tie figures.
constexpr auto kTieExchanges =
    join(store_rows::kTieExchangeColumns,
         " WHERE e.neighbourhood_id = ?1 AND e.completed_at < ?2 ORDER BY e.completed_at, e.id");
constexpr auto kPostOutcomes =
    join(store_rows::kPostOutcomeColumns,
         " WHERE p.neighbourhood_id = ?1 AND p.created_at >= ?2"
         " AND p.created_at < ?3 ORDER BY p.created_at, p.id");

// Notifications (in-app). Each INSERT ... SELECT runs in the transaction of
// the change it tells about, so the two can't come apart.
constexpr std::string_view kNotifyResponse =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT author_id, 'response', id, ?2, ?3 FROM posts WHERE id = ?1";
constexpr std::string_view kNotifyAccepted =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT r.responder_id, 'accepted', r.post_id, p.author_id, ?2"
    " FROM responses r JOIN posts p ON p.id = r.post_id WHERE r.id = ?1";
constexpr std::string_view kNotifyThanks =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT r.responder_id, 'thanks', r.post_id, p.author_id, ?2"
    " FROM responses r JOIN posts p ON p.id = r.post_id"
    " WHERE r.post_id = ?1 AND r.status = 'accepted'";
constexpr auto kNotificationsOf = join(kNotificationColumns,
                                       " WHERE nt.user_id = ?1 AND nt.id < ?2"
                                       " ORDER BY nt.id DESC LIMIT ?3");
constexpr auto kNotificationsForExport =
    join(kNotificationColumns, " WHERE nt.user_id = ?1 ORDER BY nt.id");
constexpr std::string_view kUnreadNotifications =
    "SELECT COUNT(*) FROM notifications WHERE user_id = ?1 AND read_at IS NULL";
constexpr std::string_view kMarkNotificationRead =
    "UPDATE notifications SET read_at = ?3 WHERE user_id = ?1 AND id = ?2 AND read_at IS NULL";
constexpr std::string_view kMarkNotificationsReadUpTo =
    "UPDATE notifications SET read_at = ?3"
    " WHERE user_id = ?1 AND id <= ?2 AND read_at IS NULL";
constexpr std::string_view kDeleteNotificationsOf = "DELETE FROM notifications WHERE user_id = ?1";

// Follow-ups. The write transaction is IMMEDIATE, so racing processes take
// turns and the second finds the posts expired already.
constexpr std::string_view kExpireDuePosts =
    "UPDATE posts SET status = 'expired', updated_at = ?1"
    " WHERE id IN (SELECT id FROM posts WHERE status = 'open' AND expires_at <= ?1"
    "  ORDER BY expires_at, id LIMIT ?2)"
    " RETURNING id, author_id";
// Claims: the follow_ups primary key lets one racing process win.
constexpr std::string_view kClaimUnanswered =
    "INSERT INTO follow_ups (post_id, kind, done_at)"
    " SELECT id, 'unanswered', ?1 FROM posts"
    " WHERE kind = 'ask' AND status = 'open' AND response_count = 0 AND created_at <= ?2"
    " AND (expires_at IS NULL OR expires_at > ?1)"
    " AND id NOT IN (SELECT post_id FROM follow_ups WHERE kind = 'unanswered')"
    " ORDER BY id LIMIT ?3"
    " ON CONFLICT DO NOTHING RETURNING post_id";
constexpr std::string_view kNotifyConnectors =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT m.user_id, 'unanswered', p.id, p.author_id, ?2 FROM posts p"
    " JOIN memberships m ON m.neighbourhood_id = p.neighbourhood_id AND m.status = 'verified'"
    " AND (m.role = 'manager' OR (m.role = 'resident' AND m.connector_since IS NOT NULL))"
    " AND m.user_id <> p.author_id"
    " WHERE p.id = ?1";
constexpr std::string_view kClaimCheckIn =
    "INSERT INTO follow_ups (post_id, kind, done_at)"
    " SELECT p.id, 'check_in', ?1 FROM posts p"
    " WHERE p.status = 'promised'"
    " AND (SELECT MIN(r.accepted_at) FROM responses r"
    "  WHERE r.post_id = p.id AND r.status = 'accepted') <= ?2"
    " AND p.id NOT IN (SELECT post_id FROM follow_ups WHERE kind = 'check_in')"
    " ORDER BY p.id LIMIT ?3"
    " ON CONFLICT DO NOTHING RETURNING post_id";
constexpr std::string_view kNotifyCheckIn =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT author_id, 'check_in', id, NULL, ?2 FROM posts WHERE id = ?1";
constexpr std::string_view kNotifyExpired =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " VALUES (?1, 'expired', ?2, NULL, ?3)";

// --- rows ------------------------------------------------------------------

// The shared readers (store/row_readers.h) for this backend's rows.
User read_user(const Query& q) { return store_rows::read_user(q); }
Neighbourhood read_neighbourhood(const Query& q) { return store_rows::read_neighbourhood(q); }
Membership read_membership(const Query& q) { return store_rows::read_membership(q); }
Post read_post(const Query& q) { return store_rows::read_post(q); }
PostResponse read_response(const Query& q) { return store_rows::read_response(q); }
Exchange read_exchange(const Query& q) { return store_rows::read_exchange(q); }
TieExchange read_tie_exchange(const Query& q) { return store_rows::read_tie_exchange(q); }
PostOutcome read_post_outcome(const Query& q) { return store_rows::read_post_outcome(q); }
Invite read_invite(const Query& q) { return store_rows::read_invite(q); }
Notification read_notification(const Query& q) { return store_rows::read_notification(q); }
SessionSummary read_session_summary(const Query& q) { return store_rows::read_session_summary(q); }

// The one row `sql` finds for `args`, read by `read_row`, or not_found.
template <typename ReadRow, typename... Args>
auto one_row(Connection& db, std::string_view sql, ReadRow read_row, std::string_view missing,
             const Args&... args) -> Result<decltype(read_row(std::declval<const Query&>()))> {
  auto q = db.query(sql);
  q.bind_all(args...);
  if (!q.step()) return not_found(std::string(missing));
  return read_row(q);
}

// Every row `sql` finds for `args`, read by `read_row`.
template <typename ReadRow, typename... Args>
auto all_rows(Connection& db, std::string_view sql, ReadRow read_row, const Args&... args) {
  std::vector<decltype(read_row(std::declval<const Query&>()))> rows;
  auto q = db.query(sql);
  q.bind_all(args...);
  while (q.step()) rows.push_back(read_row(q));
  return rows;
}

constexpr std::string_view kNoUser = "No such user.";
constexpr std::string_view kNoNeighbourhood = "No such neighbourhood.";
constexpr std::string_view kNoMembership = "No such member.";
constexpr std::string_view kNoPost = "No such post.";
constexpr std::string_view kNoResponse = "No such response.";

// --- geometry --------------------------------------------------------------

struct Box {
  double min_lat = 0;
  double max_lat = 0;
  double min_lon = 0;
  double max_lon = 0;
};

// The smallest latitude/longitude box that holds every point within `km` of
// the centre, so an index range can pre-filter and distance_km() decides.
// The radius is slightly below the one distance_km() uses, which only makes
// the box a little larger than needed, never too small.
Box bounding_box(double lat, double lon, double km) {
  constexpr double kEarthRadiusKm = 6371.0;
  constexpr double kDegrees = 180.0 / std::numbers::pi;
  const double angle = km / kEarthRadiusKm;  // radians of arc
  Box box{lat - angle * kDegrees, lat + angle * kDegrees, -180.0, 180.0};
  if (box.min_lat <= -90.0 || box.max_lat >= 90.0) {
    // A pole is within reach: every longitude is.
    box.min_lat = std::max(box.min_lat, -90.0);
    box.max_lat = std::min(box.max_lat, 90.0);
    return box;
  }
  // The widest longitude difference on a circle of this radius.
  const double half_width =
      std::asin(std::sin(angle) / std::cos(lat / kDegrees)) * kDegrees;
  if (lon - half_width >= -180.0 && lon + half_width <= 180.0) {
    box.min_lon = lon - half_width;
    box.max_lon = lon + half_width;
  }
  // Else the circle crosses the antimeridian; all longitudes is simplest.
  return box;
}

// A LIKE pattern matching `text` anywhere, with LIKE's wildcards in the
// user's text taken literally (escaped with a backslash).
std::string contains_pattern(std::string_view text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

// --- shared steps of write transactions --------------------------------------

RegionId find_or_create_region(Connection& db, const std::string& name) {
  {
    auto q = db.query(kFindRegion);
    q.bind_all(name);
    if (q.step()) return q.id<RegionId>(0);
  }
  auto q = db.query(kInsertRegion);
  q.bind_all(name);
  return RegionId{returning_id(q)};
}

// Inserts the membership and keeps the neighbourhood's member_count in the
// same transaction.
void insert_membership(Connection& db, const NewMembership& m) {
  db.query(kInsertMembership)
      .bind_all(m.neighbourhood_id, m.user_id, m.role, m.status, m.joined_at)
      .run();
  if (m.status == MemberStatus::verified)
    db.query(kAdjustMemberCount).bind_all(m.neighbourhood_id, 1).run();
}

Result<Membership> membership(Connection& db, NeighbourhoodId n, UserId user) {
  return one_row(db, kGetMembership, read_membership, kNoMembership, n, user);
}

Result<Post> post(Connection& db, PostId id) {
  return one_row(db, kGetPost, read_post, kNoPost, id);
}

std::optional<PostStatus> post_status(Connection& db, PostId id) {
  auto q = db.query(kPostStatus);
  q.bind_all(id);
  if (!q.step()) return std::nullopt;
  return q.enum_value(0, parse_post_status);
}

}  // namespace

// --- lifecycle -----------------------------------------------------------------

std::int64_t sqlite_heap_bytes() { return sqlite3_memory_used(); }

// What a signed-in request reads on nearly every call (read_memo.h): its
// session (until any write but a touch), and for feeds its membership and
// whether it wrote a hidden post (until a write that may change a feed).
struct SqliteStore::Memos {
  struct IdHash {
    template <typename Tag>
    std::size_t operator()(Id<Tag> id) const {
      return std::hash<std::int64_t>{}(id.value);
    }
  };
  struct MemberKeyHash {
    std::size_t operator()(const std::pair<NeighbourhoodId, UserId>& k) const {
      return std::hash<std::int64_t>{}(k.first.value * 1000003 ^ k.second.value);
    }
  };
  explicit Memos(std::size_t capacity)
      : sessions(capacity),
        memberships(capacity),
        hidden_authors(capacity),
        feed_sources(capacity) {}
  sqlite::GenerationMemo<std::string, SessionRecord, sqlite::StringHash> sessions;
  // nullopt: not a member (as kept as a membership: both are answers).
  sqlite::GenerationMemo<std::pair<NeighbourhoodId, UserId>, std::optional<Membership>,
                         MemberKeyHash>
      memberships;
  sqlite::GenerationMemo<UserId, bool, IdHash> hidden_authors;
  // For feed_generation: a neighbourhood's nearby set.
  // Shared, so a lookup copies a pointer and not the list.
  sqlite::GenerationMemo<NeighbourhoodId, std::shared_ptr<const std::vector<NeighbourhoodId>>,
                         IdHash>
      feed_sources;
};

SqliteStore::SqliteStore(SqliteOptions options)
    : options_(std::move(options)),
      pool_(std::make_unique<sqlite::ConnectionPool>(sqlite::PoolOptions{
          options_.path, options_.read_connections, options_.busy_timeout})),
      memos_(std::make_unique<Memos>(options_.memo_entries)) {}

SqliteStore::~SqliteStore() = default;

int SqliteStore::migrate() {
  return pool_->with_writer([&](Connection& db) {
    try {
      return sqlite::apply_migrations(db);
    } catch (const DbError& e) {
      throw std::runtime_error(
          fmt::format("sqlite: migrating {} failed: {}", options_.path, e.what()));
    }
  });
}

int SqliteStore::schema_version() {
  return pool_->with_writer([&](Connection& db) {
    try {
      return sqlite::applied_schema_version(db);
    } catch (const DbError& e) {
      throw std::runtime_error(
          fmt::format("sqlite: reading the schema version of {} failed: {}", options_.path,
                      e.what()));
    }
  });
}

std::optional<std::uint64_t> SqliteStore::write_generation() const {
  return pool_->write_generation();
}

Result<std::optional<std::uint64_t>> SqliteStore::feed_generation(NeighbourhoodId n) {
  // The neighbourhoods whose new posts can reach n's feed: n (every post)
  // and its nearby set (their nearby posts), a set that only a write that
  // moves write_generation changes.
  const std::uint64_t generation = pool_->write_generation();
  auto sources = memos_->feed_sources.find(n, generation);
  if (!sources) {
    auto nearby = run_read(*pool_, options_.on_operation, "feed_sources",
                           [&](Connection& db) -> Result<std::vector<NeighbourhoodId>> {
                             return all_rows(
                                 db, kNearbyIds,
                                 [](const Query& q) { return q.id<NeighbourhoodId>(0); }, n);
                           });
    if (!nearby) return fail(nearby.error());
    sources = std::make_shared<const std::vector<NeighbourhoodId>>(std::move(*nearby));
    memos_->feed_sources.put(n, generation, *sources);
  }
  // Each term only grows, so the sum changes whenever one of them does.
  std::uint64_t sum = generation + pool_->neighbourhood_generation(n.value, false);
  for (const NeighbourhoodId source : **sources)
    sum += pool_->neighbourhood_generation(source.value, true);
  return sum;
}

Status SqliteStore::ping() {
  return run_read(*pool_, options_.on_operation, __func__, [](Connection& db) -> Status {
    db.query("SELECT 1").run();
    return {};
  });
}

// --- users and sessions ------------------------------------------------------

Result<User> SqliteStore::create_user(const NewUser& user) {
  auto created = run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<User> {
    auto q = db.query(kInsertUser);
    q.bind_all(user.email, user.display_name, user.locale, user.password_hash, user.created_at);
    return User{
        .id = UserId{returning_id(q)},
        .email = user.email,
        .display_name = user.display_name,
        .locale = user.locale,
        .created_at = user.created_at,
    };
  });
  // The email is the only unique key a new user can collide on.
  if (!created && created.error().code == ErrorCode::conflict)
    return fail(ErrorCode::email_taken, "This email address is registered already.");
  return created;
}

Result<User> SqliteStore::get_user(UserId id) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetUser, read_user, kNoUser, id);
  });
}

Result<UserCredentials> SqliteStore::find_credentials(std::string_view email) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(
        db, kFindCredentials,
        [](const Query& q) { return UserCredentials{q.id<UserId>(0), q.text(1)}; }, kNoUser,
        email);
  });
}

Status SqliteStore::create_session(const NewSession& session) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kInsertSession)
        .bind_all(session.token_hash, session.user_id, session.created_at, session.expires_at)
        .run();
    return {};
  }, Generation::left);
}

Result<SessionRecord> SqliteStore::find_session(std::string_view token_hash, TimePoint now) {
  // Any write but a touch may have ended it (a logout, an erasure).
  const std::uint64_t generation = pool_->any_write_generation();
  if (auto kept = memos_->sessions.find(token_hash, generation)) {
    if (kept->expires_at > now) return *kept;
    return not_found("No such session.");
  }
  auto session = run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(
        db, kFindSession,
        [](const Query& q) {
          return SessionRecord{q.id<UserId>(0), q.time(1), q.time(2), q.time(3)};
        },
        "No such session.", token_hash, now);
  });
  if (session) memos_->sessions.put(std::string(token_hash), generation, *session);
  return session;
}

Status SqliteStore::touch_session(std::string_view token_hash, TimePoint at) {
  auto touched = run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kTouchSession).bind_all(token_hash, at).run();
    return {};
  }, Generation::none);
  // The only change a touch makes, made to the kept copy too (the memo
  // would otherwise have the service touch it again on every request).
  if (touched)
    memos_->sessions.update(token_hash, [at](SessionRecord& kept) {
      kept.last_seen_at = std::max(kept.last_seen_at, at);
    });
  return touched;
}

Status SqliteStore::delete_session(std::string_view token_hash) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kDeleteSession).bind_all(token_hash).run();
    return {};
  }, Generation::left);
}

Status SqliteStore::delete_sessions_of(UserId user, std::string_view keep) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kDeleteSessionsOf).bind_all(user, keep).run();
    return {};
  }, Generation::left);
}

Result<UserCredentials> SqliteStore::credentials_of(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(
        db, kCredentialsOf,
        [](const Query& q) { return UserCredentials{q.id<UserId>(0), q.text(1)}; }, kNoUser,
        user);
  });
}

Status SqliteStore::set_password(UserId user, std::string_view password_hash,
                                 std::string_view keep) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kSetPassword).bind_all(user, password_hash).run();
    if (db.changes() == 0) return not_found(std::string(kNoUser));
    db.query(kDeleteSessionsOf).bind_all(user, keep).run();
    return {};
  });
}

// --- export and erasure ------------------------------------------------------

Result<UserExport> SqliteStore::export_user(UserId user, TimePoint now) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<UserExport> {
    auto found = one_row(db, kGetUser, read_user, kNoUser, user);
    if (!found) return fail(found.error());
    return UserExport{
        .user = std::move(*found),
        .memberships = all_rows(db, kMembershipsOf, read_membership, user),
        .posts = all_rows(db, kPostsBy, read_post, user),
        .responses_to_posts = all_rows(db, kResponsesToPostsBy, read_response, user),
        .responses = all_rows(db, kResponsesBy, read_response, user),
        .exchanges = all_rows(db, kExchangesOfUser, read_exchange, user),
        .invites = all_rows(db, kInvitesBy, read_invite, user),
        .sessions = all_rows(db, kSessionsOf, read_session_summary, user, now),
        .notifications = all_rows(db, kNotificationsForExport, read_notification, user),
    };
  });
}

Status SqliteStore::erase_user(UserId user, TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kTombstoneUser).bind_all(user, at).run();
    if (db.changes() == 0) return not_found(std::string(kNoUser));
    db.query(kDeleteSessionsOf).bind_all(user, std::string_view{}).run();
    const auto counted = all_rows(db, kVerifiedNeighbourhoodsOf, [](const Query& q) {
      return q.id<NeighbourhoodId>(0);
    }, user);
    for (const NeighbourhoodId n : counted) db.query(kAdjustMemberCount).bind_all(n, -1).run();
    db.query(kDeleteMembershipsOf).bind_all(user).run();
    db.query(kDeleteUnusedInvitesOf).bind_all(user).run();
    db.query(kDeleteNotificationsOf).bind_all(user).run();
    db.query(kCloseOpenPostsOf).bind_all(user, at).run();
    db.query(kDeleteProfileOf).bind_all(user).run();
    db.query(kLogEndOfAccessOf).bind_all(user, at).run();
    db.query(kEndAccessOf).bind_all(user, at).run();
    return {};
  });
}

// --- neighbourhoods ------------------------------------------------------------

Result<Neighbourhood> SqliteStore::create_neighbourhood(const NewNeighbourhood& n,
                                                        double nearby_km) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Neighbourhood> {
    const RegionId region = find_or_create_region(db, n.region_name);
    NeighbourhoodId id;
    {
      auto q = db.query(kInsertNeighbourhood);
      q.bind_all(n.name, region, n.lat, n.lon, n.created_at);
      id = NeighbourhoodId{returning_id(q)};
    }

    std::vector<NeighbourhoodId> nearby;
    if (std::isfinite(nearby_km) && nearby_km > 0) {
      const Box box = bounding_box(n.lat, n.lon, nearby_km);
      auto q = db.query(kNeighbourhoodsInBox);
      q.bind_all(box.min_lat, box.max_lat, box.min_lon, box.max_lon, id);
      while (q.step()) {
        if (distance_km(n.lat, n.lon, q.real(1), q.real(2)) <= nearby_km)
          nearby.push_back(q.id<NeighbourhoodId>(0));
      }
    }
    for (const NeighbourhoodId other : nearby) {
      db.query(kInsertNearby).bind_all(id, other).run();
      db.query(kInsertNearby).bind_all(other, id).run();
    }

    insert_membership(db, NewMembership{
                              .neighbourhood_id = id,
                              .user_id = n.founder,
                              .role = Role::manager,
                              .status = MemberStatus::verified,
                              .joined_at = n.created_at,
                          });
    return one_row(db, kGetNeighbourhood, read_neighbourhood, kNoNeighbourhood, id);
  });
}

Result<Neighbourhood> SqliteStore::get_neighbourhood(NeighbourhoodId id) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetNeighbourhood, read_neighbourhood, kNoNeighbourhood, id);
  });
}

Result<std::vector<Neighbourhood>> SqliteStore::search_neighbourhoods(
    const NeighbourhoodSearch& search) {
  if (search.limit <= 0) return std::vector<Neighbourhood>{};
  std::optional<std::string> pattern;
  if (search.name_contains) pattern = contains_pattern(*search.name_contains);

  if (!search.near) {
    return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<std::vector<Neighbourhood>> {
      return all_rows(db, kSearchByName, read_neighbourhood, pattern, search.limit);
    });
  }

  const auto& near = *search.near;
  if (!std::isfinite(near.within_km) || near.within_km < 0) return std::vector<Neighbourhood>{};
  const Box box = bounding_box(near.lat, near.lon, near.within_km);
  auto found =
      run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<std::vector<Neighbourhood>> {
        return all_rows(db, kSearchInBox, read_neighbourhood, box.min_lat, box.max_lat,
                        box.min_lon, box.max_lon, pattern);
      });
  if (!found) return found;

  // The box holds its corners too; the exact distance decides and orders.
  std::vector<std::pair<double, Neighbourhood>> by_distance;
  for (auto& n : *found) {
    const double km = distance_km(near.lat, near.lon, n.lat, n.lon);
    if (km <= near.within_km) by_distance.emplace_back(km, std::move(n));
  }
  std::ranges::sort(by_distance, [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
  });
  std::vector<Neighbourhood> nearest;
  const auto count = std::min(by_distance.size(), static_cast<std::size_t>(search.limit));
  nearest.reserve(count);
  for (std::size_t i = 0; i < count; ++i) nearest.push_back(std::move(by_distance[i].second));
  return nearest;
}

Result<bool> SqliteStore::are_nearby(NeighbourhoodId a, NeighbourhoodId b) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<bool> {
    auto q = db.query(kAreNearby);
    q.bind_all(a, b);
    return q.step();
  });
}

// --- membership ------------------------------------------------------------------

Result<std::vector<Membership>> SqliteStore::memberships_of(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<std::vector<Membership>> {
    return all_rows(db, kMembershipsOf, read_membership, user);
  });
}

Result<Membership> SqliteStore::get_membership(NeighbourhoodId n, UserId user) {
  const std::uint64_t generation = pool_->write_generation();
  const std::pair key{n, user};
  if (auto kept = memos_->memberships.find(key, generation)) {
    if (*kept) return **kept;
    return not_found(std::string(kNoMembership));
  }
  auto member = run_read(*pool_, options_.on_operation, __func__,
                         [&](Connection& db) { return membership(db, n, user); });
  if (member)
    memos_->memberships.put(key, generation, *member);
  else if (member.error().code == ErrorCode::not_found)
    memos_->memberships.put(key, generation, std::nullopt);
  return member;
}

Result<std::vector<Membership>> SqliteStore::list_members(NeighbourhoodId n,
                                                          std::optional<MemberStatus> status) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<std::vector<Membership>> {
    return all_rows(db, kListMembers, read_membership, n, status);
  });
}

Result<Membership> SqliteStore::add_member(const NewMembership& m) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    insert_membership(db, m);
    return membership(db, m.neighbourhood_id, m.user_id);
  });
}

Result<Membership> SqliteStore::add_member_with_invite(const NewMembership& m,
                                                       std::string_view code_hash) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Membership> {
    db.query(kUseInvite).bind_all(m.user_id, m.joined_at, code_hash, m.neighbourhood_id).run();
    if (db.changes() == 0) return not_found("This invite is not valid.");
    // An invite from a verified member is the verification.
    NewMembership verified = m;
    verified.status = MemberStatus::verified;
    insert_membership(db, verified);
    return membership(db, m.neighbourhood_id, m.user_id);
  });
}

Result<Membership> SqliteStore::verify_member(NeighbourhoodId n, UserId user, TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Membership> {
    db.query(kVerifyMember).bind_all(n, user, at).run();
    if (db.changes() == 0) {
      auto exists = db.query(kMembershipExists);
      exists.bind_all(n, user);
      if (!exists.step()) return not_found(std::string(kNoMembership));
      return conflict("This member is not waiting for verification.");
    }
    db.query(kAdjustMemberCount).bind_all(n, 1).run();
    return membership(db, n, user);
  });
}

Result<Invite> SqliteStore::create_invite(const NewInvite& invite) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Invite> {
    auto q = db.query(kInsertInvite);
    q.bind_all(invite.neighbourhood_id, invite.created_by, invite.code_hash, invite.created_at,
               invite.expires_at);
    return Invite{
        .id = InviteId{returning_id(q)},
        .neighbourhood_id = invite.neighbourhood_id,
        .created_by = invite.created_by,
        .created_at = invite.created_at,
        .expires_at = invite.expires_at,
    };
  });
}

// --- posts -----------------------------------------------------------------------

Result<Post> SqliteStore::create_post(const NewPost& p) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Post> {
    RegionId region;
    {
      auto q = db.query(kRegionOf);
      q.bind_all(p.neighbourhood_id);
      if (!q.step()) return not_found(std::string(kNoNeighbourhood));
      region = q.id<RegionId>(0);
    }
    auto q = db.query(kInsertPost);
    q.bind_all(p.neighbourhood_id, region, p.author_id, p.kind, p.category, p.title, p.body,
               p.body_html, p.visibility, p.created_at, p.expires_at, p.not_for_professionals,
               p.professional_organisation);
    const PostId id{returning_id(q)};
    return post(db, id);
  }, p.visibility == Visibility::region ? Generation::moves
                                         : Generation::new_post_in(p.neighbourhood_id, p.visibility));
}

Result<Post> SqliteStore::get_post(PostId id) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) { return post(db, id); });
}

Result<std::vector<Post>> SqliteStore::feed(const FeedQuery& q) {
  if (q.limit <= 0) return std::vector<Post>{};
  const PostId before = q.before.value_or(PostId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<std::vector<Post>> {
    RegionId region;
    {
      auto r = db.query(kRegionOf);
      r.bind_all(q.neighbourhood_id);
      if (!r.step()) return not_found(std::string(kNoNeighbourhood));
      region = r.id<RegionId>(0);
    }
    return all_rows(db, kFeed, read_post, q.neighbourhood_id, region, before, q.kind,
                    q.category, q.status, q.limit, q.now, q.reader, q.reader_manages);
  });
}

Result<bool> SqliteStore::has_hidden_posts(UserId author) {
  const std::uint64_t generation = pool_->write_generation();
  if (auto kept = memos_->hidden_authors.find(author, generation)) return *kept;
  auto hidden = run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<bool> {
    auto q = db.query(kHasHiddenPosts);
    q.bind_all(author);
    return q.step();
  });
  if (hidden) memos_->hidden_authors.put(author, generation, *hidden);
  return hidden;
}

Result<Post> SqliteStore::update_post(PostId id, const PostPatch& patch,
                                      std::vector<PostStatus> allowed_from) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Post> {
    const auto status = post_status(db, id);
    if (!status) return not_found(std::string(kNoPost));
    if (!contains(allowed_from, *status)) return conflict("This post can no longer be changed.");
    db.query(kPatchPost)
        .bind_all(id, patch.title, patch.body, patch.body_html, patch.expires_at,
                  patch.updated_at, patch.not_for_professionals)
        .run();
    return post(db, id);
  });
}

Result<Post> SqliteStore::set_post_status(PostId id, std::vector<PostStatus> allowed_from,
                                          PostStatus to, TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Post> {
    const auto status = post_status(db, id);
    if (!status) return not_found(std::string(kNoPost));
    if (!contains(allowed_from, *status))
      return conflict("The post's status does not allow this change.");
    db.query(kSetPostStatus).bind_all(id, to, at).run();
    return post(db, id);
  });
}

// --- responses and exchanges -----------------------------------------------------

Result<PostResponse> SqliteStore::create_response(const NewResponse& r) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<PostResponse> {
    NeighbourhoodId neighbourhood;
    {
      auto q = db.query(kPostForResponse);
      q.bind_all(r.post_id);
      if (!q.step()) return not_found(std::string(kNoPost));
      neighbourhood = q.id<NeighbourhoodId>(0);
      const PostStatus status = q.enum_value(1, parse_post_status);
      if (status != PostStatus::open && status != PostStatus::promised)
        return conflict("This post takes no more responses.");
    }
    ResponseId id;
    {
      auto q = db.query(kInsertResponse);
      q.bind_all(r.post_id, neighbourhood, r.responder_id, r.message, r.created_at,
                 r.professional_organisation);
      id = ResponseId{returning_id(q)};
    }
    db.query(kCountResponse).bind_all(r.post_id).run();
    db.query(kNotifyResponse).bind_all(r.post_id, r.responder_id, r.created_at).run();
    return one_row(db, kGetResponse, read_response, kNoResponse, id);
  });
}

Result<PostResponse> SqliteStore::get_response(ResponseId id) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetResponse, read_response, kNoResponse, id);
  });
}

Result<std::vector<PostResponse>> SqliteStore::responses_for(PostId post_id) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<std::vector<PostResponse>> {
    return all_rows(db, kResponsesFor, read_response, post_id);
  });
}

Result<PostResponse> SqliteStore::accept_response(ResponseId id, TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<PostResponse> {
    PostId post_id;
    {
      auto q = db.query(kResponseState);
      q.bind_all(id);
      if (!q.step()) return not_found(std::string(kNoResponse));
      if (q.enum_value(0, parse_response_status) != ResponseStatus::pending)
        return conflict("This response was accepted already.");
      post_id = q.id<PostId>(1);
      const PostStatus status = q.enum_value(2, parse_post_status);
      if (status != PostStatus::open && status != PostStatus::promised)
        return conflict("This post takes no more responses.");
    }
    db.query(kAcceptResponse).bind_all(id, at).run();
    db.query(kSetPostStatus).bind_all(post_id, PostStatus::promised, at).run();
    db.query(kNotifyAccepted).bind_all(id, at).run();
    return one_row(db, kGetResponse, read_response, kNoResponse, id);
  });
}

Result<std::vector<Exchange>> SqliteStore::complete_post(const Completion& c) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<std::vector<Exchange>> {
    NeighbourhoodId neighbourhood;
    UserId author;
    PostKind kind;
    Category category;
    {
      auto q = db.query(kPostForCompletion);
      q.bind_all(c.post_id);
      if (!q.step()) return not_found(std::string(kNoPost));
      if (q.enum_value(4, parse_post_status) != PostStatus::promised)
        return conflict("Only a promised post can be completed.");
      neighbourhood = q.id<NeighbourhoodId>(0);
      author = q.id<UserId>(1);
      kind = q.enum_value(2, parse_post_kind);
      category = q.enum_value(3, parse_category);
    }
    db.query(kSetPostStatus).bind_all(c.post_id, PostStatus::done, c.completed_at).run();

    const auto accepted = all_rows(db, kAcceptedResponses, [](const Query& q) {
      return std::pair{q.id<ResponseId>(0), q.id<UserId>(1)};
    }, c.post_id);
    for (const auto& [response, responder] : accepted) {
      // Whoever answered an ask gave; whoever answered an offer received.
      const bool ask = kind == PostKind::ask;
      const UserId giver = ask ? responder : author;
      const UserId receiver = ask ? author : responder;
      db.query(kInsertExchange)
          .bind_all(c.post_id, neighbourhood, response, giver, receiver, category, c.hours,
                    c.thanks, c.completed_at)
          .run();
    }
    db.query(kNotifyThanks).bind_all(c.post_id, c.completed_at).run();
    return all_rows(db, kExchangesOfPost, read_exchange, c.post_id);
  });
}

Result<std::vector<Exchange>> SqliteStore::exchanges(NeighbourhoodId n,
                                                     std::optional<ExchangeId> before,
                                                     int limit) {
  if (limit <= 0) return std::vector<Exchange>{};
  const ExchangeId cursor = before.value_or(ExchangeId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<std::vector<Exchange>> {
    return all_rows(db, kExchangesOf, read_exchange, n, cursor, limit);
  });
}

// --- community health (issue #8) ---------------------------------------------

Result<std::vector<TieExchange>> SqliteStore::tie_exchanges(NeighbourhoodId n, TimePoint until) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<TieExchange>> {
                    return all_rows(db, kTieExchanges, read_tie_exchange, n, until);
                  });
}

Result<std::vector<PostOutcome>> SqliteStore::post_outcomes(NeighbourhoodId n, TimePoint from,
                                                            TimePoint until) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<PostOutcome>> {
                    return all_rows(db, kPostOutcomes, read_post_outcome, n, from, until);
                  });
}

// --- professionals (issue 7) --------------------------------------------------

namespace {

constexpr std::string_view kUserLive = "SELECT 1 FROM users WHERE id = ?1 AND deleted_at IS NULL";
constexpr auto kGetProfile = join(kProfileColumns, " WHERE user_id = ?1");
constexpr std::string_view kPutProfile =
    "INSERT INTO professional_profiles (user_id, organisation, function, description,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
    " ON CONFLICT (user_id) DO UPDATE SET organisation = excluded.organisation,"
    " function = excluded.function, description = excluded.description,"
    " updated_at = excluded.updated_at";
constexpr std::string_view kNeighbourhoodExists = "SELECT 1 FROM neighbourhoods WHERE id = ?1";
constexpr auto kGetSettings = join(kSettingsColumns, " WHERE neighbourhood_id = ?1");
constexpr std::string_view kPutSettings =
    "INSERT INTO professional_settings (neighbourhood_id, admission, objection_days,"
    " objection_count, vote_quorum, vote_majority_percent, scope, access_months, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT (neighbourhood_id) DO UPDATE SET admission = excluded.admission,"
    " objection_days = excluded.objection_days, objection_count = excluded.objection_count,"
    " vote_quorum = excluded.vote_quorum,"
    " vote_majority_percent = excluded.vote_majority_percent, scope = excluded.scope,"
    " access_months = excluded.access_months, updated_at = excluded.updated_at";
constexpr auto kGetAccess =
    join(kAccessColumns, " WHERE a.neighbourhood_id = ?1 AND a.user_id = ?2");
constexpr auto kAccessIn =
    join(kAccessColumns, " WHERE a.neighbourhood_id = ?1 ORDER BY a.requested_at, a.user_id");
constexpr auto kAccessOf =
    join(kAccessColumns, " WHERE a.user_id = ?1 ORDER BY a.requested_at, a.neighbourhood_id");
constexpr std::string_view kAccessState =
    "SELECT status, expires_at, buddy_id, (SELECT count(*) FROM professional_objections o"
    "  WHERE o.neighbourhood_id = ?1 AND o.professional_id = ?2), renewal_requested_at"
    " FROM professional_access"
    " WHERE neighbourhood_id = ?1 AND user_id = ?2";
constexpr std::string_view kClearObjections =
    "DELETE FROM professional_objections WHERE neighbourhood_id = ?1 AND professional_id = ?2";
constexpr std::string_view kClearVotes =
    "DELETE FROM professional_votes WHERE neighbourhood_id = ?1 AND professional_id = ?2";
constexpr std::string_view kPutVote =
    "INSERT INTO professional_votes (neighbourhood_id, professional_id, resident_id, in_favour,"
    " voted_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (neighbourhood_id, professional_id,"
    " resident_id) DO UPDATE SET in_favour = excluded.in_favour, voted_at = excluded.voted_at";
constexpr std::string_view kInsertObjection =
    "INSERT INTO professional_objections (neighbourhood_id, professional_id, resident_id,"
    " reason, objected_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";
constexpr std::string_view kPutRequest =
    "INSERT INTO professional_access (neighbourhood_id, user_id, purpose, status, requested_at,"
    " updated_at) VALUES (?1, ?2, ?3, 'requested', ?4, ?4)"
    " ON CONFLICT (neighbourhood_id, user_id) DO UPDATE SET purpose = excluded.purpose,"
    " status = 'requested', requested_at = excluded.requested_at, decided_at = NULL,"
    " decided_by = NULL, buddy_id = NULL, active_since = NULL, expires_at = NULL,"
    " renewal_requested_at = NULL, updated_at = excluded.updated_at";
constexpr std::string_view kTransitionAccess =
    "UPDATE professional_access SET status = ?3, updated_at = ?4,"
    " decided_by = COALESCE(?5, decided_by),"
    " decided_at = CASE WHEN ?5 IS NULL AND ?9 = 0 THEN decided_at ELSE ?4 END,"
    " buddy_id = COALESCE(?6, buddy_id), active_since = COALESCE(?7, active_since),"
    " expires_at = COALESCE(?8, expires_at),"
    " renewal_requested_at = CASE WHEN ?10 = 1 THEN NULL ELSE renewal_requested_at END"
    " WHERE neighbourhood_id = ?1 AND user_id = ?2";
// The activity log (docs/professionals.md#the-activity-log). ?1 neighbourhood,
// ?2 professional, ?3 kind, ?4 rule, ?5 actor, ?6 at. The counts standing
// now, the badge now, and the purpose for requests.
constexpr std::string_view kInsertAccessEvent =
    "INSERT INTO professional_events (neighbourhood_id, professional_id, kind, rule, actor_id,"
    " organisation, purpose, objections, votes_in_favour, votes_against, at)"
    " SELECT a.neighbourhood_id, a.user_id, ?3, ?4, ?5,"
    " COALESCE((SELECT organisation FROM professional_profiles WHERE user_id = a.user_id), ''),"
    " CASE WHEN ?3 IN ('requested', 'renewal_requested') THEN a.purpose ELSE '' END,"
    " (SELECT count(*) FROM professional_objections o"
    "  WHERE o.neighbourhood_id = ?1 AND o.professional_id = ?2),"
    " (SELECT count(*) FROM professional_votes v"
    "  WHERE v.neighbourhood_id = ?1 AND v.professional_id = ?2 AND v.in_favour = 1),"
    " (SELECT count(*) FROM professional_votes v"
    "  WHERE v.neighbourhood_id = ?1 AND v.professional_id = ?2 AND v.in_favour = 0),"
    " ?6 FROM professional_access a WHERE a.neighbourhood_id = ?1 AND a.user_id = ?2"
    " RETURNING id";
// Once per lapse: the partial unique index lets one racing reader win.
constexpr std::string_view kInsertLapse =
    "INSERT INTO professional_events (neighbourhood_id, professional_id, kind, organisation, at)"
    " SELECT a.neighbourhood_id, a.user_id, 'lapsed',"
    " COALESCE((SELECT organisation FROM professional_profiles WHERE user_id = a.user_id), ''),"
    " a.expires_at FROM professional_access a WHERE a.neighbourhood_id = ?1 AND a.user_id = ?2"
    " AND a.status = 'active' AND a.expires_at = ?3 AND a.renewal_requested_at IS NULL"
    " ON CONFLICT DO NOTHING RETURNING id";
// Every verified member of the neighbourhood, in one statement however many.
constexpr std::string_view kNotifyMembersOfRequest =
    "INSERT INTO notifications (user_id, kind, event_id, actor_id, created_at)"
    " SELECT m.user_id, 'professional_request', ?2, ?3, ?4 FROM memberships m"
    " WHERE m.neighbourhood_id = ?1 AND m.status = 'verified'";
constexpr std::string_view kNotifyProfessional =
    "INSERT INTO notifications (user_id, kind, event_id, actor_id, created_at)"
    " VALUES (?1, 'professional_access', ?2, ?3, ?4)";
constexpr std::string_view kRequestRenewal =
    "UPDATE professional_access SET renewal_requested_at = ?3, updated_at = ?3"
    " WHERE neighbourhood_id = ?1 AND user_id = ?2";
constexpr auto kEventsIn = join(kAccessEventColumns,
                                " WHERE ev.neighbourhood_id = ?1 AND ev.id < ?2"
                                " ORDER BY ev.id DESC LIMIT ?3");
constexpr auto kActivityIn = join(kActivityColumns,
                                  " WHERE a.neighbourhood_id = ?1"
                                  " ORDER BY a.requested_at, a.user_id");
constexpr auto kOpenedBy =
    join(kOpenedPostColumns, " WHERE v.professional_id = ?1 ORDER BY v.id");
// ?1 neighbourhood, ?2 cursor, ?3 scope ("care,contacts"), ?4 kind,
// ?5 category, ?6 status, ?7 page size, ?8 now. One backwards range scan of
// posts_neighbourhood, filtered as it goes.
constexpr auto kProfessionalFeed = join(
    kPostColumns,
    " WHERE p.neighbourhood_id = ?1 AND p.id < ?2 AND p.not_for_professionals = 0"
    " AND p.hidden_at IS NULL"
    " AND instr(',' || ?3 || ',', ',' || p.category || ',') > 0"
    " AND (?4 IS NULL OR p.kind = ?4) AND (?5 IS NULL OR p.category = ?5)"
    " AND (?6 IS NULL OR (CASE WHEN p.status = 'open' AND p.expires_at <= ?8"
    "  THEN 'expired' ELSE p.status END) = ?6)"
    " ORDER BY p.id DESC LIMIT ?7");
constexpr std::string_view kInsertView =
    "INSERT INTO professional_views (post_id, professional_id, organisation, viewed_at)"
    " VALUES (?1, ?2, ?3, ?4)";
constexpr auto kViewsOf = join(kViewColumns, " WHERE v.post_id = ?1 ORDER BY v.id DESC");

constexpr std::string_view kNoProfile = "No professional profile.";
constexpr std::string_view kNoAccess = "No such professional access.";

ProfessionalProfile read_profile(const Query& q) { return store_rows::read_profile(q); }
ProfessionalSettings read_settings(const Query& q) { return store_rows::read_settings(q); }
ProfessionalAccess read_access(const Query& q) { return store_rows::read_access(q); }
ProfessionalView read_view(const Query& q) { return store_rows::read_view(q); }
AccessEvent read_access_event(const Query& q) { return store_rows::read_access_event(q); }
ProfessionalActivity read_activity(const Query& q) { return store_rows::read_activity(q); }
OpenedPost read_opened_post(const Query& q) { return store_rows::read_opened_post(q); }

// Writes a log entry for the access (n, u) and tells whom it concerns: the
// neighbourhood's verified members of a request, the professional of
// anything else. In the caller's transaction.
void log_access_event(Connection& db, NeighbourhoodId n, UserId u, const NewAccessEvent& e,
                      TimePoint at) {
  std::int64_t event_id = 0;
  {
    auto inserted = db.query(kInsertAccessEvent);
    inserted.bind_all(n, u, to_string(e.kind), e.rule, e.actor, at);
    if (!inserted.step()) return;
    event_id = inserted.int64(0);
  }
  if (e.kind == AccessEventKind::requested || e.kind == AccessEventKind::renewal_requested)
    db.query(kNotifyMembersOfRequest).bind_all(n, event_id, u, at).run();
  else
    db.query(kNotifyProfessional).bind_all(u, event_id, e.actor, at).run();
}

// The lapse of (n, u) at expires_at, once; whether this call wrote it.
bool log_lapse(Connection& db, NeighbourhoodId n, UserId u, TimePoint expires_at) {
  std::int64_t event_id = 0;
  {
    auto inserted = db.query(kInsertLapse);
    inserted.bind_all(n, u, expires_at);
    if (!inserted.step()) return false;
    event_id = inserted.int64(0);
  }
  db.query(kNotifyProfessional).bind_all(u, event_id, std::optional<UserId>{}, expires_at).run();
  return true;
}

}  // namespace

Result<ProfessionalProfile> SqliteStore::put_professional_profile(const ProfessionalProfile& p) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ProfessionalProfile> {
    {
      auto live = db.query(kUserLive);
      live.bind_all(p.user_id);
      if (!live.step()) return not_found(std::string(kNoUser));
    }
    db.query(kPutProfile)
        .bind_all(p.user_id, p.organisation, p.function, p.description, p.updated_at)
        .run();
    return one_row(db, kGetProfile, read_profile, kNoProfile, p.user_id);
  });
}

Result<ProfessionalProfile> SqliteStore::get_professional_profile(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetProfile, read_profile, kNoProfile, user);
  });
}

Status SqliteStore::delete_professional_profile(UserId user) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kDeleteProfileOf).bind_all(user).run();
    if (db.changes() == 0) return not_found(std::string(kNoProfile));
    return {};
  });
}

Result<ProfessionalSettings> SqliteStore::get_professional_settings(NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<ProfessionalSettings> {
    auto found = one_row(db, kGetSettings, read_settings, "", n);
    if (found) return found;
    auto exists = db.query(kNeighbourhoodExists);
    exists.bind_all(n);
    if (!exists.step()) return not_found(std::string(kNoNeighbourhood));
    ProfessionalSettings defaults;
    defaults.neighbourhood_id = n;
    return defaults;
  });
}

Result<ProfessionalSettings> SqliteStore::put_professional_settings(
    const ProfessionalSettings& s) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ProfessionalSettings> {
    db.query(kPutSettings)
        .bind_all(s.neighbourhood_id, s.admission, s.objection_days, s.objection_count,
                  s.vote_quorum, s.vote_majority_percent, store_rows::format_scope(s.scope),
                  s.access_months, s.updated_at.value_or(TimePoint{}))
        .run();
    return one_row(db, kGetSettings, read_settings, kNoNeighbourhood, s.neighbourhood_id);
  });
}

Result<ProfessionalAccess> SqliteStore::request_professional_access(
    const NewProfessionalAccess& r) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ProfessionalAccess> {
    {
      auto state = db.query(kAccessState);
      state.bind_all(r.neighbourhood_id, r.professional);
      if (state.step()) {
        const AccessStatus status = state.enum_value(0, parse_access_status);
        const auto expires = state.optional_time(1);
        const bool lapsed = status == AccessStatus::active && expires &&
                            *expires <= r.requested_at && state.is_null(4);
        if (status != AccessStatus::refused && status != AccessStatus::revoked && !lapsed)
          return conflict("A request or access exists already.");
        if (lapsed) log_lapse(db, r.neighbourhood_id, r.professional, *expires);
      }
    }
    db.query(kPutRequest)
        .bind_all(r.neighbourhood_id, r.professional, r.purpose, r.requested_at)
        .run();
    db.query(kClearObjections).bind_all(r.neighbourhood_id, r.professional).run();
    db.query(kClearVotes).bind_all(r.neighbourhood_id, r.professional).run();
    log_access_event(db, r.neighbourhood_id, r.professional,
                     NewAccessEvent{.kind = AccessEventKind::requested}, r.requested_at);
    return one_row(db, kGetAccess, read_access, kNoAccess, r.neighbourhood_id, r.professional);
  });
}

Result<ProfessionalAccess> SqliteStore::get_professional_access(NeighbourhoodId n, UserId u) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetAccess, read_access, kNoAccess, n, u);
  });
}

Result<std::vector<ProfessionalAccess>> SqliteStore::professional_access_in(NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ProfessionalAccess>> {
    return all_rows(db, kAccessIn, read_access, n);
  });
}

Result<std::vector<ProfessionalAccess>> SqliteStore::professional_access_of(UserId u) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ProfessionalAccess>> {
    return all_rows(db, kAccessOf, read_access, u);
  });
}

Result<ProfessionalAccess> SqliteStore::transition_professional_access(
    NeighbourhoodId n, UserId u, const AccessTransition& t) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ProfessionalAccess> {
    {
      auto state = db.query(kAccessState);
      state.bind_all(n, u);
      if (!state.step()) return not_found(std::string(kNoAccess));
      const AccessStatus status = state.enum_value(0, parse_access_status);
      if (std::ranges::find(t.from, status) == t.from.end())
        return conflict("The access's status does not allow this change.");
      if (t.buddy_must_be_free && !state.is_null(2))
        return conflict("This professional has a buddy already.");
      if (t.objections_below && state.int64(3) >= *t.objections_below)
        return conflict("Too many residents object.");
      if (t.renewal_pending && *t.renewal_pending == state.is_null(4))
        return conflict("The renewal's state does not allow this change.");
    }
    if (t.votes_were) {
      auto now = one_row(db, kGetAccess, read_access, kNoAccess, n, u);
      if (!now) return now;
      if (std::pair(now->votes_in_favour, now->votes_against) != *t.votes_were)
        return conflict("The votes changed.");
    }
    db.query(kTransitionAccess)
        .bind_all(n, u, t.to, t.at, t.decided_by, t.buddy, t.active_since, t.expires_at,
                  std::int64_t{t.decided ? 1 : 0}, std::int64_t{t.end_renewal ? 1 : 0})
        .run();
    if (t.event) log_access_event(db, n, u, *t.event, t.at);
    if (t.clear_objections) db.query(kClearObjections).bind_all(n, u).run();
    if (t.clear_votes) db.query(kClearVotes).bind_all(n, u).run();
    return one_row(db, kGetAccess, read_access, kNoAccess, n, u);
  });
}

Result<int> SqliteStore::object_to_professional(const ProfessionalObjection& o,
                                                const std::vector<AccessStatus>& allowed) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<int> {
    {
      auto state = db.query(kAccessState);
      state.bind_all(o.neighbourhood_id, o.professional);
      if (!state.step()) return not_found(std::string(kNoAccess));
      if (std::ranges::find(allowed, state.enum_value(0, parse_access_status)) == allowed.end())
        return conflict("The access's status does not allow an objection.");
    }
    db.query(kInsertObjection)
        .bind_all(o.neighbourhood_id, o.professional, o.resident, o.reason, o.at)
        .run();
    if (db.changes() == 0) return conflict("You objected already.");
    auto state = db.query(kAccessState);
    state.bind_all(o.neighbourhood_id, o.professional);
    state.step();
    return static_cast<int>(state.int64(3));
  });
}

Result<ProfessionalAccess> SqliteStore::vote_on_professional(const ProfessionalVote& v) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ProfessionalAccess> {
    {
      auto state = db.query(kAccessState);
      state.bind_all(v.neighbourhood_id, v.professional);
      if (!state.step()) return not_found(std::string(kNoAccess));
      const AccessStatus status = state.enum_value(0, parse_access_status);
      const bool renewal = status == AccessStatus::active && !state.is_null(4);
      if (status != AccessStatus::requested && !renewal)
        return conflict("Only a request that waits can be voted on.");
    }
    db.query(kPutVote)
        .bind_all(v.neighbourhood_id, v.professional, v.resident,
                  std::int64_t{v.in_favour ? 1 : 0}, v.at)
        .run();
    return one_row(db, kGetAccess, read_access, kNoAccess, v.neighbourhood_id, v.professional);
  });
}

Result<std::vector<Post>> SqliteStore::professional_feed(const ProfessionalFeedQuery& q) {
  if (q.limit <= 0 || q.scope.empty()) return std::vector<Post>{};
  const PostId before = q.before.value_or(PostId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Post>> {
    return all_rows(db, kProfessionalFeed, read_post, q.neighbourhood_id, before,
                    store_rows::format_scope(q.scope), q.kind, q.category, q.status, q.limit,
                    q.now);
  });
}

Status SqliteStore::record_professional_view(const ProfessionalView& v) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kInsertView).bind_all(v.post_id, v.professional.id, v.organisation, v.viewed_at).run();
    return {};
  }, Generation::left);
}

Result<std::vector<ProfessionalView>> SqliteStore::professional_views_of(PostId post_id) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ProfessionalView>> {
    return all_rows(db, kViewsOf, read_view, post_id);
  });
}

Result<std::vector<AccessEvent>> SqliteStore::professional_events(
    NeighbourhoodId n, std::optional<std::int64_t> before, int limit) {
  if (limit <= 0) return std::vector<AccessEvent>{};
  const std::int64_t cursor = before.value_or(std::numeric_limits<std::int64_t>::max());
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<AccessEvent>> {
    return all_rows(db, kEventsIn, read_access_event, n, cursor, limit);
  });
}

Result<std::vector<ProfessionalActivity>> SqliteStore::professional_activity(NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ProfessionalActivity>> {
    return all_rows(db, kActivityIn, read_activity, n);
  });
}

Result<bool> SqliteStore::record_professional_lapse(NeighbourhoodId n, UserId u,
                                                    TimePoint expires_at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<bool> {
    return log_lapse(db, n, u, expires_at);
  });
}

Result<ProfessionalAccess> SqliteStore::request_professional_renewal(NeighbourhoodId n, UserId u,
                                                                     TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ProfessionalAccess> {
    {
      auto state = db.query(kAccessState);
      state.bind_all(n, u);
      if (!state.step()) return not_found(std::string(kNoAccess));
      const auto expires = state.optional_time(1);
      if (state.enum_value(0, parse_access_status) != AccessStatus::active || !expires ||
          *expires <= at || !state.is_null(4))
        return conflict("Only active access without a renewal waiting can be renewed.");
    }
    db.query(kRequestRenewal).bind_all(n, u, at).run();
    db.query(kClearObjections).bind_all(n, u).run();
    db.query(kClearVotes).bind_all(n, u).run();
    log_access_event(db, n, u, NewAccessEvent{.kind = AccessEventKind::renewal_requested}, at);
    return one_row(db, kGetAccess, read_access, kNoAccess, n, u);
  });
}

Result<std::vector<OpenedPost>> SqliteStore::posts_opened_by(UserId u) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<OpenedPost>> {
    return all_rows(db, kOpenedBy, read_opened_post, u);
  });
}

// --- notifications (in-app) -------------------------------------------------------

Result<std::vector<Notification>> SqliteStore::notifications(UserId user,
                                                             std::optional<NotificationId> before,
                                                             int limit) {
  if (limit <= 0) return std::vector<Notification>{};
  const NotificationId cursor =
      before.value_or(NotificationId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Notification>> {
    return all_rows(db, kNotificationsOf, read_notification, user, cursor, limit);
  });
}

Result<int> SqliteStore::unread_notifications(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<int> {
    auto q = db.query(kUnreadNotifications);
    q.bind_all(user);
    if (!q.step()) return 0;
    return static_cast<int>(q.int64(0));
  });
}

Result<int> SqliteStore::mark_notifications_read(UserId user,
                                                 const std::vector<NotificationId>& ids,
                                                 std::optional<NotificationId> up_to,
                                                 TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<int> {
    int marked = 0;
    if (up_to) {
      db.query(kMarkNotificationsReadUpTo).bind_all(user, *up_to, at).run();
      marked += db.changes();
    }
    for (const NotificationId id : ids) {
      db.query(kMarkNotificationRead).bind_all(user, id, at).run();
      marked += db.changes();
    }
    return marked;
  }, Generation::left);
}

// --- follow-ups (scheduler) ---------------------------------------------------------

Result<std::vector<PostId>> SqliteStore::expire_due_posts(TimePoint now, int limit) {
  if (limit <= 0) return std::vector<PostId>{};
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<std::vector<PostId>> {
    const auto expired = all_rows(db, kExpireDuePosts, [](const Query& q) {
      return std::pair{q.id<PostId>(0), q.id<UserId>(1)};
    }, now, limit);
    std::vector<PostId> ids;
    for (const auto& [post_id, author] : expired) {
      db.query(kNotifyExpired).bind_all(author, post_id, now).run();
      ids.push_back(post_id);
    }
    std::ranges::sort(ids);
    return ids;
  });
}

namespace {

// Claims posts with `claim` (bound: now, due_by, limit) and tells about each
// with `notify` (bound: post, now), in one write transaction.
template <typename Pool, typename Timer>
Result<std::vector<PostId>> claim_and_notify(Pool& pool, const Timer& timer,
                                             std::string_view operation, std::string_view claim,
                                             std::string_view notify, TimePoint now,
                                             TimePoint due_by, int limit) {
  if (limit <= 0) return std::vector<PostId>{};
  return run_write(pool, timer, operation, [&](Connection& db) -> Result<std::vector<PostId>> {
    auto ids = all_rows(db, claim, [](const Query& q) { return q.id<PostId>(0); }, now, due_by,
                        limit);
    for (const PostId id : ids) db.query(notify).bind_all(id, now).run();
    std::ranges::sort(ids);
    return ids;
  }, Generation::left);  // follow_ups and notifications only
}

}  // namespace

Result<std::vector<PostId>> SqliteStore::escalate_unanswered_asks(TimePoint now,
                                                                  TimePoint asked_by, int limit) {
  return claim_and_notify(*pool_, options_.on_operation, __func__, kClaimUnanswered,
                          kNotifyConnectors, now, asked_by, limit);
}

Result<std::vector<PostId>> SqliteStore::check_in_on_promised(TimePoint now,
                                                              TimePoint promised_by, int limit) {
  return claim_and_notify(*pool_, options_.on_operation, __func__, kClaimCheckIn, kNotifyCheckIn,
                          now, promised_by, limit);
}

// --- moderation (issue #8; docs/moderation.md) -------------------------------------
namespace {

constexpr std::string_view kInsertReport =
    "INSERT INTO reports (neighbourhood_id, reporter_id, target_kind, target_id,"
    " target_user_id, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
constexpr auto kGetReport = join(store_rows::kReportColumns, " WHERE r.id = ?1");
constexpr auto kOpenReports = join(store_rows::kReportColumns,
                                   " WHERE r.neighbourhood_id = ?1 AND r.resolved_at IS NULL"
                                   " ORDER BY r.id");
constexpr auto kOpenReport = join(store_rows::kReportColumns,
                                  " WHERE r.id = ?1 AND r.neighbourhood_id = ?2"
                                  " AND r.resolved_at IS NULL");
constexpr std::string_view kHidePost =
    "UPDATE posts SET hidden_at = COALESCE(hidden_at, ?3) WHERE id = ?1 AND neighbourhood_id = ?2";
constexpr std::string_view kHideResponse =
    "UPDATE responses SET hidden_at = COALESCE(hidden_at, ?3)"
    " WHERE id = ?1 AND neighbourhood_id = ?2";
constexpr std::string_view kMemberState =
    "SELECT role, status FROM memberships WHERE neighbourhood_id = ?1 AND user_id = ?2";
constexpr std::string_view kSuspend =
    "UPDATE memberships SET status = 'suspended', connector_since = NULL"
    " WHERE neighbourhood_id = ?1 AND user_id = ?2";
constexpr std::string_view kResolveReports =
    "UPDATE reports SET resolved_at = ?4 WHERE neighbourhood_id = ?1 AND target_kind = ?2"
    " AND target_id = ?3 AND resolved_at IS NULL";
constexpr std::string_view kInsertLogEntry =
    "INSERT INTO moderation_log (neighbourhood_id, moderator_id, action, target_kind, target_id,"
    " target_user_id, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
constexpr auto kGetLogEntry = join(store_rows::kModerationEntryColumns, " WHERE l.id = ?1");
constexpr auto kModerationLog = join(store_rows::kModerationEntryColumns,
                                     " WHERE l.neighbourhood_id = ?1 AND l.id < ?2"
                                     " ORDER BY l.id DESC LIMIT ?3");
constexpr auto kGetHouseRules =
    join(store_rows::kHouseRulesColumns, " WHERE neighbourhood_id = ?1");
constexpr std::string_view kPutHouseRules =
    "INSERT INTO house_rules (neighbourhood_id, markdown, html, updated_by, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (neighbourhood_id) DO UPDATE SET"
    " markdown = excluded.markdown, html = excluded.html, updated_by = excluded.updated_by,"
    " updated_at = excluded.updated_at";

constexpr std::string_view kNoReport = "No such open report.";
constexpr std::string_view kNoLogEntry = "No such moderation entry.";

Report read_report(const Query& q) { return store_rows::read_report(q); }
ModerationEntry read_moderation_entry(const Query& q) {
  return store_rows::read_moderation_entry(q);
}
HouseRules read_house_rules(const Query& q) { return store_rows::read_house_rules(q); }

}  // namespace

Result<Report> SqliteStore::create_report(const NewReport& r) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Report> {
    auto q = db.query(kInsertReport);
    q.bind_all(r.neighbourhood_id, r.reporter, r.target_kind, r.target_id, r.target_user,
               r.reason, r.created_at);
    const ReportId id{returning_id(q)};
    return one_row(db, kGetReport, read_report, kNoReport, id);
  });
}

Result<std::vector<Report>> SqliteStore::open_reports(NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Report>> {
    return all_rows(db, kOpenReports, read_report, n);
  });
}

Result<std::vector<ModerationEntry>> SqliteStore::moderate(const ModerationDecision& d) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<std::vector<ModerationEntry>> {
    // Every report is read before anything changes: two reports about one
    // thing are one target, acted on once.
    std::vector<Report> targets;
    for (ReportId id : d.reports) {
      auto report = one_row(db, kOpenReport, read_report, kNoReport, id, d.neighbourhood_id);
      if (!report) return fail(report.error());
      const bool seen = std::ranges::any_of(targets, [&](const Report& t) {
        return t.target_kind == report->target_kind && t.target_id == report->target_id;
      });
      if (!seen) targets.push_back(std::move(*report));
    }
    std::vector<ModerationEntry> entries;
    for (const Report& t : targets) {
      if (d.action == ModerationAction::hide) {
        if (t.target_kind == ReportTarget::member) return conflict("A member can't be hidden.");
        db.query(t.target_kind == ReportTarget::post ? kHidePost : kHideResponse)
            .bind_all(t.target_id, d.neighbourhood_id, d.at)
            .run();
      } else if (d.action == ModerationAction::suspend) {
        auto m = db.query(kMemberState);
        m.bind_all(d.neighbourhood_id, t.target_user.id);
        if (m.step()) {
          const Role role = m.enum_value(0, parse_role);
          const MemberStatus status = m.enum_value(1, parse_member_status);
          m.run();
          if (role == Role::manager) return conflict("A manager can't be suspended.");
          if (status == MemberStatus::verified)
            db.query(kAdjustMemberCount).bind_all(d.neighbourhood_id, -1).run();
          db.query(kSuspend).bind_all(d.neighbourhood_id, t.target_user.id).run();
        }
      }
      db.query(kResolveReports)
          .bind_all(d.neighbourhood_id, t.target_kind, t.target_id, d.at)
          .run();
      auto insert = db.query(kInsertLogEntry);
      insert.bind_all(d.neighbourhood_id, d.moderator, d.action, t.target_kind, t.target_id,
                      t.target_user.id, d.reason, d.at);
      const ModerationEntryId id{returning_id(insert)};
      auto entry = one_row(db, kGetLogEntry, read_moderation_entry, kNoLogEntry, id);
      if (!entry) return fail(entry.error());
      entries.push_back(std::move(*entry));
    }
    return entries;
  });
}

Result<std::vector<ModerationEntry>> SqliteStore::moderation_log(
    NeighbourhoodId n, std::optional<ModerationEntryId> before, int limit) {
  if (limit <= 0) return std::vector<ModerationEntry>{};
  const ModerationEntryId cursor =
      before.value_or(ModerationEntryId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ModerationEntry>> {
    return all_rows(db, kModerationLog, read_moderation_entry, n, cursor, limit);
  });
}

Result<HouseRules> SqliteStore::get_house_rules(NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<HouseRules> {
    auto rules = one_row(db, kGetHouseRules, read_house_rules, "", n);
    if (rules || rules.error().code != ErrorCode::not_found) return rules;
    auto exists = db.query(kNeighbourhoodExists);
    exists.bind_all(n);
    if (!exists.step()) return not_found(std::string(kNoNeighbourhood));
    return HouseRules{.neighbourhood_id = n};
  });
}

Result<HouseRules> SqliteStore::put_house_rules(const HouseRules& r) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<HouseRules> {
    db.query(kPutHouseRules)
        .bind_all(r.neighbourhood_id, r.markdown, r.html, r.updated_by, r.updated_at)
        .run();
    return one_row(db, kGetHouseRules, read_house_rules, kNoNeighbourhood, r.neighbourhood_id);
  });
}

// --- un-doing moderation, connectors, the dashboard (issue #8) ----------------------
namespace {

constexpr std::string_view kUnhidePost =
    "UPDATE posts SET hidden_at = NULL WHERE id = ?1 AND neighbourhood_id = ?2"
    " AND hidden_at IS NOT NULL RETURNING author_id";
constexpr std::string_view kUnhideResponse =
    "UPDATE responses SET hidden_at = NULL WHERE id = ?1 AND neighbourhood_id = ?2"
    " AND hidden_at IS NOT NULL RETURNING responder_id";
constexpr std::string_view kPostOf =
    "SELECT author_id FROM posts WHERE id = ?1 AND neighbourhood_id = ?2";
constexpr std::string_view kResponseOf =
    "SELECT responder_id FROM responses WHERE id = ?1 AND neighbourhood_id = ?2";
constexpr std::string_view kSuspendedState =
    "SELECT status, CASE WHEN verified_at IS NULL THEN 0 ELSE 1 END FROM memberships"
    " WHERE neighbourhood_id = ?1 AND user_id = ?2";
// Back to verified, or to pending for someone who was never verified.
constexpr std::string_view kLift =
    "UPDATE memberships SET status = CASE WHEN verified_at IS NULL THEN 'pending'"
    " ELSE 'verified' END WHERE neighbourhood_id = ?1 AND user_id = ?2 AND status = 'suspended'";
constexpr auto kReportsBy =
    join(store_rows::kReportColumns, " WHERE r.reporter_id = ?1 ORDER BY r.id");
constexpr auto kLogAbout =
    join(store_rows::kModerationEntryColumns, " WHERE l.target_user_id = ?1 ORDER BY l.id");

constexpr std::string_view kOptIn =
    "UPDATE memberships SET connector_since = COALESCE(connector_since, ?3)"
    " WHERE neighbourhood_id = ?1 AND user_id = ?2 AND role = 'resident' AND status = 'verified'";
constexpr std::string_view kOptOut =
    "UPDATE memberships SET connector_since = NULL"
    " WHERE neighbourhood_id = ?1 AND user_id = ?2 AND role = 'resident' AND status = 'verified'";

// Open asks of ?1 without a response, unexpired at ?2, not hidden.
constexpr char kUnansweredWhere[] =
    " WHERE p.neighbourhood_id = ?1 AND p.kind = 'ask' AND p.status = 'open'"
    " AND p.response_count = 0 AND p.hidden_at IS NULL"
    " AND (p.expires_at IS NULL OR p.expires_at > ?2)";
constexpr auto kUnanswered = join(
    "SELECT p.id, p.kind, p.category, p.title, p.author_id, u.display_name, p.created_at"
    " FROM posts p JOIN users u ON u.id = p.author_id",
    kUnansweredWhere, " ORDER BY p.created_at, p.id LIMIT ?3");
constexpr auto kUnansweredCount = join("SELECT count(*) FROM posts p", kUnansweredWhere);
constexpr auto kPromised = join(
    "SELECT p.id, p.kind, p.category, p.title, p.author_id, u.display_name,"
    " COALESCE((SELECT MIN(r.accepted_at) FROM responses r WHERE r.post_id = p.id"
    "  AND r.status = 'accepted'), p.created_at) AS promised_at"
    " FROM posts p JOIN users u ON u.id = p.author_id"
    " WHERE p.neighbourhood_id = ?1 AND p.status = 'promised' AND p.hidden_at IS NULL"
    " ORDER BY promised_at, p.id LIMIT ?2");
constexpr std::string_view kPromisedCount =
    "SELECT count(*) FROM posts p WHERE p.neighbourhood_id = ?1 AND p.status = 'promised'"
    " AND p.hidden_at IS NULL";
constexpr auto kNewcomers = join(kMembershipColumns,
    " WHERE m.neighbourhood_id = ?1 AND m.status = 'verified'"
    " AND m.role IN ('resident', 'manager') AND m.joined_at >= ?2"
    " ORDER BY m.joined_at DESC, m.user_id LIMIT ?3");
constexpr std::string_view kNewcomersCount =
    "SELECT count(*) FROM memberships m WHERE m.neighbourhood_id = ?1 AND m.status = 'verified'"
    " AND m.role IN ('resident', 'manager') AND m.joined_at >= ?2";
constexpr auto kPendingMembers = join(kMembershipColumns,
    " WHERE m.neighbourhood_id = ?1 AND m.status = 'pending'"
    " ORDER BY m.joined_at, m.user_id LIMIT ?2");
constexpr std::string_view kPendingCount =
    "SELECT count(*) FROM memberships m WHERE m.neighbourhood_id = ?1 AND m.status = 'pending'";
constexpr std::string_view kOpenReportCount =
    "SELECT count(*) FROM reports WHERE neighbourhood_id = ?1 AND resolved_at IS NULL";

WaitingPost read_waiting(const Query& q) {
  return WaitingPost{
      .id = q.id<PostId>(0),
      .kind = q.enum_value(1, parse_post_kind),
      .category = q.enum_value(2, parse_category),
      .title = q.text(3),
      .author = PersonRef{q.id<UserId>(4), q.text(5)},
      .since = q.time(6),
  };
}

template <typename... Args>
std::int64_t count_of(Connection& db, std::string_view sql, const Args&... args) {
  auto q = db.query(sql);
  q.bind_all(args...);
  if (!q.step()) return 0;
  return q.int64(0);
}

}  // namespace

Result<ModerationEntry> SqliteStore::undo_moderation(const ModerationUndo& u) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ModerationEntry> {
    UserId target_user;
    if (u.action == ModerationAction::unhide) {
      if (u.target_kind == ReportTarget::member) return conflict("A member can't be unhidden.");
      const bool post = u.target_kind == ReportTarget::post;
      auto shown = db.query(post ? kUnhidePost : kUnhideResponse);
      shown.bind_all(u.target_id, u.neighbourhood_id);
      if (shown.step()) {
        target_user = shown.id<UserId>(0);
        shown.run();
      } else {
        auto exists = db.query(post ? kPostOf : kResponseOf);
        exists.bind_all(u.target_id, u.neighbourhood_id);
        if (!exists.step()) return not_found(post ? "No such post." : "No such response.");
        return conflict("It is not hidden.");
      }
    } else if (u.action == ModerationAction::lift) {
      if (u.target_kind != ReportTarget::member)
        return conflict("Only a member's suspension can be lifted.");
      const UserId member{u.target_id};
      auto state = db.query(kSuspendedState);
      state.bind_all(u.neighbourhood_id, member);
      if (!state.step()) return not_found(std::string(kNoMembership));
      const MemberStatus status = state.enum_value(0, parse_member_status);
      const bool was_verified = state.int64(1) != 0;
      state.run();
      if (status != MemberStatus::suspended) return conflict("This member is not suspended.");
      db.query(kLift).bind_all(u.neighbourhood_id, member).run();
      if (was_verified) db.query(kAdjustMemberCount).bind_all(u.neighbourhood_id, 1).run();
      target_user = member;
    } else {
      return conflict("Only unhide and lift undo an action.");
    }
    auto insert = db.query(kInsertLogEntry);
    insert.bind_all(u.neighbourhood_id, u.moderator, u.action, u.target_kind, u.target_id,
                    target_user, u.reason, u.at);
    const ModerationEntryId id{returning_id(insert)};
    return one_row(db, kGetLogEntry, read_moderation_entry, kNoLogEntry, id);
  });
}

Result<ModerationExport> SqliteStore::export_moderation(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<ModerationExport> {
    return ModerationExport{all_rows(db, kReportsBy, read_report, user),
                            all_rows(db, kLogAbout, read_moderation_entry, user)};
  });
}

Result<Membership> SqliteStore::set_connector(NeighbourhoodId n, UserId user,
                                              std::optional<TimePoint> since) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<Membership> {
    if (since) db.query(kOptIn).bind_all(n, user, *since).run();
    else db.query(kOptOut).bind_all(n, user).run();
    if (db.changes() == 0) {
      auto exists = db.query(kMembershipExists);
      exists.bind_all(n, user);
      if (!exists.step()) return not_found(std::string(kNoMembership));
      return conflict("Only a verified resident opts in or out as a connector.");
    }
    return membership(db, n, user);
  });
}

Result<DashboardData> SqliteStore::dashboard(const DashboardQuery& q) {
  if (q.limit <= 0) return DashboardData{};
  const NeighbourhoodId n = q.neighbourhood_id;
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<DashboardData> {
    DashboardData d;
    d.unanswered = all_rows(db, kUnanswered, read_waiting, n, q.now, q.limit);
    d.unanswered_total = count_of(db, kUnansweredCount, n, q.now);
    d.promised = all_rows(db, kPromised, read_waiting, n, q.limit);
    d.promised_total = count_of(db, kPromisedCount, n);
    d.newcomers = all_rows(db, kNewcomers, read_membership, n, q.joined_since, q.limit);
    d.newcomers_total = count_of(db, kNewcomersCount, n, q.joined_since);
    d.pending = all_rows(db, kPendingMembers, read_membership, n, q.limit);
    d.pending_total = count_of(db, kPendingCount, n);
    d.open_reports = count_of(db, kOpenReportCount, n);
    return d;
  });
}

}  // namespace noaber
