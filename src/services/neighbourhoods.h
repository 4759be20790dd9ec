#pragma once
// Founding and finding neighbourhoods, invites, joining and approving.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/types.h"
#include "services/rate_limiter.h"
#include "services/tokens.h"
#include "store/store.h"

namespace noaber {

struct NeighbourhoodPolicy {
  double nearby_km = 2.0;          // nearby sets: centroids within this distance
  double search_radius_km = 25.0;  // "near me" search reaches this far
  std::chrono::seconds invite_lifetime = std::chrono::days(14);
  RateLimit invites_per_user{30, std::chrono::hours(24)};
  RateLimit invites_per_ip{100, std::chrono::hours(24)};
};

struct NeighbourhoodInput {
  std::string name;
  std::string region;
  std::optional<double> lat;
  std::optional<double> lon;
};

struct NeighbourhoodQuery {
  std::optional<std::string> q;
  std::optional<std::pair<double, double>> near;  // lat, lon
};

struct NeighbourhoodView {
  Neighbourhood neighbourhood;
  std::optional<Membership> my_membership;  // the viewer's, when a member
};

struct JoinResult {
  Membership membership;
  bool invite_code_rejected = false;
};

// The code is shown once, to the member who made it.
struct IssuedInvite {
  std::string code;
  TimePoint expires_at;
};

class NeighbourhoodService {
 public:
  NeighbourhoodService(Store& store, const Clock& clock, RandomSource& random,
                       RateLimiter& limiter, NeighbourhoodPolicy policy);

  Result<Neighbourhood> found(UserId founder, const NeighbourhoodInput& input);
  Result<std::vector<Neighbourhood>> search(const NeighbourhoodQuery& query);
  Result<NeighbourhoodView> get(NeighbourhoodId id, std::optional<UserId> viewer);
  // client_ip as for MarketService::create_post.
  Result<IssuedInvite> create_invite(UserId member, NeighbourhoodId id,
                                     std::string_view client_ip = {});
  // With a usable invite code the member is verified at once; without one,
  // or with a code that is used, expired or meant elsewhere, they ask to
  // join and wait as pending (and are told the code was not accepted).
  Result<JoinResult> join(UserId user, NeighbourhoodId id,
                          const std::optional<std::string>& invite_code);
  // Verified members by default; pending or suspended ones only for managers.
  Result<std::vector<Membership>> members(UserId viewer, NeighbourhoodId id,
                                          std::optional<MemberStatus> status);
  Result<Membership> approve(UserId manager, NeighbourhoodId id, UserId member);

  const NeighbourhoodPolicy& policy() const { return policy_; }

 private:
  Store& store_;
  const Clock& clock_;
  RandomSource& random_;
  RateLimiter& limiter_;
  NeighbourhoodPolicy policy_;
};

}  // namespace noaber
