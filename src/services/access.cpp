#include "services/access.h"

namespace noaber {

Result<Membership> require_verified_member(Store& store, UserId user, NeighbourhoodId n) {
  auto m = store.get_membership(n, user);
  if (!m) {
    if (m.error().code == ErrorCode::not_found) return fail(ErrorCode::not_found, "Not found.");
    return fail(m.error());
  }
  switch (m->status) {
    case MemberStatus::verified: return m;
    case MemberStatus::pending:
      return fail(ErrorCode::not_verified,
                  "Your membership is waiting for approval by a verified neighbour.");
    case MemberStatus::suspended:
      return fail(ErrorCode::forbidden, "Your membership of this neighbourhood is suspended.");
  }
  return fail(ErrorCode::internal, "Something went wrong on our side.");
}

Result<Membership> require_manager(Store& store, UserId user, NeighbourhoodId n) {
  auto m = require_verified_member(store, user, n);
  if (!m) return m;
  if (m->role != Role::manager)
    return fail(ErrorCode::forbidden, "Only the neighbourhood's managers may do this.");
  return m;
}

Status require_can_read(Store& store, UserId user, const Post& post) {
  auto memberships = store.memberships_of(user);
  if (!memberships) return fail(memberships.error());
  for (const auto& m : *memberships) {
    if (m.status != MemberStatus::verified) continue;
    if (m.neighbourhood_id == post.neighbourhood_id) return {};
    if (post.visibility == Visibility::nearby) {
      auto near = store.are_nearby(m.neighbourhood_id, post.neighbourhood_id);
      if (!near) return fail(near.error());
      if (*near) return {};
    } else if (post.visibility == Visibility::region) {
      auto home = store.get_neighbourhood(m.neighbourhood_id);
      if (!home) return fail(home.error());
      if (home->region_id == post.region_id) return {};
    }
  }
  return fail(ErrorCode::not_found, "Not found.");
}

}  // namespace noaber
