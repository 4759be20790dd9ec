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

class ProfessionalService {
 public:
  ProfessionalService(Store& store, const Clock& clock, RateLimiter& limiter,
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

  Store& store_;
  const Clock& clock_;
  RateLimiter& limiter_;
  ProfessionalPolicy policy_;
};

}  // namespace noaber
