#pragma once
// The embedded SQLite backend of the Store: one database file in WAL mode,
// one write connection and a few read-only connections, safe to call from
// many threads at once.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "store/store.h"

namespace noaber {

namespace sqlite {
class ConnectionPool;
}

// Bytes SQLite holds on the heap right now, over every connection in the
// process: mostly page caches (each connection's grows to its cache_size)
// and prepared statements. Exported as a gauge so memory growth can be told
// apart from a leak.
std::int64_t sqlite_heap_bytes();

struct SqliteOptions {
  std::string path;
  // Read-only connections beside the one write connection; with 0 every
  // read goes through the write connection.
  int read_connections = 4;
  // How long a statement waits for a lock held by another process (a backup,
  // `noaber migrate`) before the store answers `unavailable`.
  std::chrono::milliseconds busy_timeout{5000};
  StoreTimer on_operation;
  // Answers kept in memory per kind of hot read (sessions, memberships,
  // hidden-post authors; read_memo.h); 0 keeps none.
  std::size_t memo_entries = 65536;
};

class SqliteStore final : public Store {
 public:
  // Opens the database (creating the file when needed) and applies the
  // connection settings. Throws std::runtime_error when that fails.
  explicit SqliteStore(SqliteOptions options);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Applies the pending migrations and returns how many it applied. Throws
  // std::runtime_error when one fails; that one leaves no trace.
  int migrate();
  // The highest applied migration; 0 for a new database.
  int schema_version();

  Status ping() override;
  std::optional<std::uint64_t> write_generation() const override;
  Result<std::optional<std::uint64_t>> feed_generation(NeighbourhoodId n) override;

  Result<User> create_user(const NewUser& user) override;
  Result<User> get_user(UserId id) override;
  Result<UserCredentials> find_credentials(std::string_view email) override;
  Status create_session(const NewSession& session) override;
  Result<SessionRecord> find_session(std::string_view token_hash, TimePoint now) override;
  Status touch_session(std::string_view token_hash, TimePoint at) override;
  // Succeeds also when there is no such session, so logging out twice is fine.
  Status delete_session(std::string_view token_hash) override;
  Status delete_sessions_of(UserId user, std::string_view keep) override;
  Result<UserCredentials> credentials_of(UserId user) override;
  Status set_password(UserId user, std::string_view password_hash,
                      std::string_view keep) override;
  Result<UserExport> export_user(UserId user, TimePoint now) override;
  Status erase_user(UserId user, TimePoint at) override;

  Result<Neighbourhood> create_neighbourhood(const NewNeighbourhood& n,
                                             double nearby_km) override;
  Result<Neighbourhood> get_neighbourhood(NeighbourhoodId id) override;
  Result<std::vector<Neighbourhood>> search_neighbourhoods(
      const NeighbourhoodSearch& search) override;
  Result<bool> are_nearby(NeighbourhoodId a, NeighbourhoodId b) override;

  Result<std::vector<Membership>> memberships_of(UserId user) override;
  Result<Membership> get_membership(NeighbourhoodId n, UserId user) override;
  Result<std::vector<Membership>> list_members(NeighbourhoodId n,
                                               std::optional<MemberStatus> status) override;
  Result<Membership> add_member(const NewMembership& m) override;
  Result<Membership> add_member_with_invite(const NewMembership& m,
                                            std::string_view code_hash) override;
  Result<Membership> verify_member(NeighbourhoodId n, UserId user, TimePoint at) override;
  Result<Invite> create_invite(const NewInvite& invite) override;

  Result<Post> create_post(const NewPost& post) override;
  Result<Post> get_post(PostId id) override;
  Result<std::vector<Post>> feed(const FeedQuery& q) override;
  Result<bool> has_hidden_posts(UserId author) override;
  Result<Post> update_post(PostId id, const PostPatch& patch,
                           std::vector<PostStatus> allowed_from) override;
  Result<Post> set_post_status(PostId id, std::vector<PostStatus> allowed_from,
                               PostStatus to, TimePoint at) override;

  Result<PostResponse> create_response(const NewResponse& r) override;
  Result<PostResponse> get_response(ResponseId id) override;
  Result<std::vector<PostResponse>> responses_for(PostId post) override;
  Result<PostResponse> accept_response(ResponseId id, TimePoint at) override;
  Result<std::vector<Exchange>> complete_post(const Completion& c) override;
  Result<std::vector<Exchange>> exchanges(NeighbourhoodId n, std::optional<ExchangeId> before,
                                          int limit) override;

  // community health (issue #8)
  Result<std::vector<TieExchange>> tie_exchanges(NeighbourhoodId n, TimePoint until) override;
  Result<std::vector<PostOutcome>> post_outcomes(NeighbourhoodId n, TimePoint from,
                                                 TimePoint until) override;

  Result<ProfessionalProfile> put_professional_profile(const ProfessionalProfile& p) override;
  Result<ProfessionalProfile> get_professional_profile(UserId user) override;
  Status delete_professional_profile(UserId user) override;
  Result<ProfessionalSettings> get_professional_settings(NeighbourhoodId n) override;
  Result<ProfessionalSettings> put_professional_settings(const ProfessionalSettings& s) override;
  Result<ProfessionalAccess> request_professional_access(const NewProfessionalAccess& r) override;
  Result<ProfessionalAccess> get_professional_access(NeighbourhoodId n, UserId u) override;
  Result<std::vector<ProfessionalAccess>> professional_access_in(NeighbourhoodId n) override;
  Result<std::vector<ProfessionalAccess>> professional_access_of(UserId u) override;
  Result<ProfessionalAccess> transition_professional_access(NeighbourhoodId n, UserId u,
                                                            const AccessTransition& t) override;
  Result<int> object_to_professional(const ProfessionalObjection& o,
                                     const std::vector<AccessStatus>& allowed) override;
  Result<ProfessionalAccess> vote_on_professional(const ProfessionalVote& v) override;
  Result<std::vector<Post>> professional_feed(const ProfessionalFeedQuery& q) override;
  Status record_professional_view(const ProfessionalView& v) override;
  Result<std::vector<ProfessionalView>> professional_views_of(PostId post) override;
  Result<std::vector<AccessEvent>> professional_events(NeighbourhoodId n,
                                                       std::optional<std::int64_t> before,
                                                       int limit) override;
  Result<std::vector<ProfessionalActivity>> professional_activity(NeighbourhoodId n) override;
  Result<bool> record_professional_lapse(NeighbourhoodId n, UserId professional,
                                         TimePoint expires_at) override;
  Result<ProfessionalAccess> request_professional_renewal(NeighbourhoodId n, UserId professional,
                                                          TimePoint at) override;
  Result<std::vector<OpenedPost>> posts_opened_by(UserId professional) override;

  // notifications (in-app)
  Result<std::vector<Notification>> notifications(UserId user,
                                                  std::optional<NotificationId> before,
                                                  int limit) override;
  Result<int> unread_notifications(UserId user) override;
  Result<int> mark_notifications_read(UserId user, const std::vector<NotificationId>& ids,
                                      std::optional<NotificationId> up_to,
                                      TimePoint at) override;
  // follow-ups (scheduler)
  Result<std::vector<PostId>> expire_due_posts(TimePoint now, int limit) override;
  Result<std::vector<PostId>> escalate_unanswered_asks(TimePoint now, TimePoint asked_by,
                                                       int limit) override;
  Result<std::vector<PostId>> check_in_on_promised(TimePoint now, TimePoint promised_by,
                                                   int limit) override;

  // --- moderation (issue #8) ---
  Result<Report> create_report(const NewReport& report) override;
  Result<std::vector<Report>> open_reports(NeighbourhoodId n) override;
  Result<std::vector<ModerationEntry>> moderate(const ModerationDecision& d) override;
  Result<std::vector<ModerationEntry>> moderation_log(
      NeighbourhoodId n, std::optional<ModerationEntryId> before, int limit) override;
  Result<HouseRules> get_house_rules(NeighbourhoodId n) override;
  Result<HouseRules> put_house_rules(const HouseRules& rules) override;
  Result<ModerationEntry> undo_moderation(const ModerationUndo& undo) override;
  Result<ModerationExport> export_moderation(UserId user) override;
  Result<Membership> set_connector(NeighbourhoodId n, UserId user,
                                   std::optional<TimePoint> since) override;
  Result<DashboardData> dashboard(const DashboardQuery& q) override;

 private:
  struct Memos;
  SqliteOptions options_;
  std::unique_ptr<sqlite::ConnectionPool> pool_;
  std::unique_ptr<Memos> memos_;
};

}  // namespace noaber
