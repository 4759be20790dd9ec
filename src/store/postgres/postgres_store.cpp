#include "store/postgres/postgres_store.h"

#include "store/row_readers.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/geo.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_db.h"

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

using postgres::Connection;
using postgres::ConnectionPool;
using postgres::DbError;
using postgres::Row;
using postgres::Rows;
using postgres::Transaction;

// --- failures --------------------------------------------------------------

// The unique index whose violation means "email taken" (0001_init.sql).
constexpr std::string_view kUsersEmailIndex = "users_email";

bool retryable(const DbError& e) {
  // serialization_failure, deadlock_detected: the transaction lost a race
  // and left nothing behind; running it again is safe.
  return e.sqlstate() == "40001" || e.sqlstate() == "40P01";
}

bool unavailable(const DbError& e) {
  const std::string& state = e.sqlstate();
  // Connection exceptions (08...), too many connections (53300), the server
  // shutting down or starting (57P01-57P03).
  return e.connection_lost() || state.starts_with("08") || state == "53300" ||
         state == "57P01" || state == "57P02" || state == "57P03";
}

// The one place where a database failure becomes an Error. The client sees
// a generic message; what PostgreSQL said goes to the log.
Error translate(const DbError& e, std::string_view operation) {
  const std::string& state = e.sqlstate();
  if (state == "23505") {
    spdlog::debug("postgres: {}: {} ({})", operation, e.what(), e.constraint());
    if (e.constraint() == kUsersEmailIndex)
      return Error{ErrorCode::email_taken, "This email address is registered already.", {}, 0};
    return Error{ErrorCode::conflict, "This conflicts with data that exists already.", {}, 0};
  }
  if (state == "23503") {
    // A new row names a user, neighbourhood or post that does not exist.
    spdlog::debug("postgres: {}: {} ({})", operation, e.what(), e.constraint());
    return Error{ErrorCode::not_found, "Something this refers to does not exist.", {}, 0};
  }
  if (unavailable(e)) {
    spdlog::warn("postgres: {}: database unavailable ({}): {}", operation, state, e.what());
    return Error{ErrorCode::unavailable, "The database is not available. Please try again.",
                 {}, 0};
  }
  if (retryable(e)) {
    spdlog::warn("postgres: {}: gave up after repeated conflicts ({}): {}", operation, state,
                 e.what());
    return Error{ErrorCode::unavailable, "The database is busy. Please try again.", {}, 0};
  }
  spdlog::error("postgres: {} failed ({}): {}", operation, state, e.what());
  return Error{ErrorCode::internal, "The database failed.", {}, 0};
}

std::unexpected<Error> not_found(std::string message) {
  return fail(ErrorCode::not_found, std::move(message));
}

std::unexpected<Error> conflict(std::string message) {
  return fail(ErrorCode::conflict, std::move(message));
}

// Reports an operation's duration (waiting for a connection and retries
// included) when it ends.
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

constexpr int kAttempts = 5;

// Runs `fn` in a READ COMMITTED transaction on a pooled connection. It
// commits when `fn` returns a value and rolls back when it returns an error
// or the database fails, so a refused change leaves nothing behind. A
// transaction that lost a serialization or deadlock race is run again, a
// few times, with a growing pause; so is one whose pooled connection turned
// out to be closed before it began. `fn` may therefore run more than once
// and must keep its state inside.
//
// Races between checks and changes are settled by row locks (SELECT ... FOR
// NO KEY UPDATE on the row whose state is checked) or by conditional UPDATEs,
// which under READ COMMITTED re-check their condition on the newest row
// version after waiting: of two racing requests, exactly one wins.
template <typename Fn>
auto run_write(ConnectionPool& pool, const StoreTimer& timer, std::string_view operation,
               Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
  using R = decltype(fn(std::declval<Connection&>()));
  OperationTimer timed(timer, operation);
  for (int attempt = 1;; ++attempt) {
    bool began = false;
    try {
      return pool.with_connection([&](Connection& db) -> R {
        Transaction tx(db);
        began = true;
        auto result = fn(db);
        if (result) tx.commit();
        return result;
      });
    } catch (const DbError& e) {
      if (retryable(e) && attempt < kAttempts) {
        spdlog::debug("postgres: {}: retrying after {} ({})", operation, e.sqlstate(), attempt);
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt * attempt));
        continue;
      }
      // A pooled connection the server closed meanwhile (a restart) fails
      // at BEGIN, before anything was written: safe to run on a fresh one.
      if (e.connection_lost() && !began && attempt < 2) continue;
      return std::unexpected(translate(e, operation));
    }
  }
}

// Runs `fn` on a pooled connection without an explicit transaction: every
// read is one statement (one snapshot), or reads rows that never change
// (a neighbourhood's region) beside one. A read that finds its connection
// broken (the server restarted) is tried once more on a fresh one.
template <typename Fn>
auto run_read(ConnectionPool& pool, const StoreTimer& timer, std::string_view operation,
              Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
  OperationTimer timed(timer, operation);
  for (int attempt = 1;; ++attempt) {
    try {
      return pool.with_connection(fn);
    } catch (const DbError& e) {
      if (e.connection_lost() && attempt < 2) continue;
      return std::unexpected(translate(e, operation));
    }
  }
}

bool contains(const std::vector<PostStatus>& statuses, PostStatus status) {
  return std::ranges::find(statuses, status) != statuses.end();
}

// --- SQL -------------------------------------------------------------------
//
// Parameters are cast where their use alone would leave the server to guess
// a type (IS NULL tests, CASE, COALESCE).


// Serialises neighbourhood creation: a new neighbourhood's nearby set is
// computed from the committed ones, so two created at once near each other
// must not miss each other. Creating one is rare; the wait is short.
constexpr std::int64_t kNeighbourhoodLock = 0x6e6f61626572'01;

constexpr std::string_view kPing = "SELECT 1";
constexpr std::string_view kAdvisoryLock = "SELECT pg_advisory_xact_lock($1::bigint)";

// Users and sessions. An erased user (deleted_at set) is a tombstone:
// nobody can find it by email or id any more.
constexpr std::string_view kInsertUser =
    "INSERT INTO users (email, display_name, locale, password_hash, created_at)"
    " VALUES ($1, $2, $3, $4, $5) RETURNING id";
constexpr std::string_view kGetUser =
    "SELECT id, email, display_name, locale, created_at FROM users"
    " WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kFindCredentials =
    "SELECT id, password_hash FROM users WHERE email = $1 AND deleted_at IS NULL";
constexpr std::string_view kCredentialsOf =
    "SELECT id, password_hash FROM users WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kSetPassword =
    "UPDATE users SET password_hash = $2 WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at)"
    " VALUES ($1, $2, $3::bigint, $4, $3::bigint)";
// The join refuses a session of an erased user even if one was created in
// a race with the erasure (a login that checked the password just before).
constexpr std::string_view kFindSession =
    "SELECT s.user_id, s.expires_at, s.created_at, s.last_seen_at FROM sessions s"
    " JOIN users u ON u.id = s.user_id AND u.deleted_at IS NULL"
    " WHERE s.token_hash = $1 AND s.expires_at > $2";
constexpr std::string_view kTouchSession =
    "UPDATE sessions SET last_seen_at = $2::bigint"
    " WHERE token_hash = $1 AND last_seen_at < $2::bigint";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_hash = $1";
// An empty `keep` (bound as NULL when its view has no data) keeps none.
constexpr std::string_view kDeleteSessionsOf =
    "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> COALESCE($2::text, '')";

// Export and erasure (AVG/GDPR).
// The export reads many tables; one REPEATABLE READ snapshot keeps them
// consistent with each other.
constexpr std::string_view kSnapshot =
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
constexpr std::string_view kSessionsOf =
    "SELECT token_hash, created_at, last_seen_at, expires_at FROM sessions"
    " WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at, token_hash";
constexpr std::string_view kInvitesBy =
    "SELECT id, neighbourhood_id, created_by, created_at, expires_at, used_at FROM invites"
    " WHERE created_by = $1 ORDER BY id";
// Locks the user row: a racing second erasure waits and then finds it gone.
constexpr std::string_view kLockLiveUser =
    "SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE";
constexpr std::string_view kDeleteMembershipsOf =
    "DELETE FROM memberships WHERE user_id = $1 RETURNING neighbourhood_id, status";
constexpr std::string_view kDeleteUnusedInvitesOf =
    "DELETE FROM invites WHERE created_by = $1 AND used_at IS NULL";
// Nobody can answer, accept or complete for an erased author any more.
// A professional profile goes with its person; their access ends.
constexpr std::string_view kDeleteProfileOf =
    "DELETE FROM professional_profiles WHERE user_id = $1";
constexpr std::string_view kLogEndOfAccessOf =
    "INSERT INTO professional_events (neighbourhood_id, professional_id, kind, rule, at)"
    " SELECT neighbourhood_id, user_id, 'revoked', 'account_erased', $2::bigint"
    " FROM professional_access WHERE user_id = $1 AND status NOT IN ('refused', 'revoked')";
constexpr std::string_view kEndAccessOf =
    "UPDATE professional_access SET status = 'revoked', updated_at = $2"
    " WHERE user_id = $1 AND status NOT IN ('refused', 'revoked')";
constexpr std::string_view kCloseOpenPostsOf =
    "UPDATE posts SET status = 'closed', updated_at = $2"
    " WHERE author_id = $1 AND status IN ('open', 'promised')";
// The placeholder's domain has no dot, which registration refuses
// (check_email), so no live account can ever hold it.
constexpr std::string_view kTombstoneUser =
    "UPDATE users SET email = 'deleted-' || id::text || '@invalid', display_name = '',"
    " password_hash = '', deleted_at = $2 WHERE id = $1";

// Regions and neighbourhoods. Column order matches read_neighbourhood().
// Waits for a concurrent insert of the same name and then does nothing; the
// SELECT that follows sees the other transaction's row.
constexpr std::string_view kInsertRegion =
    "INSERT INTO regions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id";
constexpr std::string_view kFindRegion = "SELECT id FROM regions WHERE name = $1";
constexpr std::string_view kInsertNeighbourhood =
    "INSERT INTO neighbourhoods (name, region_id, lat, lon, member_count, created_at)"
    " VALUES ($1, $2, $3, $4, 0, $5) RETURNING id";
// Served by neighbourhoods_lat_lon.
constexpr std::string_view kNeighbourhoodsInBox =
    "SELECT id, lat, lon FROM neighbourhoods"
    " WHERE lat BETWEEN $1::float8 AND $2::float8 AND lon BETWEEN $3::float8 AND $4::float8"
    " AND id <> $5";
constexpr std::string_view kInsertNearby =
    "INSERT INTO neighbourhood_nearby (neighbourhood_id, nearby_id) VALUES ($1, $2), ($2, $1)";
constexpr auto kGetNeighbourhood = join(kNeighbourhoodColumns, " WHERE n.id = $1");
// ILIKE with the C locale folds ASCII case only, like SQLite's LIKE; the
// order is the one SQLite's NOCASE gives.
constexpr auto kSearchByName = join(
    kNeighbourhoodColumns,
    " WHERE $1::text IS NULL OR n.name ILIKE $1 ESCAPE '\\' OR r.name ILIKE $1 ESCAPE '\\'"
    " ORDER BY lower(n.name) COLLATE \"C\", n.id LIMIT $2::bigint");
constexpr auto kSearchInBox = join(
    kNeighbourhoodColumns,
    " WHERE n.lat BETWEEN $1::float8 AND $2::float8 AND n.lon BETWEEN $3::float8 AND $4::float8"
    " AND ($5::text IS NULL OR n.name ILIKE $5 ESCAPE '\\' OR r.name ILIKE $5 ESCAPE '\\')");
constexpr std::string_view kAreNearby =
    "SELECT 1 FROM neighbourhood_nearby WHERE neighbourhood_id = $1 AND nearby_id = $2";
constexpr std::string_view kAdjustMemberCount =
    "UPDATE neighbourhoods SET member_count = member_count + $2::bigint WHERE id = $1";

// Memberships and invites. Column order matches read_membership().
constexpr auto kMembershipsOf =
    join(kMembershipColumns, " WHERE m.user_id = $1 ORDER BY m.joined_at, m.neighbourhood_id");
constexpr auto kGetMembership =
    join(kMembershipColumns, " WHERE m.neighbourhood_id = $1 AND m.user_id = $2");
constexpr auto kListMembers = join(kMembershipColumns,
                                   " WHERE m.neighbourhood_id = $1"
                                   " AND ($2::text IS NULL OR m.status = $2)"
                                   " ORDER BY m.joined_at, m.user_id");
constexpr std::string_view kInsertMembership =
    "INSERT INTO memberships (neighbourhood_id, user_id, role, status, joined_at, verified_at)"
    " VALUES ($1, $2, $3, $4::text, $5::bigint,"
    " CASE WHEN $4::text = 'verified' THEN $5::bigint END)";
// Under READ COMMITTED a racing verifier waits and then re-checks the
// status on the row the winner wrote: 0 rows, conflict.
constexpr std::string_view kVerifyMember =
    "UPDATE memberships SET status = 'verified', verified_at = $3"
    " WHERE neighbourhood_id = $1 AND user_id = $2 AND status = 'pending'";
constexpr std::string_view kMembershipExists =
    "SELECT 1 FROM memberships WHERE neighbourhood_id = $1 AND user_id = $2";
constexpr std::string_view kInsertInvite =
    "INSERT INTO invites (neighbourhood_id, created_by, code_hash, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5) RETURNING id";
// Marks the invite used only when it is usable; 0 rows changed means not.
constexpr std::string_view kUseInvite =
    "UPDATE invites SET used_by = $1, used_at = $2::bigint"
    " WHERE code_hash = $3 AND neighbourhood_id = $4 AND used_at IS NULL"
    " AND expires_at > $2::bigint";

// Posts. Column order matches read_post().
constexpr auto kGetPost = join(kPostColumns, " WHERE p.id = $1");
constexpr std::string_view kRegionOf = "SELECT region_id FROM neighbourhoods WHERE id = $1";
constexpr std::string_view kInsertPost =
    "INSERT INTO posts (neighbourhood_id, region_id, author_id, kind, category, title, body,"
    " body_html, visibility, status, created_at, expires_at, updated_at, response_count,"
    " not_for_professionals, professional_organisation)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10::bigint, $11, $10::bigint, 0,"
    " $12, $13) RETURNING id";
// The posts that reach a neighbourhood, as three branches that are each a
// backwards range scan of one index (posts_neighbourhood,
// posts_neighbourhood_visibility per nearby neighbourhood,
// posts_region_visibility), each cut at the page size; the branches cannot
// overlap, so UNION ALL needs no de-duplication. Authors come from one join.
// $1 neighbourhood, $2 its region, $3 cursor, $4 kind, $5 category,
// $6 status (NULL: any), $7 page size, $8 now (an open post past its expiry
// has the effective status 'expired'), $9 the reader, $10 whether the
// reader manages $1 (hidden posts: docs/moderation.md).
constexpr auto kFeed = join(
    kPostColumns,
    " JOIN ("
    "  (SELECT id FROM posts"
    "   WHERE neighbourhood_id = $1::bigint AND id < $3::bigint"
    "   AND ($4::text IS NULL OR kind = $4::text)"
    "   AND ($5::text IS NULL OR category = $5::text)"
    "   AND ($6::text IS NULL OR (CASE WHEN status = 'open' AND expires_at <= $8::bigint"
    "    THEN 'expired' ELSE status END) = $6::text)"
    "   AND (hidden_at IS NULL OR author_id = $9::bigint OR $10::bigint = 1)"
    "   ORDER BY id DESC LIMIT $7::bigint)"
    "  UNION ALL"
    "  (SELECT np.id FROM neighbourhood_nearby nn"
    "   JOIN posts np ON np.neighbourhood_id = nn.nearby_id AND np.visibility = 'nearby'"
    "   WHERE nn.neighbourhood_id = $1::bigint AND np.id < $3::bigint"
    "   AND ($4::text IS NULL OR np.kind = $4::text)"
    "   AND ($5::text IS NULL OR np.category = $5::text)"
    "   AND ($6::text IS NULL OR (CASE WHEN np.status = 'open' AND np.expires_at <= $8::bigint"
    "    THEN 'expired' ELSE np.status END) = $6::text)"
    "   AND (np.hidden_at IS NULL OR np.author_id = $9::bigint)"
    "   ORDER BY np.id DESC LIMIT $7::bigint)"
    "  UNION ALL"
    "  (SELECT id FROM posts"
    "   WHERE region_id = $2::bigint AND visibility = 'region'"
    "   AND neighbourhood_id <> $1::bigint AND id < $3::bigint"
    "   AND ($4::text IS NULL OR kind = $4::text)"
    "   AND ($5::text IS NULL OR category = $5::text)"
    "   AND ($6::text IS NULL OR (CASE WHEN status = 'open' AND expires_at <= $8::bigint"
    "    THEN 'expired' ELSE status END) = $6::text)"
    "   AND (hidden_at IS NULL OR author_id = $9::bigint)"
    "   ORDER BY id DESC LIMIT $7::bigint)"
    " ) reach ON reach.id = p.id"
    " ORDER BY p.id DESC LIMIT $7::bigint");
// Locks the post for the rest of the transaction, so a racing status change
// waits and then sees this one's outcome. NO KEY UPDATE still lets foreign
// key checks of new responses and exchanges through.
constexpr std::string_view kHasHiddenPosts =
    "SELECT 1 FROM posts WHERE author_id = $1 AND hidden_at IS NOT NULL LIMIT 1";
constexpr std::string_view kLockPostStatus =
    "SELECT status FROM posts WHERE id = $1 FOR NO KEY UPDATE";
constexpr std::string_view kPatchPost =
    "UPDATE posts SET title = COALESCE($2::text, title), body = COALESCE($3::text, body),"
    " body_html = COALESCE($4::text, body_html),"
    " expires_at = COALESCE($5::bigint, expires_at), updated_at = $6,"
    " not_for_professionals = COALESCE($7::bigint, not_for_professionals)"
    " WHERE id = $1";
constexpr std::string_view kSetPostStatus =
    "UPDATE posts SET status = $2, updated_at = $3 WHERE id = $1";

// Responses and exchanges. Column orders match read_response() and
// read_exchange().
constexpr auto kGetResponse = join(kResponseColumns, " WHERE r.id = $1");
constexpr auto kResponsesFor = join(kResponseColumns, " WHERE r.post_id = $1 ORDER BY r.id");
constexpr std::string_view kLockPostForResponse =
    "SELECT neighbourhood_id, status FROM posts WHERE id = $1 FOR NO KEY UPDATE";
constexpr std::string_view kInsertResponse =
    "INSERT INTO responses (post_id, neighbourhood_id, responder_id, message, status,"
    " created_at, professional_organisation)"
    " VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id";
constexpr std::string_view kCountResponse =
    "UPDATE posts SET response_count = response_count + 1 WHERE id = $1";
constexpr std::string_view kPostOfResponse = "SELECT post_id FROM responses WHERE id = $1";
// Post first, then response: every transaction that locks both takes them
// in this order, so they queue instead of deadlocking.
constexpr std::string_view kLockResponseState =
    "SELECT r.status, p.status"
    " FROM posts p JOIN responses r ON r.post_id = p.id"
    " WHERE p.id = $1 AND r.id = $2 FOR NO KEY UPDATE OF p, r";
constexpr std::string_view kAcceptResponse =
    "UPDATE responses SET status = 'accepted', accepted_at = $2 WHERE id = $1";
constexpr std::string_view kLockPostForCompletion =
    "SELECT neighbourhood_id, author_id, kind, category, status FROM posts WHERE id = $1"
    " FOR NO KEY UPDATE";
constexpr std::string_view kAcceptedResponses =
    "SELECT id, responder_id FROM responses"
    " WHERE post_id = $1 AND status = 'accepted' ORDER BY id";
constexpr std::string_view kInsertExchange =
    "INSERT INTO exchanges (post_id, neighbourhood_id, response_id, giver_id, receiver_id,"
    " category, hours, thanks, completed_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr auto kExchangesOfPost = join(kExchangeColumns, " WHERE e.post_id = $1 ORDER BY e.id");
constexpr auto kExchangesOf = join(kExchangeColumns,
                                   " WHERE e.neighbourhood_id = $1 AND e.id < $2"
                                   " ORDER BY e.id DESC LIMIT $3::bigint");

// One person's rows, for the export.
constexpr auto kPostsBy = join(kPostColumns, " WHERE p.author_id = $1 ORDER BY p.id");
constexpr auto kResponsesToPostsBy = join(
    kResponseColumns, " JOIN posts rp ON rp.id = r.post_id WHERE rp.author_id = $1 ORDER BY r.id");
constexpr auto kResponsesBy = join(kResponseColumns, " WHERE r.responder_id = $1 ORDER BY r.id");
constexpr auto kExchangesOfUser =
    join(kExchangeColumns, " WHERE e.giver_id = $1 OR e.receiver_id = $1 ORDER BY e.id");

// Community health (issue #8): the raw material of the tie figures.
constexpr auto kTieExchanges =
    join(store_rows::kTieExchangeColumns,
         " WHERE e.neighbourhood_id = $1 AND e.completed_at < $2 ORDER BY e.completed_at, e.id");
constexpr auto kPostOutcomes =
    join(store_rows::kPostOutcomeColumns,
         " WHERE p.neighbourhood_id = $1 AND p.created_at >= $2"
         " AND p.created_at < $3 ORDER BY p.created_at, p.id");

// Notifications (in-app). Each INSERT ... SELECT runs in the transaction of
// the change it tells about, so the two can't come apart.
constexpr std::string_view kNotifyResponse =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT author_id, 'response', id, $2::bigint, $3::bigint FROM posts WHERE id = $1";
constexpr std::string_view kNotifyAccepted =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT r.responder_id, 'accepted', r.post_id, p.author_id, $2::bigint"
    " FROM responses r JOIN posts p ON p.id = r.post_id WHERE r.id = $1";
constexpr std::string_view kNotifyThanks =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT r.responder_id, 'thanks', r.post_id, p.author_id, $2::bigint"
    " FROM responses r JOIN posts p ON p.id = r.post_id"
    " WHERE r.post_id = $1 AND r.status = 'accepted'";
constexpr auto kNotificationsOf = join(kNotificationColumns,
                                       " WHERE nt.user_id = $1 AND nt.id < $2"
                                       " ORDER BY nt.id DESC LIMIT $3::bigint");
constexpr auto kNotificationsForExport =
    join(kNotificationColumns, " WHERE nt.user_id = $1 ORDER BY nt.id");
constexpr std::string_view kUnreadNotifications =
    "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
constexpr std::string_view kMarkNotificationRead =
    "UPDATE notifications SET read_at = $3"
    " WHERE user_id = $1 AND id = $2 AND read_at IS NULL RETURNING id";
constexpr std::string_view kMarkNotificationsReadUpTo =
    "UPDATE notifications SET read_at = $3"
    " WHERE user_id = $1 AND id <= $2 AND read_at IS NULL RETURNING id";
constexpr std::string_view kDeleteNotificationsOf = "DELETE FROM notifications WHERE user_id = $1";

// Claims: the follow_ups primary key lets one racing process win.
constexpr std::string_view kClaimUnanswered =
    "INSERT INTO follow_ups (post_id, kind, done_at)"
    " SELECT id, 'unanswered', $1::bigint FROM posts"
    " WHERE kind = 'ask' AND status = 'open' AND response_count = 0 AND created_at <= $2::bigint"
    " AND (expires_at IS NULL OR expires_at > $1::bigint)"
    " AND id NOT IN (SELECT post_id FROM follow_ups WHERE kind = 'unanswered')"
    " ORDER BY id LIMIT $3::bigint"
    " ON CONFLICT DO NOTHING RETURNING post_id";
constexpr std::string_view kNotifyConnectors =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT m.user_id, 'unanswered', p.id, p.author_id, $2::bigint FROM posts p"
    " JOIN memberships m ON m.neighbourhood_id = p.neighbourhood_id AND m.status = 'verified'"
    " AND (m.role = 'manager' OR (m.role = 'resident' AND m.connector_since IS NOT NULL))"
    " AND m.user_id <> p.author_id"
    " WHERE p.id = $1::bigint";
constexpr std::string_view kClaimCheckIn =
    "INSERT INTO follow_ups (post_id, kind, done_at)"
    " SELECT p.id, 'check_in', $1::bigint FROM posts p"
    " WHERE p.status = 'promised'"
    " AND (SELECT MIN(r.accepted_at) FROM responses r"
    "  WHERE r.post_id = p.id AND r.status = 'accepted') <= $2::bigint"
    " AND p.id NOT IN (SELECT post_id FROM follow_ups WHERE kind = 'check_in')"
    " ORDER BY p.id LIMIT $3::bigint"
    " ON CONFLICT DO NOTHING RETURNING post_id";
constexpr std::string_view kNotifyCheckIn =
    "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT author_id, 'check_in', id, NULL, $2::bigint FROM posts WHERE id = $1::bigint";
// Follow-ups: one statement. SKIP LOCKED leaves posts another process is
// expiring right now to that process; the status = 'open' condition is
// checked again under the row lock, so none expires twice.
constexpr std::string_view kExpireDuePosts =
    "WITH due AS ("
    "  SELECT id FROM posts WHERE status = 'open' AND expires_at <= $1"
    "  ORDER BY expires_at, id LIMIT $2::bigint FOR NO KEY UPDATE SKIP LOCKED),"
    " expired AS ("
    "  UPDATE posts p SET status = 'expired', updated_at = $1 FROM due"
    "  WHERE p.id = due.id AND p.status = 'open' RETURNING p.id, p.author_id)"
    " INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at)"
    " SELECT author_id, 'expired', id, NULL, $1 FROM expired RETURNING post_id";

// --- rows ------------------------------------------------------------------

// The shared readers (store/row_readers.h) for this backend's rows.
User read_user(const Row& q) { return store_rows::read_user(q); }
Neighbourhood read_neighbourhood(const Row& q) { return store_rows::read_neighbourhood(q); }
Membership read_membership(const Row& q) { return store_rows::read_membership(q); }
Post read_post(const Row& q) { return store_rows::read_post(q); }
PostResponse read_response(const Row& q) { return store_rows::read_response(q); }
Exchange read_exchange(const Row& q) { return store_rows::read_exchange(q); }
TieExchange read_tie_exchange(const Row& q) { return store_rows::read_tie_exchange(q); }
PostOutcome read_post_outcome(const Row& q) { return store_rows::read_post_outcome(q); }
Invite read_invite(const Row& q) { return store_rows::read_invite(q); }
Notification read_notification(const Row& q) { return store_rows::read_notification(q); }
SessionSummary read_session_summary(const Row& q) { return store_rows::read_session_summary(q); }

// The one row `sql` finds for `args`, read by `read_row`, or not_found.
template <typename ReadRow, typename... Args>
auto one_row(Connection& db, std::string_view sql, ReadRow read_row, std::string_view missing,
             const Args&... args) -> Result<decltype(read_row(std::declval<const Row&>()))> {
  const Rows rows = db.query(sql, args...);
  if (rows.empty()) return not_found(std::string(missing));
  return read_row(rows.front());
}

// Every row `sql` finds for `args`, read by `read_row`.
template <typename ReadRow, typename... Args>
auto all_rows(Connection& db, std::string_view sql, ReadRow read_row, const Args&... args) {
  std::vector<decltype(read_row(std::declval<const Row&>()))> out;
  const Rows rows = db.query(sql, args...);
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(read_row(rows[i]));
  return out;
}

// The id from `INSERT ... RETURNING id`.
std::int64_t returning_id(const Rows& rows) {
  if (rows.empty()) throw DbError("XX000", "", false, "INSERT ... RETURNING gave no row");
  return rows.front().int64(0);
}

constexpr std::string_view kNoUser = "No such user.";
constexpr std::string_view kNoNeighbourhood = "No such neighbourhood.";
constexpr std::string_view kNoMembership = "No such member.";
constexpr std::string_view kNoPost = "No such post.";
constexpr std::string_view kNoResponse = "No such response.";

// --- geometry --------------------------------------------------------------
// The same pre-filter the SQLite backend uses; the exact distance
// (core/geo.h) decides in both.

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
  const double half_width = std::asin(std::sin(angle) / std::cos(lat / kDegrees)) * kDegrees;
  if (lon - half_width >= -180.0 && lon + half_width <= 180.0) {
    box.min_lon = lon - half_width;
    box.max_lon = lon + half_width;
  }
  // Else the circle crosses the antimeridian; all longitudes is simplest.
  return box;
}

// An ILIKE pattern matching `text` anywhere, with LIKE's wildcards in the
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
  if (const Rows inserted = db.query(kInsertRegion, name); !inserted.empty())
    return inserted.front().id<RegionId>(0);
  const Rows found = db.query(kFindRegion, name);
  return RegionId{returning_id(found)};
}

// Inserts the membership and keeps the neighbourhood's member_count in the
// same transaction.
void insert_membership(Connection& db, const NewMembership& m) {
  db.query(kInsertMembership, m.neighbourhood_id, m.user_id, m.role, m.status, m.joined_at);
  if (m.status == MemberStatus::verified) db.query(kAdjustMemberCount, m.neighbourhood_id, 1);
}

Result<Membership> membership(Connection& db, NeighbourhoodId n, UserId user) {
  return one_row(db, kGetMembership, read_membership, kNoMembership, n, user);
}

Result<Post> post(Connection& db, PostId id) {
  return one_row(db, kGetPost, read_post, kNoPost, id);
}

// The post's status, locked until the transaction ends; nullopt when there
// is no such post.
std::optional<PostStatus> lock_post_status(Connection& db, PostId id) {
  const Rows rows = db.query(kLockPostStatus, id);
  if (rows.empty()) return std::nullopt;
  return rows.front().enum_value(0, parse_post_status);
}

}  // namespace

// --- lifecycle -----------------------------------------------------------------

PostgresStore::PostgresStore(PostgresOptions options) : options_(std::move(options)) {
  if (options_.url.empty()) throw std::runtime_error("postgres: no database URL given");
  try {
    pool_ = std::make_unique<ConnectionPool>(options_.url, options_.pool_size);
  } catch (const DbError& e) {
    throw std::runtime_error(fmt::format("postgres: {}", e.what()));
  }
}

PostgresStore::~PostgresStore() = default;

int PostgresStore::migrate() {
  return pool_->with_connection([&](Connection& db) {
    try {
      return postgres::apply_migrations(db);
    } catch (const DbError& e) {
      throw std::runtime_error(fmt::format("postgres: migrating failed: {}", e.what()));
    }
  });
}

int PostgresStore::schema_version() {
  return pool_->with_connection([&](Connection& db) {
    try {
      return postgres::applied_schema_version(db);
    } catch (const DbError& e) {
      throw std::runtime_error(
          fmt::format("postgres: reading the schema version failed: {}", e.what()));
    }
  });
}

Status PostgresStore::ping() {
  return run_read(*pool_, options_.on_operation, __func__, [](Connection& db) -> Status {
    db.query(kPing);
    return {};
  });
}

// --- users and sessions ------------------------------------------------------

Result<User> PostgresStore::create_user(const NewUser& user) {
  // email_taken comes from translate(), by the name of the violated index.
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<User> {
    const Rows rows = db.query(kInsertUser, user.email, user.display_name, user.locale,
                               user.password_hash, user.created_at);
    return User{
        .id = UserId{returning_id(rows)},
        .email = user.email,
        .display_name = user.display_name,
        .locale = user.locale,
        .created_at = user.created_at,
    };
  });
}

Result<User> PostgresStore::get_user(UserId id) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetUser, read_user, kNoUser, id);
  });
}

Result<UserCredentials> PostgresStore::find_credentials(std::string_view email) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(
        db, kFindCredentials,
        [](const Row& q) { return UserCredentials{q.id<UserId>(0), q.text(1)}; }, kNoUser,
        email);
  });
}

Status PostgresStore::create_session(const NewSession& session) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kInsertSession, session.token_hash, session.user_id, session.created_at,
             session.expires_at);
    return {};
  });
}

Result<SessionRecord> PostgresStore::find_session(std::string_view token_hash, TimePoint now) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(
        db, kFindSession,
        [](const Row& q) {
          return SessionRecord{q.id<UserId>(0), q.time(1), q.time(2), q.time(3)};
        },
        "No such session.", token_hash, now);
  });
}

Status PostgresStore::touch_session(std::string_view token_hash, TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kTouchSession, token_hash, at);
    return {};
  });
}

Status PostgresStore::delete_session(std::string_view token_hash) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kDeleteSession, token_hash);
    return {};
  });
}

Status PostgresStore::delete_sessions_of(UserId user, std::string_view keep) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kDeleteSessionsOf, user, keep);
    return {};
  });
}

Result<UserCredentials> PostgresStore::credentials_of(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(
        db, kCredentialsOf,
        [](const Row& q) { return UserCredentials{q.id<UserId>(0), q.text(1)}; }, kNoUser,
        user);
  });
}

Status PostgresStore::set_password(UserId user, std::string_view password_hash,
                                   std::string_view keep) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    if (db.query(kSetPassword, user, password_hash).affected() == 0)
      return not_found(std::string(kNoUser));
    db.query(kDeleteSessionsOf, user, keep);
    return {};
  });
}

// --- export and erasure ------------------------------------------------------

Result<UserExport> PostgresStore::export_user(UserId user, TimePoint now) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<UserExport> {
    db.query(kSnapshot);
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

Status PostgresStore::erase_user(UserId user, TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    if (db.query(kLockLiveUser, user).empty()) return not_found(std::string(kNoUser));
    db.query(kTombstoneUser, user, at);
    db.query(kDeleteSessionsOf, user, std::string_view{});
    const Rows memberships = db.query(kDeleteMembershipsOf, user);
    for (int i = 0; i < memberships.size(); ++i)
      if (memberships[i].enum_value(1, parse_member_status) == MemberStatus::verified)
        db.query(kAdjustMemberCount, memberships[i].id<NeighbourhoodId>(0), -1);
    db.query(kDeleteUnusedInvitesOf, user);
    db.query(kDeleteNotificationsOf, user);
    db.query(kCloseOpenPostsOf, user, at);
    db.query(kDeleteProfileOf, user);
    db.query(kLogEndOfAccessOf, user, at);
    db.query(kEndAccessOf, user, at);
    return {};
  });
}

// --- neighbourhoods ------------------------------------------------------------

Result<Neighbourhood> PostgresStore::create_neighbourhood(const NewNeighbourhood& n,
                                                          double nearby_km) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Neighbourhood> {
        db.query(kAdvisoryLock, kNeighbourhoodLock);
        const RegionId region = find_or_create_region(db, n.region_name);
        const NeighbourhoodId id{
            returning_id(db.query(kInsertNeighbourhood, n.name, region, n.lat, n.lon,
                                  n.created_at))};

        if (std::isfinite(nearby_km) && nearby_km > 0) {
          const Box box = bounding_box(n.lat, n.lon, nearby_km);
          const Rows candidates = db.query(kNeighbourhoodsInBox, box.min_lat, box.max_lat,
                                           box.min_lon, box.max_lon, id);
          for (int i = 0; i < candidates.size(); ++i) {
            const Row row = candidates[i];
            if (distance_km(n.lat, n.lon, row.real(1), row.real(2)) <= nearby_km)
              db.query(kInsertNearby, id, row.id<NeighbourhoodId>(0));
          }
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

Result<Neighbourhood> PostgresStore::get_neighbourhood(NeighbourhoodId id) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetNeighbourhood, read_neighbourhood, kNoNeighbourhood, id);
  });
}

Result<std::vector<Neighbourhood>> PostgresStore::search_neighbourhoods(
    const NeighbourhoodSearch& search) {
  if (search.limit <= 0) return std::vector<Neighbourhood>{};
  std::optional<std::string> pattern;
  if (search.name_contains) pattern = contains_pattern(*search.name_contains);

  if (!search.near) {
    return run_read(*pool_, options_.on_operation, __func__,
                    [&](Connection& db) -> Result<std::vector<Neighbourhood>> {
                      return all_rows(db, kSearchByName, read_neighbourhood, pattern,
                                      search.limit);
                    });
  }

  const auto& near = *search.near;
  if (!std::isfinite(near.within_km) || near.within_km < 0) return std::vector<Neighbourhood>{};
  const Box box = bounding_box(near.lat, near.lon, near.within_km);
  auto found = run_read(*pool_, options_.on_operation, __func__,
                        [&](Connection& db) -> Result<std::vector<Neighbourhood>> {
                          return all_rows(db, kSearchInBox, read_neighbourhood, box.min_lat,
                                          box.max_lat, box.min_lon, box.max_lon, pattern);
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

Result<bool> PostgresStore::are_nearby(NeighbourhoodId a, NeighbourhoodId b) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<bool> {
    return !db.query(kAreNearby, a, b).empty();
  });
}

// --- membership ------------------------------------------------------------------

Result<std::vector<Membership>> PostgresStore::memberships_of(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Membership>> {
                    return all_rows(db, kMembershipsOf, read_membership, user);
                  });
}

Result<Membership> PostgresStore::get_membership(NeighbourhoodId n, UserId user) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) { return membership(db, n, user); });
}

Result<std::vector<Membership>> PostgresStore::list_members(NeighbourhoodId n,
                                                            std::optional<MemberStatus> status) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Membership>> {
                    return all_rows(db, kListMembers, read_membership, n, status);
                  });
}

Result<Membership> PostgresStore::add_member(const NewMembership& m) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    insert_membership(db, m);
    return membership(db, m.neighbourhood_id, m.user_id);
  });
}

Result<Membership> PostgresStore::add_member_with_invite(const NewMembership& m,
                                                         std::string_view code_hash) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Membership> {
        const Rows used = db.query(kUseInvite, m.user_id, m.joined_at, code_hash,
                                   m.neighbourhood_id);
        if (used.affected() == 0) return not_found("This invite is not valid.");
        // An invite from a verified member is the verification.
        NewMembership verified = m;
        verified.status = MemberStatus::verified;
        insert_membership(db, verified);
        return membership(db, m.neighbourhood_id, m.user_id);
      });
}

Result<Membership> PostgresStore::verify_member(NeighbourhoodId n, UserId user, TimePoint at) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Membership> {
        if (db.query(kVerifyMember, n, user, at).affected() == 0) {
          if (db.query(kMembershipExists, n, user).empty())
            return not_found(std::string(kNoMembership));
          return conflict("This member is not waiting for verification.");
        }
        db.query(kAdjustMemberCount, n, 1);
        return membership(db, n, user);
      });
}

Result<Invite> PostgresStore::create_invite(const NewInvite& invite) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Invite> {
    const Rows rows = db.query(kInsertInvite, invite.neighbourhood_id, invite.created_by,
                               invite.code_hash, invite.created_at, invite.expires_at);
    return Invite{
        .id = InviteId{returning_id(rows)},
        .neighbourhood_id = invite.neighbourhood_id,
        .created_by = invite.created_by,
        .created_at = invite.created_at,
        .expires_at = invite.expires_at,
    };
  });
}

// --- posts -----------------------------------------------------------------------

Result<Post> PostgresStore::create_post(const NewPost& p) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Post> {
    const Rows region_rows = db.query(kRegionOf, p.neighbourhood_id);
    if (region_rows.empty()) return not_found(std::string(kNoNeighbourhood));
    const RegionId region = region_rows.front().id<RegionId>(0);
    const Rows inserted =
        db.query(kInsertPost, p.neighbourhood_id, region, p.author_id, p.kind, p.category,
                 p.title, p.body, p.body_html, p.visibility, p.created_at, p.expires_at,
                 p.not_for_professionals, p.professional_organisation);
    return post(db, PostId{returning_id(inserted)});
  });
}

Result<Post> PostgresStore::get_post(PostId id) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) { return post(db, id); });
}

Result<std::vector<Post>> PostgresStore::feed(const FeedQuery& q) {
  if (q.limit <= 0) return std::vector<Post>{};
  const PostId before = q.before.value_or(PostId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Post>> {
                    const Rows region = db.query(kRegionOf, q.neighbourhood_id);
                    if (region.empty()) return not_found(std::string(kNoNeighbourhood));
                    return all_rows(db, kFeed, read_post, q.neighbourhood_id,
                                    region.front().id<RegionId>(0), before, q.kind,
                                    q.category, q.status, q.limit, q.now, q.reader,
                                    q.reader_manages);
                  });
}

Result<bool> PostgresStore::has_hidden_posts(UserId author) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<bool> {
    return !db.query(kHasHiddenPosts, author).empty();
  });
}

Result<Post> PostgresStore::update_post(PostId id, const PostPatch& patch,
                                        std::vector<PostStatus> allowed_from) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Post> {
    const auto status = lock_post_status(db, id);
    if (!status) return not_found(std::string(kNoPost));
    if (!contains(allowed_from, *status)) return conflict("This post can no longer be changed.");
    db.query(kPatchPost, id, patch.title, patch.body, patch.body_html, patch.expires_at,
             patch.updated_at, patch.not_for_professionals);
    return post(db, id);
  });
}

Result<Post> PostgresStore::set_post_status(PostId id, std::vector<PostStatus> allowed_from,
                                            PostStatus to, TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Post> {
    const auto status = lock_post_status(db, id);
    if (!status) return not_found(std::string(kNoPost));
    if (!contains(allowed_from, *status))
      return conflict("The post's status does not allow this change.");
    db.query(kSetPostStatus, id, to, at);
    return post(db, id);
  });
}

// --- responses and exchanges -----------------------------------------------------

Result<PostResponse> PostgresStore::create_response(const NewResponse& r) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<PostResponse> {
        NeighbourhoodId neighbourhood;
        {
          const Rows rows = db.query(kLockPostForResponse, r.post_id);
          if (rows.empty()) return not_found(std::string(kNoPost));
          neighbourhood = rows.front().id<NeighbourhoodId>(0);
          const PostStatus status = rows.front().enum_value(1, parse_post_status);
          if (status != PostStatus::open && status != PostStatus::promised)
            return conflict("This post takes no more responses.");
        }
        const ResponseId id{returning_id(db.query(kInsertResponse, r.post_id, neighbourhood,
                                                  r.responder_id, r.message, r.created_at,
                                                  r.professional_organisation))};
        db.query(kCountResponse, r.post_id);
        db.query(kNotifyResponse, r.post_id, r.responder_id, r.created_at);
        return one_row(db, kGetResponse, read_response, kNoResponse, id);
      });
}

Result<PostResponse> PostgresStore::get_response(ResponseId id) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetResponse, read_response, kNoResponse, id);
  });
}

Result<std::vector<PostResponse>> PostgresStore::responses_for(PostId post_id) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<PostResponse>> {
                    return all_rows(db, kResponsesFor, read_response, post_id);
                  });
}

Result<PostResponse> PostgresStore::accept_response(ResponseId id, TimePoint at) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<PostResponse> {
        // A response never moves to another post, so reading its post
        // unlocked is safe; the states are then read under the locks.
        const Rows of = db.query(kPostOfResponse, id);
        if (of.empty()) return not_found(std::string(kNoResponse));
        const PostId post_id = of.front().id<PostId>(0);
        {
          const Rows rows = db.query(kLockResponseState, post_id, id);
          if (rows.empty()) return not_found(std::string(kNoResponse));
          if (rows.front().enum_value(0, parse_response_status) != ResponseStatus::pending)
            return conflict("This response was accepted already.");
          const PostStatus status = rows.front().enum_value(1, parse_post_status);
          if (status != PostStatus::open && status != PostStatus::promised)
            return conflict("This post takes no more responses.");
        }
        db.query(kAcceptResponse, id, at);
        db.query(kSetPostStatus, post_id, PostStatus::promised, at);
        db.query(kNotifyAccepted, id, at);
        return one_row(db, kGetResponse, read_response, kNoResponse, id);
      });
}

Result<std::vector<Exchange>> PostgresStore::complete_post(const Completion& c) {
  return run_write(
      *pool_, options_.on_operation, __func__,
      [&](Connection& db) -> Result<std::vector<Exchange>> {
        NeighbourhoodId neighbourhood;
        UserId author;
        PostKind kind;
        Category category;
        {
          const Rows rows = db.query(kLockPostForCompletion, c.post_id);
          if (rows.empty()) return not_found(std::string(kNoPost));
          const Row row = rows.front();
          if (row.enum_value(4, parse_post_status) != PostStatus::promised)
            return conflict("Only a promised post can be completed.");
          neighbourhood = row.id<NeighbourhoodId>(0);
          author = row.id<UserId>(1);
          kind = row.enum_value(2, parse_post_kind);
          category = row.enum_value(3, parse_category);
        }
        db.query(kSetPostStatus, c.post_id, PostStatus::done, c.completed_at);

        const auto accepted = all_rows(
            db, kAcceptedResponses,
            [](const Row& q) { return std::pair{q.id<ResponseId>(0), q.id<UserId>(1)}; },
            c.post_id);
        for (const auto& [response, responder] : accepted) {
          // Whoever answered an ask gave; whoever answered an offer received.
          const bool ask = kind == PostKind::ask;
          const UserId giver = ask ? responder : author;
          const UserId receiver = ask ? author : responder;
          db.query(kInsertExchange, c.post_id, neighbourhood, response, giver, receiver,
                   category, c.hours, c.thanks, c.completed_at);
        }
        db.query(kNotifyThanks, c.post_id, c.completed_at);
        return all_rows(db, kExchangesOfPost, read_exchange, c.post_id);
      });
}

Result<std::vector<Exchange>> PostgresStore::exchanges(NeighbourhoodId n,
                                                       std::optional<ExchangeId> before,
                                                       int limit) {
  if (limit <= 0) return std::vector<Exchange>{};
  const ExchangeId cursor =
      before.value_or(ExchangeId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Exchange>> {
                    return all_rows(db, kExchangesOf, read_exchange, n, cursor, limit);
                  });
}

// --- community health (issue #8) ---------------------------------------------

Result<std::vector<TieExchange>> PostgresStore::tie_exchanges(NeighbourhoodId n, TimePoint until) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<TieExchange>> {
                    return all_rows(db, kTieExchanges, read_tie_exchange, n, until);
                  });
}

Result<std::vector<PostOutcome>> PostgresStore::post_outcomes(NeighbourhoodId n, TimePoint from,
                                                              TimePoint until) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<PostOutcome>> {
                    return all_rows(db, kPostOutcomes, read_post_outcome, n, from, until);
                  });
}

// --- professionals (issue 7) --------------------------------------------------

namespace {

constexpr auto kGetProfile = join(kProfileColumns, " WHERE user_id = $1");
constexpr std::string_view kPutProfile =
    "INSERT INTO professional_profiles (user_id, organisation, function, description,"
    " created_at, updated_at) VALUES ($1, $2, $3, $4, $5::bigint, $5::bigint)"
    " ON CONFLICT (user_id) DO UPDATE SET organisation = excluded.organisation,"
    " function = excluded.function, description = excluded.description,"
    " updated_at = excluded.updated_at";
constexpr std::string_view kNeighbourhoodExists = "SELECT 1 FROM neighbourhoods WHERE id = $1";
constexpr auto kGetSettings = join(kSettingsColumns, " WHERE neighbourhood_id = $1");
constexpr std::string_view kPutSettings =
    "INSERT INTO professional_settings (neighbourhood_id, admission, objection_days,"
    " objection_count, vote_quorum, vote_majority_percent, scope, access_months, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " ON CONFLICT (neighbourhood_id) DO UPDATE SET admission = excluded.admission,"
    " objection_days = excluded.objection_days, objection_count = excluded.objection_count,"
    " vote_quorum = excluded.vote_quorum,"
    " vote_majority_percent = excluded.vote_majority_percent, scope = excluded.scope,"
    " access_months = excluded.access_months, updated_at = excluded.updated_at";
constexpr auto kGetAccess =
    join(kAccessColumns, " WHERE a.neighbourhood_id = $1 AND a.user_id = $2");
constexpr auto kAccessIn =
    join(kAccessColumns, " WHERE a.neighbourhood_id = $1 ORDER BY a.requested_at, a.user_id");
constexpr auto kAccessOf =
    join(kAccessColumns, " WHERE a.user_id = $1 ORDER BY a.requested_at, a.neighbourhood_id");
// Locks the row, so a racing change waits and then sees this one's outcome.
constexpr std::string_view kLockAccessState =
    "SELECT status, expires_at, buddy_id, renewal_requested_at FROM professional_access"
    " WHERE neighbourhood_id = $1 AND user_id = $2 FOR UPDATE";
// Read after kLockAccessState, so every change to the count waits its turn.
constexpr std::string_view kObjectionCount =
    "SELECT count(*) FROM professional_objections"
    " WHERE neighbourhood_id = $1 AND professional_id = $2";
constexpr std::string_view kClearObjections =
    "DELETE FROM professional_objections WHERE neighbourhood_id = $1 AND professional_id = $2";
constexpr std::string_view kClearVotes =
    "DELETE FROM professional_votes WHERE neighbourhood_id = $1 AND professional_id = $2";
constexpr std::string_view kPutVote =
    "INSERT INTO professional_votes (neighbourhood_id, professional_id, resident_id, in_favour,"
    " voted_at) VALUES ($1, $2, $3, $4, $5::bigint) ON CONFLICT (neighbourhood_id,"
    " professional_id, resident_id) DO UPDATE SET in_favour = excluded.in_favour,"
    " voted_at = excluded.voted_at";
constexpr std::string_view kInsertObjection =
    "INSERT INTO professional_objections (neighbourhood_id, professional_id, resident_id,"
    " reason, objected_at) VALUES ($1, $2, $3, $4, $5::bigint) ON CONFLICT DO NOTHING"
    " RETURNING 1";
constexpr std::string_view kPutRequest =
    "INSERT INTO professional_access (neighbourhood_id, user_id, purpose, status, requested_at,"
    " updated_at) VALUES ($1, $2, $3, 'requested', $4::bigint, $4::bigint)"
    " ON CONFLICT (neighbourhood_id, user_id) DO UPDATE SET purpose = excluded.purpose,"
    " status = 'requested', requested_at = excluded.requested_at, decided_at = NULL,"
    " decided_by = NULL, buddy_id = NULL, active_since = NULL, expires_at = NULL,"
    " renewal_requested_at = NULL, updated_at = excluded.updated_at";
constexpr std::string_view kTransitionAccess =
    "UPDATE professional_access SET status = $3, updated_at = $4::bigint,"
    " decided_by = COALESCE($5::bigint, decided_by),"
    " decided_at = CASE WHEN $5::bigint IS NULL AND $9::bigint = 0 THEN decided_at"
    "  ELSE $4::bigint END,"
    " buddy_id = COALESCE($6::bigint, buddy_id),"
    " active_since = COALESCE($7::bigint, active_since),"
    " expires_at = COALESCE($8::bigint, expires_at),"
    " renewal_requested_at = CASE WHEN $10::bigint = 1 THEN NULL ELSE renewal_requested_at END"
    " WHERE neighbourhood_id = $1 AND user_id = $2";
// The activity log (docs/professionals.md#the-activity-log). $1 neighbourhood,
// $2 professional, $3 kind, $4 rule, $5 actor, $6 at. The counts standing
// now, the badge now, and the purpose for requests.
constexpr std::string_view kInsertAccessEvent =
    "INSERT INTO professional_events (neighbourhood_id, professional_id, kind, rule, actor_id,"
    " organisation, purpose, objections, votes_in_favour, votes_against, at)"
    " SELECT a.neighbourhood_id, a.user_id, $3::text, $4::text, $5::bigint,"
    " COALESCE((SELECT organisation FROM professional_profiles WHERE user_id = a.user_id), ''),"
    " CASE WHEN $3::text IN ('requested', 'renewal_requested') THEN a.purpose ELSE '' END,"
    " (SELECT count(*) FROM professional_objections o"
    "  WHERE o.neighbourhood_id = $1 AND o.professional_id = $2),"
    " (SELECT count(*) FROM professional_votes v"
    "  WHERE v.neighbourhood_id = $1 AND v.professional_id = $2 AND v.in_favour = 1),"
    " (SELECT count(*) FROM professional_votes v"
    "  WHERE v.neighbourhood_id = $1 AND v.professional_id = $2 AND v.in_favour = 0),"
    " $6::bigint FROM professional_access a WHERE a.neighbourhood_id = $1 AND a.user_id = $2"
    " RETURNING id";
// Once per lapse: the partial unique index lets one racing reader win.
constexpr std::string_view kInsertLapse =
    "INSERT INTO professional_events (neighbourhood_id, professional_id, kind, organisation, at)"
    " SELECT a.neighbourhood_id, a.user_id, 'lapsed',"
    " COALESCE((SELECT organisation FROM professional_profiles WHERE user_id = a.user_id), ''),"
    " a.expires_at FROM professional_access a WHERE a.neighbourhood_id = $1 AND a.user_id = $2"
    " AND a.status = 'active' AND a.expires_at = $3::bigint AND a.renewal_requested_at IS NULL"
    " ON CONFLICT DO NOTHING RETURNING id";
// Every verified member of the neighbourhood, in one statement however many.
constexpr std::string_view kNotifyMembersOfRequest =
    "INSERT INTO notifications (user_id, kind, event_id, actor_id, created_at)"
    " SELECT m.user_id, 'professional_request', $2::bigint, $3::bigint, $4::bigint"
    " FROM memberships m WHERE m.neighbourhood_id = $1 AND m.status = 'verified'";
constexpr std::string_view kNotifyProfessional =
    "INSERT INTO notifications (user_id, kind, event_id, actor_id, created_at)"
    " VALUES ($1, 'professional_access', $2, $3, $4)";
constexpr std::string_view kRequestRenewal =
    "UPDATE professional_access SET renewal_requested_at = $3::bigint, updated_at = $3::bigint"
    " WHERE neighbourhood_id = $1 AND user_id = $2";
constexpr auto kEventsIn = join(kAccessEventColumns,
                                " WHERE ev.neighbourhood_id = $1 AND ev.id < $2"
                                " ORDER BY ev.id DESC LIMIT $3");
constexpr auto kActivityIn = join(kActivityColumns,
                                  " WHERE a.neighbourhood_id = $1"
                                  " ORDER BY a.requested_at, a.user_id");
constexpr auto kOpenedBy =
    join(kOpenedPostColumns, " WHERE v.professional_id = $1 ORDER BY v.id");
// $1 neighbourhood, $2 cursor, $3 scope ("care,contacts"), $4 kind,
// $5 category, $6 status, $7 page size, $8 now. One backwards range scan of
// posts_neighbourhood, filtered as it goes.
constexpr auto kProfessionalFeed = join(
    kPostColumns,
    " WHERE p.neighbourhood_id = $1::bigint AND p.id < $2::bigint"
    " AND p.not_for_professionals = 0"
    " AND p.hidden_at IS NULL"
    " AND strpos(',' || $3::text || ',', ',' || p.category || ',') > 0"
    " AND ($4::text IS NULL OR p.kind = $4::text)"
    " AND ($5::text IS NULL OR p.category = $5::text)"
    " AND ($6::text IS NULL OR (CASE WHEN p.status = 'open' AND p.expires_at <= $8::bigint"
    "  THEN 'expired' ELSE p.status END) = $6::text)"
    " ORDER BY p.id DESC LIMIT $7::bigint");
constexpr std::string_view kInsertView =
    "INSERT INTO professional_views (post_id, professional_id, organisation, viewed_at)"
    " VALUES ($1, $2, $3, $4)";
constexpr auto kViewsOf = join(kViewColumns, " WHERE v.post_id = $1 ORDER BY v.id DESC");

constexpr std::string_view kNoProfile = "No professional profile.";
constexpr std::string_view kNoAccess = "No such professional access.";

ProfessionalProfile read_profile(const Row& q) { return store_rows::read_profile(q); }
ProfessionalSettings read_settings(const Row& q) { return store_rows::read_settings(q); }
ProfessionalAccess read_access(const Row& q) { return store_rows::read_access(q); }
ProfessionalView read_view(const Row& q) { return store_rows::read_view(q); }
AccessEvent read_access_event(const Row& q) { return store_rows::read_access_event(q); }
ProfessionalActivity read_activity(const Row& q) { return store_rows::read_activity(q); }
OpenedPost read_opened_post(const Row& q) { return store_rows::read_opened_post(q); }

// Writes a log entry for the access (n, u) and tells whom it concerns: the
// neighbourhood's verified members of a request, the professional of
// anything else. In the caller's transaction.
void log_access_event(Connection& db, NeighbourhoodId n, UserId u, const NewAccessEvent& e,
                      TimePoint at) {
  const Rows inserted =
      db.query(kInsertAccessEvent, n, u, to_string(e.kind), e.rule, e.actor, at);
  if (inserted.empty()) return;
  const std::int64_t event_id = inserted.front().int64(0);
  if (e.kind == AccessEventKind::requested || e.kind == AccessEventKind::renewal_requested)
    db.query(kNotifyMembersOfRequest, n, event_id, u, at);
  else
    db.query(kNotifyProfessional, u, event_id, e.actor, at);
}

// The lapse of (n, u) at expires_at, once; whether this call wrote it.
bool log_lapse(Connection& db, NeighbourhoodId n, UserId u, TimePoint expires_at) {
  const Rows inserted = db.query(kInsertLapse, n, u, expires_at);
  if (inserted.empty()) return false;
  db.query(kNotifyProfessional, u, inserted.front().int64(0), std::optional<UserId>{},
           expires_at);
  return true;
}

}  // namespace

Result<ProfessionalProfile> PostgresStore::put_professional_profile(
    const ProfessionalProfile& p) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ProfessionalProfile> {
                     if (db.query(kLockLiveUser, p.user_id).empty())
                       return not_found(std::string(kNoUser));
                     db.query(kPutProfile, p.user_id, p.organisation, p.function,
                              p.description, p.updated_at);
                     return one_row(db, kGetProfile, read_profile, kNoProfile, p.user_id);
                   });
}

Result<ProfessionalProfile> PostgresStore::get_professional_profile(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetProfile, read_profile, kNoProfile, user);
  });
}

Status PostgresStore::delete_professional_profile(UserId user) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    if (db.query(kDeleteProfileOf, user).affected() == 0)
      return not_found(std::string(kNoProfile));
    return {};
  });
}

Result<ProfessionalSettings> PostgresStore::get_professional_settings(NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<ProfessionalSettings> {
                    auto found = one_row(db, kGetSettings, read_settings, "", n);
                    if (found) return found;
                    if (db.query(kNeighbourhoodExists, n).empty())
                      return not_found(std::string(kNoNeighbourhood));
                    ProfessionalSettings defaults;
                    defaults.neighbourhood_id = n;
                    return defaults;
                  });
}

Result<ProfessionalSettings> PostgresStore::put_professional_settings(
    const ProfessionalSettings& s) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ProfessionalSettings> {
                     db.query(kPutSettings, s.neighbourhood_id, s.admission, s.objection_days,
                              s.objection_count, s.vote_quorum, s.vote_majority_percent,
                              store_rows::format_scope(s.scope), s.access_months,
                              s.updated_at.value_or(TimePoint{}));
                     return one_row(db, kGetSettings, read_settings, kNoNeighbourhood,
                                    s.neighbourhood_id);
                   });
}

Result<ProfessionalAccess> PostgresStore::request_professional_access(
    const NewProfessionalAccess& r) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<ProfessionalAccess> {
        const Rows state = db.query(kLockAccessState, r.neighbourhood_id, r.professional);
        if (!state.empty()) {
          const AccessStatus status = state.front().enum_value(0, parse_access_status);
          const auto expires = state.front().optional_time(1);
          const bool lapsed = status == AccessStatus::active && expires &&
                              *expires <= r.requested_at && state.front().is_null(3);
          if (status != AccessStatus::refused && status != AccessStatus::revoked && !lapsed)
            return conflict("A request or access exists already.");
          if (lapsed) log_lapse(db, r.neighbourhood_id, r.professional, *expires);
        }
        db.query(kPutRequest, r.neighbourhood_id, r.professional, r.purpose, r.requested_at);
        db.query(kClearObjections, r.neighbourhood_id, r.professional);
        db.query(kClearVotes, r.neighbourhood_id, r.professional);
        log_access_event(db, r.neighbourhood_id, r.professional,
                         NewAccessEvent{.kind = AccessEventKind::requested}, r.requested_at);
        return one_row(db, kGetAccess, read_access, kNoAccess, r.neighbourhood_id,
                       r.professional);
      });
}

Result<ProfessionalAccess> PostgresStore::get_professional_access(NeighbourhoodId n, UserId u) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) {
    return one_row(db, kGetAccess, read_access, kNoAccess, n, u);
  });
}

Result<std::vector<ProfessionalAccess>> PostgresStore::professional_access_in(
    NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ProfessionalAccess>> {
                    return all_rows(db, kAccessIn, read_access, n);
                  });
}

Result<std::vector<ProfessionalAccess>> PostgresStore::professional_access_of(UserId u) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ProfessionalAccess>> {
                    return all_rows(db, kAccessOf, read_access, u);
                  });
}

Result<ProfessionalAccess> PostgresStore::transition_professional_access(
    NeighbourhoodId n, UserId u, const AccessTransition& t) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<ProfessionalAccess> {
        const Rows state = db.query(kLockAccessState, n, u);
        if (state.empty()) return not_found(std::string(kNoAccess));
        const AccessStatus status = state.front().enum_value(0, parse_access_status);
        if (std::ranges::find(t.from, status) == t.from.end())
          return conflict("The access's status does not allow this change.");
        if (t.buddy_must_be_free && !state.front().is_null(2))
          return conflict("This professional has a buddy already.");
        if (t.renewal_pending && *t.renewal_pending == state.front().is_null(3))
          return conflict("The renewal's state does not allow this change.");
        if (t.objections_below &&
            db.query(kObjectionCount, n, u).front().int64(0) >= *t.objections_below)
          return conflict("Too many residents object.");
        if (t.votes_were) {
          auto now = one_row(db, kGetAccess, read_access, kNoAccess, n, u);
          if (!now) return now;
          if (std::pair(now->votes_in_favour, now->votes_against) != *t.votes_were)
            return conflict("The votes changed.");
        }
        db.query(kTransitionAccess, n, u, t.to, t.at, t.decided_by, t.buddy, t.active_since,
                 t.expires_at, std::int64_t{t.decided ? 1 : 0},
                 std::int64_t{t.end_renewal ? 1 : 0});
        if (t.event) log_access_event(db, n, u, *t.event, t.at);
        if (t.clear_objections) db.query(kClearObjections, n, u);
        if (t.clear_votes) db.query(kClearVotes, n, u);
        return one_row(db, kGetAccess, read_access, kNoAccess, n, u);
      });
}

Result<int> PostgresStore::object_to_professional(const ProfessionalObjection& o,
                                                  const std::vector<AccessStatus>& allowed) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<int> {
        const Rows state = db.query(kLockAccessState, o.neighbourhood_id, o.professional);
        if (state.empty()) return not_found(std::string(kNoAccess));
        if (std::ranges::find(allowed, state.front().enum_value(0, parse_access_status)) ==
            allowed.end())
          return conflict("The access's status does not allow an objection.");
        if (db.query(kInsertObjection, o.neighbourhood_id, o.professional, o.resident, o.reason,
                     o.at)
                .empty())
          return conflict("You objected already.");
        return static_cast<int>(
            db.query(kObjectionCount, o.neighbourhood_id, o.professional).front().int64(0));
      });
}

Result<ProfessionalAccess> PostgresStore::vote_on_professional(const ProfessionalVote& v) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<ProfessionalAccess> {
        const Rows state = db.query(kLockAccessState, v.neighbourhood_id, v.professional);
        if (state.empty()) return not_found(std::string(kNoAccess));
        const AccessStatus status = state.front().enum_value(0, parse_access_status);
        const bool renewal = status == AccessStatus::active && !state.front().is_null(3);
        if (status != AccessStatus::requested && !renewal)
          return conflict("Only a request that waits can be voted on.");
        db.query(kPutVote, v.neighbourhood_id, v.professional, v.resident,
                 std::int64_t{v.in_favour ? 1 : 0}, v.at);
        return one_row(db, kGetAccess, read_access, kNoAccess, v.neighbourhood_id,
                       v.professional);
      });
}

Result<std::vector<Post>> PostgresStore::professional_feed(const ProfessionalFeedQuery& q) {
  if (q.limit <= 0 || q.scope.empty()) return std::vector<Post>{};
  const PostId before = q.before.value_or(PostId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Post>> {
                    return all_rows(db, kProfessionalFeed, read_post, q.neighbourhood_id,
                                    before, store_rows::format_scope(q.scope), q.kind,
                                    q.category, q.status, q.limit, q.now);
                  });
}

Status PostgresStore::record_professional_view(const ProfessionalView& v) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Status {
    db.query(kInsertView, v.post_id, v.professional.id, v.organisation, v.viewed_at);
    return {};
  });
}

Result<std::vector<ProfessionalView>> PostgresStore::professional_views_of(PostId post_id) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ProfessionalView>> {
                    return all_rows(db, kViewsOf, read_view, post_id);
                  });
}

Result<std::vector<AccessEvent>> PostgresStore::professional_events(
    NeighbourhoodId n, std::optional<std::int64_t> before, int limit) {
  if (limit <= 0) return std::vector<AccessEvent>{};
  const std::int64_t cursor = before.value_or(std::numeric_limits<std::int64_t>::max());
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<AccessEvent>> {
                    return all_rows(db, kEventsIn, read_access_event, n, cursor, limit);
                  });
}

Result<std::vector<ProfessionalActivity>> PostgresStore::professional_activity(
    NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ProfessionalActivity>> {
                    return all_rows(db, kActivityIn, read_activity, n);
                  });
}

Result<bool> PostgresStore::record_professional_lapse(NeighbourhoodId n, UserId u,
                                                      TimePoint expires_at) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<bool> {
                     return log_lapse(db, n, u, expires_at);
                   });
}

Result<ProfessionalAccess> PostgresStore::request_professional_renewal(NeighbourhoodId n,
                                                                       UserId u, TimePoint at) {
  return run_write(
      *pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<ProfessionalAccess> {
        const Rows state = db.query(kLockAccessState, n, u);
        if (state.empty()) return not_found(std::string(kNoAccess));
        const auto expires = state.front().optional_time(1);
        if (state.front().enum_value(0, parse_access_status) != AccessStatus::active ||
            !expires || *expires <= at || !state.front().is_null(3))
          return conflict("Only active access without a renewal waiting can be renewed.");
        db.query(kRequestRenewal, n, u, at);
        db.query(kClearObjections, n, u);
        db.query(kClearVotes, n, u);
        log_access_event(db, n, u, NewAccessEvent{.kind = AccessEventKind::renewal_requested},
                         at);
        return one_row(db, kGetAccess, read_access, kNoAccess, n, u);
      });
}

Result<std::vector<OpenedPost>> PostgresStore::posts_opened_by(UserId u) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<OpenedPost>> {
                    return all_rows(db, kOpenedBy, read_opened_post, u);
                  });
}

// --- notifications (in-app) -------------------------------------------------------

Result<std::vector<Notification>> PostgresStore::notifications(
    UserId user, std::optional<NotificationId> before, int limit) {
  if (limit <= 0) return std::vector<Notification>{};
  const NotificationId cursor =
      before.value_or(NotificationId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Notification>> {
                    return all_rows(db, kNotificationsOf, read_notification, user, cursor,
                                    limit);
                  });
}

Result<int> PostgresStore::unread_notifications(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<int> {
    const Rows rows = db.query(kUnreadNotifications, user);
    if (rows.empty()) return 0;
    return static_cast<int>(rows.front().int64(0));
  });
}

Result<int> PostgresStore::mark_notifications_read(UserId user,
                                                   const std::vector<NotificationId>& ids,
                                                   std::optional<NotificationId> up_to,
                                                   TimePoint at) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<int> {
    int marked = 0;
    if (up_to) marked += db.query(kMarkNotificationsReadUpTo, user, *up_to, at).size();
    for (const NotificationId id : ids)
      marked += db.query(kMarkNotificationRead, user, id, at).size();
    return marked;
  });
}

// --- follow-ups (scheduler) ---------------------------------------------------------

Result<std::vector<PostId>> PostgresStore::expire_due_posts(TimePoint now, int limit) {
  if (limit <= 0) return std::vector<PostId>{};
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<std::vector<PostId>> {
    auto ids = all_rows(db, kExpireDuePosts, [](const Row& q) { return q.id<PostId>(0); }, now,
                        limit);
    std::ranges::sort(ids);
    return ids;
  });
}

namespace {

// Claims posts with `claim` (bound: now, due_by, limit) and tells about each
// with `notify` (bound: post, now), in one transaction. A racing process's
// insert of the same claim waits for this one and then does nothing.
template <typename Pool, typename Timer>
Result<std::vector<PostId>> claim_and_notify(Pool& pool, const Timer& timer,
                                             std::string_view operation, std::string_view claim,
                                             std::string_view notify, TimePoint now,
                                             TimePoint due_by, int limit) {
  if (limit <= 0) return std::vector<PostId>{};
  return run_write(pool, timer, operation, [&](Connection& db) -> Result<std::vector<PostId>> {
    auto ids = all_rows(db, claim, [](const Row& q) { return q.id<PostId>(0); }, now, due_by,
                        limit);
    for (const PostId id : ids) db.query(notify, id, now);
    std::ranges::sort(ids);
    return ids;
  });
}

}  // namespace

Result<std::vector<PostId>> PostgresStore::escalate_unanswered_asks(TimePoint now,
                                                                    TimePoint asked_by,
                                                                    int limit) {
  return claim_and_notify(*pool_, options_.on_operation, __func__, kClaimUnanswered,
                          kNotifyConnectors, now, asked_by, limit);
}

Result<std::vector<PostId>> PostgresStore::check_in_on_promised(TimePoint now,
                                                                TimePoint promised_by,
                                                                int limit) {
  return claim_and_notify(*pool_, options_.on_operation, __func__, kClaimCheckIn, kNotifyCheckIn,
                          now, promised_by, limit);
}

// --- moderation (issue #8; docs/moderation.md) -------------------------------------
namespace {

constexpr std::string_view kInsertReport =
    "INSERT INTO reports (neighbourhood_id, reporter_id, target_kind, target_id,"
    " target_user_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
constexpr auto kGetReport = join(store_rows::kReportColumns, " WHERE r.id = $1");
constexpr auto kOpenReports = join(store_rows::kReportColumns,
                                   " WHERE r.neighbourhood_id = $1 AND r.resolved_at IS NULL"
                                   " ORDER BY r.id");
// Locked, so two managers acting on one report at once act one after the
// other, and the second finds it resolved.
constexpr auto kLockOpenReport = join(store_rows::kReportColumns,
                                      " WHERE r.id = $1 AND r.neighbourhood_id = $2"
                                      " AND r.resolved_at IS NULL FOR UPDATE OF r");
constexpr std::string_view kHidePost =
    "UPDATE posts SET hidden_at = COALESCE(hidden_at, $3) WHERE id = $1 AND neighbourhood_id = $2";
constexpr std::string_view kHideResponse =
    "UPDATE responses SET hidden_at = COALESCE(hidden_at, $3)"
    " WHERE id = $1 AND neighbourhood_id = $2";
constexpr std::string_view kLockMemberState =
    "SELECT role, status FROM memberships WHERE neighbourhood_id = $1 AND user_id = $2"
    " FOR UPDATE";
constexpr std::string_view kSuspend =
    "UPDATE memberships SET status = 'suspended', connector_since = NULL"
    " WHERE neighbourhood_id = $1 AND user_id = $2";
constexpr std::string_view kResolveReports =
    "UPDATE reports SET resolved_at = $4 WHERE neighbourhood_id = $1 AND target_kind = $2"
    " AND target_id = $3 AND resolved_at IS NULL";
constexpr std::string_view kInsertLogEntry =
    "INSERT INTO moderation_log (neighbourhood_id, moderator_id, action, target_kind, target_id,"
    " target_user_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr auto kGetLogEntry = join(store_rows::kModerationEntryColumns, " WHERE l.id = $1");
constexpr auto kModerationLog = join(store_rows::kModerationEntryColumns,
                                     " WHERE l.neighbourhood_id = $1 AND l.id < $2"
                                     " ORDER BY l.id DESC LIMIT $3");
constexpr auto kGetHouseRules =
    join(store_rows::kHouseRulesColumns, " WHERE neighbourhood_id = $1");
constexpr std::string_view kPutHouseRules =
    "INSERT INTO house_rules (neighbourhood_id, markdown, html, updated_by, updated_at)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (neighbourhood_id) DO UPDATE SET"
    " markdown = excluded.markdown, html = excluded.html, updated_by = excluded.updated_by,"
    " updated_at = excluded.updated_at";

constexpr std::string_view kNoReport = "No such open report.";
constexpr std::string_view kNoLogEntry = "No such moderation entry.";

Report read_report(const Row& q) { return store_rows::read_report(q); }
ModerationEntry read_moderation_entry(const Row& q) {
  return store_rows::read_moderation_entry(q);
}
HouseRules read_house_rules(const Row& q) { return store_rows::read_house_rules(q); }

}  // namespace

Result<Report> PostgresStore::create_report(const NewReport& r) {
  return run_write(*pool_, options_.on_operation, __func__, [&](Connection& db) -> Result<Report> {
    const ReportId id{returning_id(db.query(kInsertReport, r.neighbourhood_id, r.reporter,
                                            r.target_kind, r.target_id, r.target_user, r.reason,
                                            r.created_at))};
    return one_row(db, kGetReport, read_report, kNoReport, id);
  });
}

Result<std::vector<Report>> PostgresStore::open_reports(NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<Report>> {
                    return all_rows(db, kOpenReports, read_report, n);
                  });
}

Result<std::vector<ModerationEntry>> PostgresStore::moderate(const ModerationDecision& d) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<std::vector<ModerationEntry>> {
    // Every report is read (and locked) before anything changes: two
    // reports about one thing are one target, acted on once.
    std::vector<Report> targets;
    for (ReportId id : d.reports) {
      auto report = one_row(db, kLockOpenReport, read_report, kNoReport, id, d.neighbourhood_id);
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
        db.query(t.target_kind == ReportTarget::post ? kHidePost : kHideResponse, t.target_id,
                 d.neighbourhood_id, d.at);
      } else if (d.action == ModerationAction::suspend) {
        const Rows m = db.query(kLockMemberState, d.neighbourhood_id, t.target_user.id);
        if (!m.empty()) {
          const Role role = m.front().enum_value(0, parse_role);
          const MemberStatus status = m.front().enum_value(1, parse_member_status);
          if (role == Role::manager) return conflict("A manager can't be suspended.");
          if (status == MemberStatus::verified)
            db.query(kAdjustMemberCount, d.neighbourhood_id, -1);
          db.query(kSuspend, d.neighbourhood_id, t.target_user.id);
        }
      }
      db.query(kResolveReports, d.neighbourhood_id, t.target_kind, t.target_id, d.at);
      const ModerationEntryId id{returning_id(
          db.query(kInsertLogEntry, d.neighbourhood_id, d.moderator, d.action, t.target_kind,
                   t.target_id, t.target_user.id, d.reason, d.at))};
      auto entry = one_row(db, kGetLogEntry, read_moderation_entry, kNoLogEntry, id);
      if (!entry) return fail(entry.error());
      entries.push_back(std::move(*entry));
    }
    return entries;
  });
}

Result<std::vector<ModerationEntry>> PostgresStore::moderation_log(
    NeighbourhoodId n, std::optional<ModerationEntryId> before, int limit) {
  if (limit <= 0) return std::vector<ModerationEntry>{};
  const ModerationEntryId cursor =
      before.value_or(ModerationEntryId{std::numeric_limits<std::int64_t>::max()});
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<std::vector<ModerationEntry>> {
                    return all_rows(db, kModerationLog, read_moderation_entry, n, cursor, limit);
                  });
}

Result<HouseRules> PostgresStore::get_house_rules(NeighbourhoodId n) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<HouseRules> {
                    auto rules = one_row(db, kGetHouseRules, read_house_rules, "", n);
                    if (rules || rules.error().code != ErrorCode::not_found) return rules;
                    if (db.query(kNeighbourhoodExists, n).empty())
                      return not_found(std::string(kNoNeighbourhood));
                    return HouseRules{.neighbourhood_id = n};
                  });
}

Result<HouseRules> PostgresStore::put_house_rules(const HouseRules& r) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<HouseRules> {
                     db.query(kPutHouseRules, r.neighbourhood_id, r.markdown, r.html,
                              r.updated_by, r.updated_at);
                     return one_row(db, kGetHouseRules, read_house_rules, kNoNeighbourhood,
                                    r.neighbourhood_id);
                   });
}

// --- un-doing moderation, connectors, the dashboard (issue #8) ----------------------
namespace {

constexpr std::string_view kUnhidePost =
    "UPDATE posts SET hidden_at = NULL WHERE id = $1 AND neighbourhood_id = $2"
    " AND hidden_at IS NOT NULL RETURNING author_id";
constexpr std::string_view kUnhideResponse =
    "UPDATE responses SET hidden_at = NULL WHERE id = $1 AND neighbourhood_id = $2"
    " AND hidden_at IS NOT NULL RETURNING responder_id";
constexpr std::string_view kPostOf =
    "SELECT author_id FROM posts WHERE id = $1 AND neighbourhood_id = $2";
constexpr std::string_view kResponseOf =
    "SELECT responder_id FROM responses WHERE id = $1 AND neighbourhood_id = $2";
constexpr std::string_view kSuspendedState =
    "SELECT status, CASE WHEN verified_at IS NULL THEN 0 ELSE 1 END FROM memberships"
    " WHERE neighbourhood_id = $1 AND user_id = $2 FOR UPDATE";
// Back to verified, or to pending for someone who was never verified.
constexpr std::string_view kLift =
    "UPDATE memberships SET status = CASE WHEN verified_at IS NULL THEN 'pending'"
    " ELSE 'verified' END WHERE neighbourhood_id = $1 AND user_id = $2 AND status = 'suspended'";
constexpr auto kReportsBy =
    join(store_rows::kReportColumns, " WHERE r.reporter_id = $1 ORDER BY r.id");
constexpr auto kLogAbout =
    join(store_rows::kModerationEntryColumns, " WHERE l.target_user_id = $1 ORDER BY l.id");

constexpr std::string_view kOptIn =
    "UPDATE memberships SET connector_since = COALESCE(connector_since, $3)"
    " WHERE neighbourhood_id = $1 AND user_id = $2 AND role = 'resident' AND status = 'verified'";
constexpr std::string_view kOptOut =
    "UPDATE memberships SET connector_since = NULL"
    " WHERE neighbourhood_id = $1 AND user_id = $2 AND role = 'resident' AND status = 'verified'";

// Open asks of $1 without a response, unexpired at $2, not hidden.
constexpr char kUnansweredWhere[] =
    " WHERE p.neighbourhood_id = $1 AND p.kind = 'ask' AND p.status = 'open'"
    " AND p.response_count = 0 AND p.hidden_at IS NULL"
    " AND (p.expires_at IS NULL OR p.expires_at > $2)";
constexpr auto kUnanswered = join(
    "SELECT p.id, p.kind, p.category, p.title, p.author_id, u.display_name, p.created_at"
    " FROM posts p JOIN users u ON u.id = p.author_id",
    kUnansweredWhere, " ORDER BY p.created_at, p.id LIMIT $3");
constexpr auto kUnansweredCount = join("SELECT count(*) FROM posts p", kUnansweredWhere);
constexpr auto kPromised = join(
    "SELECT p.id, p.kind, p.category, p.title, p.author_id, u.display_name,"
    " COALESCE((SELECT MIN(r.accepted_at) FROM responses r WHERE r.post_id = p.id"
    "  AND r.status = 'accepted'), p.created_at) AS promised_at"
    " FROM posts p JOIN users u ON u.id = p.author_id"
    " WHERE p.neighbourhood_id = $1 AND p.status = 'promised' AND p.hidden_at IS NULL"
    " ORDER BY promised_at, p.id LIMIT $2");
constexpr std::string_view kPromisedCount =
    "SELECT count(*) FROM posts p WHERE p.neighbourhood_id = $1 AND p.status = 'promised'"
    " AND p.hidden_at IS NULL";
constexpr auto kNewcomers = join(kMembershipColumns,
    " WHERE m.neighbourhood_id = $1 AND m.status = 'verified'"
    " AND m.role IN ('resident', 'manager') AND m.joined_at >= $2"
    " ORDER BY m.joined_at DESC, m.user_id LIMIT $3");
constexpr std::string_view kNewcomersCount =
    "SELECT count(*) FROM memberships m WHERE m.neighbourhood_id = $1 AND m.status = 'verified'"
    " AND m.role IN ('resident', 'manager') AND m.joined_at >= $2";
constexpr auto kPendingMembers = join(kMembershipColumns,
    " WHERE m.neighbourhood_id = $1 AND m.status = 'pending'"
    " ORDER BY m.joined_at, m.user_id LIMIT $2");
constexpr std::string_view kPendingCount =
    "SELECT count(*) FROM memberships m WHERE m.neighbourhood_id = $1 AND m.status = 'pending'";
constexpr std::string_view kOpenReportCount =
    "SELECT count(*) FROM reports WHERE neighbourhood_id = $1 AND resolved_at IS NULL";

WaitingPost read_waiting(const Row& q) {
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
  const Rows rows = db.query(sql, args...);
  if (rows.empty()) return 0;
  return rows.front().int64(0);
}

}  // namespace

Result<ModerationEntry> PostgresStore::undo_moderation(const ModerationUndo& u) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<ModerationEntry> {
    UserId target_user;
    if (u.action == ModerationAction::unhide) {
      if (u.target_kind == ReportTarget::member) return conflict("A member can't be unhidden.");
      const bool post = u.target_kind == ReportTarget::post;
      const Rows shown =
          db.query(post ? kUnhidePost : kUnhideResponse, u.target_id, u.neighbourhood_id);
      if (shown.empty()) {
        if (db.query(post ? kPostOf : kResponseOf, u.target_id, u.neighbourhood_id).empty())
          return not_found(post ? "No such post." : "No such response.");
        return conflict("It is not hidden.");
      }
      target_user = shown.front().id<UserId>(0);
    } else if (u.action == ModerationAction::lift) {
      if (u.target_kind != ReportTarget::member)
        return conflict("Only a member's suspension can be lifted.");
      const UserId member{u.target_id};
      const Rows state = db.query(kSuspendedState, u.neighbourhood_id, member);
      if (state.empty()) return not_found(std::string(kNoMembership));
      const MemberStatus status = state.front().enum_value(0, parse_member_status);
      const bool was_verified = state.front().int64(1) != 0;
      if (status != MemberStatus::suspended) return conflict("This member is not suspended.");
      db.query(kLift, u.neighbourhood_id, member);
      if (was_verified) db.query(kAdjustMemberCount, u.neighbourhood_id, 1);
      target_user = member;
    } else {
      return conflict("Only unhide and lift undo an action.");
    }
    const ModerationEntryId id{returning_id(
        db.query(kInsertLogEntry, u.neighbourhood_id, u.moderator, u.action, u.target_kind,
                 u.target_id, target_user, u.reason, u.at))};
    return one_row(db, kGetLogEntry, read_moderation_entry, kNoLogEntry, id);
  });
}

Result<ModerationExport> PostgresStore::export_moderation(UserId user) {
  return run_read(*pool_, options_.on_operation, __func__,
                  [&](Connection& db) -> Result<ModerationExport> {
    return ModerationExport{all_rows(db, kReportsBy, read_report, user),
                            all_rows(db, kLogAbout, read_moderation_entry, user)};
  });
}

Result<Membership> PostgresStore::set_connector(NeighbourhoodId n, UserId user,
                                              std::optional<TimePoint> since) {
  return run_write(*pool_, options_.on_operation, __func__,
                   [&](Connection& db) -> Result<Membership> {
    const auto changed = since ? db.query(kOptIn, n, user, *since).affected()
                               : db.query(kOptOut, n, user).affected();
    if (changed == 0) {
      if (db.query(kMembershipExists, n, user).empty())
        return not_found(std::string(kNoMembership));
      return conflict("Only a verified resident opts in or out as a connector.");
    }
    return membership(db, n, user);
  });
}

Result<DashboardData> PostgresStore::dashboard(const DashboardQuery& q) {
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
