#pragma once
// The PostgreSQL backend of the Store, for several server processes on one
// database: a pool of libpq connections, every method one transaction (or
// one statement), safe to call from many threads and processes at once.

#include <memory>
#include <string>

#include "store/store.h"

namespace noaber {

namespace postgres {
class ConnectionPool;
}

struct PostgresOptions {
  // A libpq connection string: postgresql://user@host:port/db?... or the
  // key=value form.
  std::string url;
  // Connections this process opens at most; each is opened when first
  // needed. Keep the sum over all processes below the server's
  // max_connections.
  int pool_size = 8;
  StoreTimer on_operation;
};

class PostgresStore final : public Store {
 public:
  // Connects once to check the URL and the server. Throws
  // std::runtime_error when that fails.
  explicit PostgresStore(PostgresOptions options);
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // Applies the pending migrations and returns how many it applied. Throws
  // std::runtime_error when one fails; that one leaves no trace.
  int migrate();
  // The highest applied migration; 0 for a new database.
  int schema_version();

  Status ping() override;

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
  PostgresOptions options_;
  std::unique_ptr<postgres::ConnectionPool> pool_;
};

}  // namespace noaber
