#pragma once
// The one interface every storage backend implements (SQLite now, PostgreSQL
// later). It is the only door to persistent data: no SQL lives outside the
// backends. Each method is atomic on its own; methods that change state take
// the state they expect and answer `conflict` when it no longer holds, so
// racing requests leave exactly one consistent result.
//
// Errors: not_found (no such row), conflict (state or uniqueness does not
// allow it), email_taken (create_user), internal (the database failed).
// Backends never put SQL text or database messages into Error::message.

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/moderation.h"
#include "core/professionals.h"
#include "core/types.h"

namespace noaber {

// Told how long each store operation took, by its name ("feed",
// "create_post"), for /metrics. Optional.
using StoreTimer = std::function<void(std::string_view operation, double seconds)>;

struct SessionRecord {
  UserId user_id;
  TimePoint expires_at;
  TimePoint created_at;
  // Kept to the minute, not to the request (touch_session): the idle limit
  // is days, and a write per request would cost more than it tells.
  TimePoint last_seen_at;
};

// --- community health (issue #8): the raw material of the tie figures ------
// The store only reads these; services/community_health.h computes.

// One exchange as an edge of the tie graph, with each party's home
// neighbourhood: where they are resident or manager now, none for an erased
// person or one without a home membership.
struct TieExchange {
  ExchangeId id;
  UserId giver;
  UserId receiver;
  Category category = Category::goods;
  TimePoint completed_at;
  std::optional<NeighbourhoodId> giver_home;
  std::optional<NeighbourhoodId> receiver_home;
};

// One ask or offer and how it fared: when the first response came, and its
// status.
struct PostOutcome {
  PostId id;
  PostKind kind = PostKind::ask;
  Category category = Category::goods;
  TimePoint created_at;
  std::optional<TimePoint> first_response_at;
  PostStatus status = PostStatus::open;
};

// --- the managers' dashboard (issue #8; docs/managers.md) -------------------

// A post that waits for something: an ask nobody answered yet (since: its
// created_at) or a promised post not completed yet (since: its first
// acceptance).
struct WaitingPost {
  PostId id;
  PostKind kind = PostKind::ask;
  Category category = Category::goods;
  std::string title;
  PersonRef author;
  TimePoint since;
};

struct DashboardQuery {
  NeighbourhoodId neighbourhood_id;
  TimePoint now;
  TimePoint joined_since;  // newcomers: verified members who joined at or after this
  int limit = 20;          // of each list
};

// What needs a manager's or connector's attention now, from one snapshot.
// Hidden posts are left out; open asks past their expiry too.
struct DashboardData {
  std::vector<WaitingPost> unanswered;  // open asks without a response, oldest first
  std::int64_t unanswered_total = 0;
  std::vector<WaitingPost> promised;    // promised posts, longest waiting first
  std::int64_t promised_total = 0;
  std::vector<Membership> newcomers;    // verified residents and managers, newest first
  std::int64_t newcomers_total = 0;
  std::vector<Membership> pending;      // join requests, oldest first
  std::int64_t pending_total = 0;
  std::int64_t open_reports = 0;
};

// What the moderation records hold about one person, for their export.
struct ModerationExport {
  std::vector<Report> reports_filed;      // by them, oldest first
  std::vector<ModerationEntry> about_them;  // log entries whose target is them, oldest first
};

struct Store {
  virtual ~Store() = default;

  // Answers when the database can be read.
  virtual Status ping() = 0;

  // A count that changes with every write this process makes through the
  // store, changed after the write's transaction ended and before the write
  // returns (sqlite_db.h, write_generation). Only writes of nothing but
  // sessions, notifications, follow-up claims or professionals' view
  // records, which no feed shows, may leave it, and a new post that isn't
  // region-wide, which moves feed_generation() of the feeds it reaches. nullopt when the backend can't
  // promise that, e.g. because other processes write the same database
  // (PostgreSQL); the feed cache (services/feed_cache.h) stays off then.
  virtual std::optional<std::uint64_t> write_generation() const { return std::nullopt; }
  // What the feed cache keys neighbourhood n's first page on: a count that
  // changes whenever write_generation() does, and also after a new post
  // that can reach n's feed (of n itself or of a neighbourhood in its
  // nearby set), which leaves write_generation() alone unless region-wide.
  // So the posts of one neighbourhood don't make every other cached page
  // stale. nullopt where write_generation() is.
  virtual Result<std::optional<std::uint64_t>> feed_generation(NeighbourhoodId) {
    return std::optional<std::uint64_t>{};
  }

  // --- users and sessions -------------------------------------------------
  // email_taken when the (normalised) email is registered already.
  virtual Result<User> create_user(const NewUser& user) = 0;
  // get_user and find_credentials answer not_found for an erased user.
  virtual Result<User> get_user(UserId id) = 0;
  virtual Result<UserCredentials> find_credentials(std::string_view email) = 0;
  virtual Status create_session(const NewSession& session) = 0;
  // not_found when unknown, past its absolute expiry at `now`, or of an
  // erased user. The idle limit is the service's to judge (last_seen_at).
  virtual Result<SessionRecord> find_session(std::string_view token_hash,
                                             TimePoint now) = 0;
  // Moves last_seen_at forward to `at` (never back). Succeeds also when the
  // session is gone.
  virtual Status touch_session(std::string_view token_hash, TimePoint at) = 0;
  virtual Status delete_session(std::string_view token_hash) = 0;
  // Ends every session of `user` except the one whose hash is `keep`
  // (empty: ends them all). Logout everywhere.
  virtual Status delete_sessions_of(UserId user, std::string_view keep) = 0;
  // The password hash of a live user; not_found for unknown or erased ones.
  virtual Result<UserCredentials> credentials_of(UserId user) = 0;
  // In one transaction: the new password hash, and every other session of
  // the user (all but `keep`) ended, so a thief's session dies with the old
  // password. not_found for unknown or erased users.
  virtual Status set_password(UserId user, std::string_view password_hash,
                              std::string_view keep) = 0;
  // Everything held about the user, from one snapshot. not_found for
  // unknown or erased users.
  virtual Result<UserExport> export_user(UserId user, TimePoint now) = 0;
  // AVG/GDPR erasure, in one transaction: the users row becomes a tombstone
  // (email 'deleted-<id>@invalid' so the address can register again and the
  // unique index holds, display_name '', password_hash '', deleted_at set);
  // sessions, memberships (member_count kept), unused invites and the
  // notifications to the user go; open
  // and promised posts of the user are closed. Posts, responses, exchanges
  // and thanks stay, their author shown with an empty display name.
  // not_found for unknown or erased users.
  virtual Status erase_user(UserId user, TimePoint at) = 0;

  // --- neighbourhoods ------------------------------------------------------
  // Creates the neighbourhood (and its region when new), stores its nearby
  // set (every neighbourhood whose centroid lies within nearby_km, both
  // directions) and makes the founder a verified manager, in one
  // transaction. conflict when the founder is already a resident or manager
  // somewhere.
  virtual Result<Neighbourhood> create_neighbourhood(const NewNeighbourhood& n,
                                                     double nearby_km) = 0;
  virtual Result<Neighbourhood> get_neighbourhood(NeighbourhoodId id) = 0;
  // By name (case-insensitive substring of the name or region) and/or
  // distance; nearest first when `near` is given, else by name.
  virtual Result<std::vector<Neighbourhood>> search_neighbourhoods(
      const NeighbourhoodSearch& search) = 0;
  // Whether b is in a's nearby set (symmetric).
  virtual Result<bool> are_nearby(NeighbourhoodId a, NeighbourhoodId b) = 0;

  // --- membership ----------------------------------------------------------
  virtual Result<std::vector<Membership>> memberships_of(UserId user) = 0;
  virtual Result<Membership> get_membership(NeighbourhoodId n, UserId user) = 0;
  virtual Result<std::vector<Membership>> list_members(
      NeighbourhoodId n, std::optional<MemberStatus> status) = 0;
  // conflict when already a member here, or a resident/manager elsewhere
  // while joining as one.
  virtual Result<Membership> add_member(const NewMembership& m) = 0;
  // Consumes a valid invite (same neighbourhood, unused, unexpired at
  // m.joined_at) and adds the verified member, in one transaction.
  // not_found when no such usable invite exists; nothing changes then.
  virtual Result<Membership> add_member_with_invite(const NewMembership& m,
                                                    std::string_view code_hash) = 0;
  // pending -> verified; conflict when the member is not pending.
  virtual Result<Membership> verify_member(NeighbourhoodId n, UserId user,
                                           TimePoint at) = 0;
  virtual Result<Invite> create_invite(const NewInvite& invite) = 0;

  // --- posts ---------------------------------------------------------------
  virtual Result<Post> create_post(const NewPost& post) = 0;
  virtual Result<Post> get_post(PostId id) = 0;
  // Posts that reach q.neighbourhood_id: its own, `nearby` posts of its
  // nearby set and `region` posts of its region; newest (highest id) first.
  virtual Result<std::vector<Post>> feed(const FeedQuery& q) = 0;
  // Whether `author` wrote a post that is hidden now (hidden_at set), in any
  // neighbourhood. The feed cache serves no one who did (their feed shows it).
  virtual Result<bool> has_hidden_posts(UserId author) = 0;
  // conflict when the post's status is not one of `allowed_from`.
  virtual Result<Post> update_post(PostId id, const PostPatch& patch,
                                   std::vector<PostStatus> allowed_from) = 0;
  virtual Result<Post> set_post_status(PostId id,
                                       std::vector<PostStatus> allowed_from,
                                       PostStatus to, TimePoint at) = 0;

  // --- responses and exchanges ---------------------------------------------
  // conflict when the post is not open or promised, or the responder has
  // responded to it already.
  virtual Result<PostResponse> create_response(const NewResponse& r) = 0;
  virtual Result<PostResponse> get_response(ResponseId id) = 0;
  virtual Result<std::vector<PostResponse>> responses_for(PostId post) = 0;
  // Each of these three also notifies, in its own transaction: the post's
  // author of a new response (response), the responder of the acceptance
  // (accepted), every accepted responder of the completion (thanks).
  // In one transaction: the response pending -> accepted and its post
  // open/promised -> promised. conflict otherwise.
  virtual Result<PostResponse> accept_response(ResponseId id, TimePoint at) = 0;
  // In one transaction: the post promised -> done and one exchange per
  // accepted response (an ask's responders gave, an offer's received).
  // conflict when the post is not promised.
  virtual Result<std::vector<Exchange>> complete_post(const Completion& c) = 0;
  // Exchanges of posts of this neighbourhood, newest first.
  virtual Result<std::vector<Exchange>> exchanges(NeighbourhoodId n,
                                                  std::optional<ExchangeId> before,
                                                  int limit) = 0;

  // --- community health (issue #8) -----------------------------------------
  // Every exchange of posts of `n` completed before `until`, oldest first
  // (completed_at, then id).
  virtual Result<std::vector<TieExchange>> tie_exchanges(NeighbourhoodId n,
                                                         TimePoint until) = 0;
  // The asks and offers of `n` created in [from, until), oldest first
  // (created_at, id), with the time of their first response from anyone.
  virtual Result<std::vector<PostOutcome>> post_outcomes(NeighbourhoodId n, TimePoint from,
                                                         TimePoint until) = 0;

  // --- professionals (issue 7, core/professionals.h) ------------------------
  // Creates the user's profile or replaces its texts (created_at kept).
  // not_found for unknown or erased users.
  virtual Result<ProfessionalProfile> put_professional_profile(
      const ProfessionalProfile& profile) = 0;
  virtual Result<ProfessionalProfile> get_professional_profile(UserId user) = 0;
  // not_found when the user has none.
  virtual Status delete_professional_profile(UserId user) = 0;
  // The stored settings, or the defaults (updated_at nullopt) for a
  // neighbourhood that never changed them. not_found for unknown ones.
  virtual Result<ProfessionalSettings> get_professional_settings(NeighbourhoodId n) = 0;
  virtual Result<ProfessionalSettings> put_professional_settings(
      const ProfessionalSettings& settings) = 0;
  // A new request, or a new request over one that was refused, revoked or
  // lapsed (active with expires_at at or before requested_at): the old
  // decision, buddy, dates, objections and votes are cleared. conflict
  // otherwise.
  virtual Result<ProfessionalAccess> request_professional_access(
      const NewProfessionalAccess& request) = 0;
  virtual Result<ProfessionalAccess> get_professional_access(NeighbourhoodId n,
                                                             UserId professional) = 0;
  // Oldest request first.
  virtual Result<std::vector<ProfessionalAccess>> professional_access_in(NeighbourhoodId n) = 0;
  virtual Result<std::vector<ProfessionalAccess>> professional_access_of(UserId professional) = 0;
  // conflict unless the stored status is one of t.from (and, with
  // buddy_must_be_free, no buddy was recorded yet; with objections_below,
  // fewer objections stand; with votes_were, the votes are unchanged).
  virtual Result<ProfessionalAccess> transition_professional_access(
      NeighbourhoodId n, UserId professional, const AccessTransition& t) = 0;
  // A resident objects while the access's stored status is one of
  // `allowed`; the number of objections now standing. conflict when the
  // status doesn't allow it or this resident objected already.
  virtual Result<int> object_to_professional(const ProfessionalObjection& objection,
                                             const std::vector<AccessStatus>& allowed) = 0;
  // A resident's vote, or a change of it, while the access is `requested`;
  // the access as it stands then. conflict otherwise.
  virtual Result<ProfessionalAccess> vote_on_professional(const ProfessionalVote& vote) = 0;
  // The neighbourhood's own posts in q.scope that are not marked not for
  // professionals, newest first; filtered in the query, so pages are full.
  virtual Result<std::vector<Post>> professional_feed(const ProfessionalFeedQuery& q) = 0;
  virtual Status record_professional_view(const ProfessionalView& view) = 0;
  // Newest first.
  virtual Result<std::vector<ProfessionalView>> professional_views_of(PostId post) = 0;

  // --- the professional activity log (docs/professionals.md#the-activity-log)
  // request_professional_access and transition_professional_access (with
  // t.event) write their log entry in their own transaction; a request or
  // renewal request also notifies every verified member of the
  // neighbourhood (one INSERT ... SELECT), any other entry the professional.
  // n's entries with an id below `before` (all when nullopt), newest first.
  virtual Result<std::vector<AccessEvent>> professional_events(NeighbourhoodId n,
                                                               std::optional<std::int64_t> before,
                                                               int limit) = 0;
  // Every professional who ever asked n, oldest request first, with counts
  // of their posts, responses and views there.
  virtual Result<std::vector<ProfessionalActivity>> professional_activity(NeighbourhoodId n) = 0;
  // Writes the lapse of an access that is active, expires at `expires_at`
  // and has no renewal waiting, and notifies the professional: once, however
  // many readers race (false for all but the one that wrote it).
  virtual Result<bool> record_professional_lapse(NeighbourhoodId n, UserId professional,
                                                 TimePoint expires_at) = 0;
  // An active access (not past expires_at at `at`, no renewal waiting) asks
  // to be renewed: renewal_requested_at set, this stage's objections and
  // votes cleared, the log entry written and the members notified.
  // conflict otherwise.
  virtual Result<ProfessionalAccess> request_professional_renewal(NeighbourhoodId n,
                                                                  UserId professional,
                                                                  TimePoint at) = 0;
  // The posts the professional opened, oldest first (their export).
  virtual Result<std::vector<OpenedPost>> posts_opened_by(UserId professional) = 0;

  // --- notifications (in-app) ------------------------------------------------
  // Created by create_response, accept_response and complete_post (above).
  // The user's notifications with an id below `before` (all when nullopt),
  // newest (highest id) first.
  virtual Result<std::vector<Notification>> notifications(UserId user,
                                                          std::optional<NotificationId> before,
                                                          int limit) = 0;
  virtual Result<int> unread_notifications(UserId user) = 0;
  // Marks read at `at` those unread notifications of `user` whose id is in
  // `ids`, or (when up_to is set) is at most up_to. Other people's ids are
  // ignored, never marked. Answers how many were marked.
  virtual Result<int> mark_notifications_read(UserId user, const std::vector<NotificationId>& ids,
                                              std::optional<NotificationId> up_to,
                                              TimePoint at) = 0;

  // --- follow-ups (scheduler) --------------------------------------------------
  // In one transaction: every open post whose expires_at is at or before
  // `now` (at most `limit`, earliest expiry first) becomes `expired`, and its
  // author gets an `expired` notification (no actor). The change is
  // conditional on the post still being open, so when several server
  // processes run this at once each post expires, and its author is told,
  // exactly once. Answers the posts this call expired.
  virtual Result<std::vector<PostId>> expire_due_posts(TimePoint now, int limit) = 0;
  // In one transaction: every open, unexpired ask created at or before
  // `asked_by` that has no response and was not escalated before (at most
  // `limit`, oldest first) is marked escalated (follow_ups row) and each
  // connector of its neighbourhood (is_connector(): verified managers and
  // verified residents who opted in), except the asker, gets one
  // `unanswered` notification (the asker as actor). Once per post, also
  // across racing processes.
  virtual Result<std::vector<PostId>> escalate_unanswered_asks(TimePoint now,
                                                               TimePoint asked_by,
                                                               int limit) = 0;
  // The same for promised posts whose first acceptance was at or before
  // `promised_by`: the author gets one `check_in` notification per post.
  virtual Result<std::vector<PostId>> check_in_on_promised(TimePoint now,
                                                           TimePoint promised_by,
                                                           int limit) = 0;

  // --- moderation (issue #8; docs/moderation.md) ----------------------------
  // conflict when the reporter has an open report about this thing already.
  virtual Result<Report> create_report(const NewReport& report) = 0;
  // The open reports of n, oldest first.
  virtual Result<std::vector<Report>> open_reports(NeighbourhoodId n) = 0;
  // In one transaction, for each distinct thing the given reports are about:
  // the action's effect (hide: the post or response gets hidden_at;
  // suspend: the target user's membership of n becomes suspended, a
  // verified one leaving member_count; warn, dismiss: none), every open
  // report of n about it resolved, and one log entry. not_found when a
  // report is not an open report of n; conflict when hide meets a member.
  // Nothing changes on an error. Answers the new log entries.
  virtual Result<std::vector<ModerationEntry>> moderate(const ModerationDecision& d) = 0;
  // Newest first; entries with an id below `before`.
  virtual Result<std::vector<ModerationEntry>> moderation_log(
      NeighbourhoodId n, std::optional<ModerationEntryId> before, int limit) = 0;
  // Empty rules (updated_at nullopt) when never written; not_found for an
  // unknown neighbourhood.
  virtual Result<HouseRules> get_house_rules(NeighbourhoodId n) = 0;
  virtual Result<HouseRules> put_house_rules(const HouseRules& rules) = 0;
  // In one transaction: unhide (a hidden post or response of n is shown
  // again) or lift (a suspended member of n is verified again, or pending
  // when they never were; a verified one counts in member_count again), and
  // one log entry. not_found when the thing is not of n; conflict when it is
  // not hidden or not suspended. Answers the log entry.
  virtual Result<ModerationEntry> undo_moderation(const ModerationUndo& undo) = 0;
  // From one snapshot; empty lists for a user who has none.
  virtual Result<ModerationExport> export_moderation(UserId user) = 0;

  // --- connectors and the dashboard (issue #8; docs/managers.md) ------------
  // Sets (`since`; an earlier opt-in is kept) or clears (nullopt) the
  // connector opt-in of a member of n. The change is conditional on the
  // membership being a verified resident's: conflict otherwise, not_found
  // for non-members. Answers the membership as it is then.
  virtual Result<Membership> set_connector(NeighbourhoodId n, UserId user,
                                           std::optional<TimePoint> since) = 0;
  virtual Result<DashboardData> dashboard(const DashboardQuery& q) = 0;
};

}  // namespace noaber
