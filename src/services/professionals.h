#pragma once
// Professionals alongside residents (issue 7; docs/professionals.md): the
// professional profile, a neighbourhood's settings for professionals,
// asking for access, the community's decision, the resident buddy's
// sign-off, pausing and revoking, and who looked at a resident's post.
// What an active professional may read and write is decided in
// services/access.h and MarketService.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/professionals.h"
#include "events/event_bus.h"
#include "services/community_health.h"
#include "services/rate_limiter.h"
#include "store/store.h"

namespace noaber {

struct ProfessionalPolicy {
  RateLimit requests_per_user{20, std::chrono::hours(24)};
};

namespace limits {
inline constexpr std::size_t kOrganisationMin = 2;
inline constexpr std::size_t kOrganisationMax = 80;
inline constexpr std::size_t kFunctionMax = 80;
inline constexpr std::size_t kProfileDescriptionMax = 500;
inline constexpr std::size_t kPurposeMin = 10;
inline constexpr std::size_t kPurposeMax = 500;
inline constexpr std::size_t kObjectionReasonMax = 500;
}  // namespace limits

struct ProfileInput {
  std::string organisation;
  std::string function;
  std::string description;
};

// Numbers arrive as JSON numbers and must be whole; enums as text, so every
// problem is reported at once with its field.
struct SettingsChanges {
  std::optional<std::string> admission;
  std::optional<double> objection_days;
  std::optional<double> objection_count;
  std::optional<double> vote_quorum;
  std::optional<double> vote_majority_percent;
  std::optional<std::vector<std::string>> scope;
  std::optional<double> access_months;
};

// The buddy's sign-off: every item must be ticked.
struct BuddyChecklist {
  bool introduced = false;         // introduced to the community
  bool house_rules = false;        // went through the house rules
  bool scope_explained = false;    // what they may see, and the view log
};

// A neighbourhood's figures for institutions (docs/professionals.md#figures):
// per calendar month, asks and offers per category, the asks that got a
// response, and completed exchanges. A withheld count is nullopt.
struct CategoryCounts {
  Category category = Category::goods;
  std::optional<std::int64_t> asks = 0;
  std::optional<std::int64_t> offers = 0;
};
struct NeighbourhoodMonth {
  std::chrono::year_month month;
  std::vector<CategoryCounts> categories;  // every category, in wire order
  HealthShare asks_answered;  // asks with at least one response, of all asks
  std::optional<std::int64_t> exchanges = 0;
};
struct NeighbourhoodFigures {
  NeighbourhoodId neighbourhood_id;
  HealthRange range;
  HealthAudience audience = HealthAudience::member;
  std::vector<NeighbourhoodMonth> months;
};
// The months from..to of the posts (created then) and exchanges (completed
// then), with every count under kSuppressBelow withheld for professionals
// (as community_health's for_audience does; a share's numerator also when
// its complement is small).
std::vector<NeighbourhoodMonth> neighbourhood_months(const std::vector<PostOutcome>& posts,
                                                     const std::vector<TieExchange>& exchanges,
                                                     std::chrono::year_month from,
                                                     std::chrono::year_month to,
                                                     HealthAudience audience);

struct ProfessionalLog {
  std::vector<AccessEvent> events;
  std::optional<std::int64_t> next_before;  // set when a further page may exist
  std::vector<ProfessionalActivity> professionals;  // status shown as people see it
};

class ProfessionalService {
 public:
  // `events` hears of every notification this service has stored (the
  // professional's, or every member's for a request) and of access that
  // shrank, so open live streams update or end (services/live_feed.h).
  ProfessionalService(Store& store, const Clock& clock, RateLimiter& limiter, EventBus& events,
                      ProfessionalPolicy policy);

  // The profile of oneself.
  Result<ProfessionalProfile> put_profile(UserId user, const ProfileInput& input);
  Result<std::optional<ProfessionalProfile>> profile(UserId user);
  Status delete_profile(UserId user);
  // One's own requests and accesses, with effective statuses.
  Result<std::vector<ProfessionalAccess>> my_access(UserId user);

  // Verified members read the settings; managers change them.
  Result<ProfessionalSettings> settings(UserId viewer, NeighbourhoodId n);
  Result<ProfessionalSettings> change_settings(UserId manager, NeighbourhoodId n,
                                               const SettingsChanges& changes);

  // A user with a profile who is not a member of n asks for access.
  Result<ProfessionalAccess> request(UserId user, NeighbourhoodId n, const std::string& purpose);
  // Verified members see every request and access, with its purpose.
  Result<std::vector<ProfessionalAccess>> list(UserId viewer, NeighbourhoodId n);
  // The manager rule.
  Result<ProfessionalAccess> approve(UserId manager, NeighbourhoodId n, UserId professional);
  Result<ProfessionalAccess> refuse(UserId manager, NeighbourhoodId n, UserId professional);
  // At once, whatever the admission rule.
  Result<ProfessionalAccess> pause(UserId manager, NeighbourhoodId n, UserId professional);
  Result<ProfessionalAccess> revoke(UserId manager, NeighbourhoodId n, UserId professional);
  // Back to where the pause found it: active (with its old expiry) when the
  // buddy had signed off, else admitted and waiting for the buddy.
  Result<ProfessionalAccess> resume(UserId manager, NeighbourhoodId n, UserId professional);
  // A verified member becomes the admitted professional's buddy ...
  Result<ProfessionalAccess> volunteer_as_buddy(UserId resident, NeighbourhoodId n,
                                                UserId professional);
  // ... and, signing off the checklist, makes the access active.
  Result<ProfessionalAccess> sign_off(UserId buddy, NeighbourhoodId n, UserId professional,
                                      const BuddyChecklist& checklist);

  // A verified member objects, once per stage (docs/professionals.md):
  // under the objection rule against a request that waits, and under any
  // rule against admitted or active access. The objection_count-th
  // objection refuses the request or pauses the access at once.
  Result<ProfessionalAccess> object(UserId resident, NeighbourhoodId n, UserId professional,
                                    const std::string& reason);
  // The vote rule: a verified member votes on a request that waits, or
  // changes their vote, until the period ends (docs/professionals.md).
  // `choice` is "yes" or "no".
  Result<ProfessionalAccess> vote(UserId resident, NeighbourhoodId n, UserId professional,
                                  const std::optional<std::string>& choice);

  // Who looked at a post, for its author only.
  Result<std::vector<ProfessionalView>> views_of(UserId author, PostId post);

  // The neighbourhood's professional activity log, for its verified members
  // (docs/professionals.md#the-activity-log): the entries (newest first,
  // ids below `before`) and, per professional, counts of posts, responses
  // and views. Lapses that happened are written first.
  Result<ProfessionalLog> log(UserId viewer, NeighbourhoodId n,
                              std::optional<std::int64_t> before, int limit);
  // Renewal (docs/professionals.md#renewal): the professional asks, in the
  // last kRenewalWindowDays of active access; the neighbourhood's rule
  // decides as for admission (a manager through approve/refuse).
  Result<ProfessionalAccess> renew(UserId professional, NeighbourhoodId n);
  // The posts the professional opened anywhere, for their export.
  Result<std::vector<OpenedPost>> opened_by(UserId professional);

  static constexpr int kRenewalWindowDays = 30;

  // The neighbourhood's figures: in full for its verified members,
  // suppressed for its active professionals; not_found for anyone else.
  Result<NeighbourhoodFigures> figures(UserId reader, NeighbourhoodId n, const HealthQuery& query);

 private:
  Result<ProfessionalAccess> move(NeighbourhoodId n, UserId professional, AccessTransition t,
                                  std::string_view refused_message);
  ProfessionalAccess shown(ProfessionalAccess access) const;
  // A request whose period under the community's rule has passed is
  // decided now and the decision stored (a conditional update, so racing
  // readers agree); the access as it stands then, with its due date.
  Result<ProfessionalAccess> settle(ProfessionalAccess access,
                                    const ProfessionalSettings& settings);
  Result<ProfessionalAccess> settled(NeighbourhoodId n, UserId professional);
  // A renewal whose period has passed, decided as settle decides a request.
  Result<ProfessionalAccess> settle_renewal(ProfessionalAccess access,
                                            const ProfessionalSettings& settings);
  // Writes the lapse of each lapsed access of n into the log (once).
  Status note_lapses(NeighbourhoodId n, const std::vector<ProfessionalActivity>& activity);
  // Every change of an access goes through here: the store writes it with
  // its log entry and the professional's notification, then the live
  // streams hear of it.
  Result<ProfessionalAccess> transition(NeighbourhoodId n, UserId professional,
                                        const AccessTransition& t);
  // The stored access of `professional` in n; not_found (with the answer
  // every outsider gets) when there is none.
  Result<ProfessionalAccess> stored_access(NeighbourhoodId n, UserId professional);
  // After the store told the professional of a step that may end access.
  void announce_to_professional(UserId professional, bool access_shrank);

  Store& store_;
  const Clock& clock_;
  RateLimiter& limiter_;
  EventBus& events_;
  ProfessionalPolicy policy_;
};

}  // namespace noaber
