#include "services/neighbourhoods.h"

#include "core/geo.h"
#include "core/validation.h"
#include "services/access.h"

namespace noaber {

NeighbourhoodService::NeighbourhoodService(Store& store, const Clock& clock,
                                           RandomSource& random, RateLimiter& limiter,
                                           NeighbourhoodPolicy policy)
    : store_(store), clock_(clock), random_(random), limiter_(limiter), policy_(policy) {}

Result<Neighbourhood> NeighbourhoodService::found(UserId founder, const NeighbourhoodInput& input) {
  NewNeighbourhood n{trim(input.name), trim(input.region), input.lat.value_or(0),
                     input.lon.value_or(0), founder, clock_.now()};
  FieldErrors errors;
  check_line(n.name, "name", limits::kNeighbourhoodNameMin, limits::kNeighbourhoodNameMax, errors);
  check_line(n.region_name, "region", limits::kNeighbourhoodNameMin, limits::kRegionNameMax,
             errors);
  if (!input.lat) errors.add("lat", "required");
  else if (!valid_latitude(n.lat)) errors.add("lat", "out_of_range");
  if (!input.lon) errors.add("lon", "required");
  else if (!valid_longitude(n.lon)) errors.add("lon", "out_of_range");
  if (auto s = errors.status(); !s) return fail(s.error());

  auto created = store_.create_neighbourhood(n, policy_.nearby_km);
  if (!created && created.error().code == ErrorCode::conflict)
    return fail(ErrorCode::conflict,
                "You are a resident of a neighbourhood already; a person has one home "
                "neighbourhood.");
  return created;
}

Result<std::vector<Neighbourhood>> NeighbourhoodService::search(const NeighbourhoodQuery& query) {
  NeighbourhoodSearch search;
  if (query.q) {
    std::string q = trim(*query.q);
    if (char_count(q) > limits::kNeighbourhoodNameMax)
      return fail(ErrorCode::bad_request, "The search text is too long.");
    if (!q.empty()) search.name_contains = std::move(q);
  }
  if (query.near) {
    const auto [lat, lon] = *query.near;
    if (!valid_latitude(lat) || !valid_longitude(lon))
      return fail(ErrorCode::bad_request, "near must be a valid LAT,LON.");
    search.near = NeighbourhoodSearch::Near{lat, lon, policy_.search_radius_km};
  }
  return store_.search_neighbourhoods(search);
}

Result<NeighbourhoodView> NeighbourhoodService::get(NeighbourhoodId id,
                                                    std::optional<UserId> viewer) {
  auto n = store_.get_neighbourhood(id);
  if (!n) return fail(n.error());
  NeighbourhoodView view{std::move(*n), std::nullopt};
  if (viewer) {
    auto m = store_.get_membership(id, *viewer);
    if (m)
      view.my_membership = std::move(*m);
    else if (m.error().code != ErrorCode::not_found)
      return fail(m.error());
  }
  return view;
}

Result<IssuedInvite> NeighbourhoodService::create_invite(UserId member, NeighbourhoodId id,
                                                        std::string_view client_ip) {
  if (auto m = require_verified_member(store_, member, id); !m) return fail(m.error());
  if (auto s = limiter_.hit("invite-user:" + std::to_string(member.value),
                            policy_.invites_per_user);
      !s)
    return fail(s.error());
  if (!client_ip.empty())
    if (auto s = limiter_.hit("invite-ip:" + std::string(client_ip), policy_.invites_per_ip); !s)
      return fail(s.error());
  std::string code = new_invite_code(random_);
  const TimePoint now = clock_.now();
  const TimePoint expires = now + policy_.invite_lifetime;
  auto invite = store_.create_invite(NewInvite{id, member, hash_secret(code), now, expires});
  if (!invite) return fail(invite.error());
  return IssuedInvite{std::move(code), expires};
}

Result<JoinResult> NeighbourhoodService::join(UserId user, NeighbourhoodId id,
                                              const std::optional<std::string>& invite_code) {
  if (auto n = store_.get_neighbourhood(id); !n) return fail(n.error());
  const TimePoint now = clock_.now();
  JoinResult result;
  Result<Membership> joined = fail(ErrorCode::not_found, "");
  if (invite_code) {
    const std::string code = normalize_invite_code(*invite_code);
    if (!code.empty() && code.size() <= 64)
      joined = store_.add_member_with_invite(
          NewMembership{id, user, Role::resident, MemberStatus::verified, now},
          hash_secret(code));
    result.invite_code_rejected = !joined && joined.error().code == ErrorCode::not_found;
  }
  if (!invite_code || result.invite_code_rejected)
    joined = store_.add_member(NewMembership{id, user, Role::resident, MemberStatus::pending, now});
  if (!joined) {
    if (joined.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict,
                  "You are a member here already, or a resident of another neighbourhood.");
    return fail(joined.error());
  }
  result.membership = std::move(*joined);
  return result;
}

Result<std::vector<Membership>> NeighbourhoodService::members(UserId viewer, NeighbourhoodId id,
                                                              std::optional<MemberStatus> status) {
  auto me = require_verified_member(store_, viewer, id);
  if (!me) return fail(me.error());
  const MemberStatus wanted = status.value_or(MemberStatus::verified);
  if (wanted != MemberStatus::verified && me->role != Role::manager)
    return fail(ErrorCode::forbidden, "Only managers see members who are not verified.");
  return store_.list_members(id, wanted);
}

Result<Membership> NeighbourhoodService::approve(UserId manager, NeighbourhoodId id,
                                                 UserId member) {
  if (auto m = require_manager(store_, manager, id); !m) return fail(m.error());
  auto target = store_.get_membership(id, member);
  if (!target) return fail(target.error());
  auto verified = store_.verify_member(id, member, clock_.now());
  if (!verified && verified.error().code == ErrorCode::conflict)
    return fail(ErrorCode::conflict, "This member is not waiting for approval.");
  return verified;
}

}  // namespace noaber
