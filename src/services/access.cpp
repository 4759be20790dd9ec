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

Result<Membership> require_connector(Store& store, UserId user, NeighbourhoodId n) {
  auto m = require_verified_member(store, user, n);
  if (!m) return m;
  if (!is_connector(*m))
    return fail(ErrorCode::forbidden,
                "Only the neighbourhood's managers and connectors may see this.");
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

AccessStatus effective_status(const ProfessionalAccess& access, TimePoint now) {
  // A renewal waiting for the community's decision keeps access active.
  if (access.status == AccessStatus::active && access.expires_at && *access.expires_at <= now &&
      !access.renewal_requested_at)
    return AccessStatus::lapsed;
  return access.status;
}

Result<ProfessionalGrant> require_active_professional(Store& store, UserId user,
                                                      NeighbourhoodId n, TimePoint now) {
  auto hidden = [](const Error& e) -> std::unexpected<Error> {
    if (e.code == ErrorCode::not_found) return fail(ErrorCode::not_found, "Not found.");
    return fail(e);
  };
  auto access = store.get_professional_access(n, user);
  if (!access) return hidden(access.error());
  if (effective_status(*access, now) != AccessStatus::active)
    return fail(ErrorCode::not_found, "Not found.");
  auto profile = store.get_professional_profile(user);
  if (!profile) return hidden(profile.error());
  auto settings = store.get_professional_settings(n);
  if (!settings) return hidden(settings.error());
  return ProfessionalGrant{std::move(*access), std::move(*settings), std::move(*profile)};
}

Status professional_may_read(const ProfessionalGrant& grant, UserId user, const Post& post) {
  if (post.neighbourhood_id != grant.access.neighbourhood_id)
    return fail(ErrorCode::not_found, "Not found.");
  if (post.author.id == user) return {};
  if (!grant.settings.in_scope(post.category) || post.not_for_professionals)
    return fail(ErrorCode::not_found, "Not found.");
  return {};
}

// --- moderation (issue #8; docs/moderation.md) -------------------------------

Status require_not_suspended(Store& store, UserId user, NeighbourhoodId n) {
  auto m = store.get_membership(n, user);
  if (!m) {
    if (m.error().code == ErrorCode::not_found) return {};
    return fail(m.error());
  }
  if (m->status == MemberStatus::suspended)
    return fail(ErrorCode::forbidden, "Your membership of this neighbourhood is suspended.");
  return {};
}

Result<bool> may_see_hidden(Store& store, UserId reader, NeighbourhoodId n, UserId author) {
  if (reader == author) return true;
  auto m = store.get_membership(n, reader);
  if (!m) {
    if (m.error().code == ErrorCode::not_found) return false;
    return fail(m.error());
  }
  return m->role == Role::manager && m->status == MemberStatus::verified;
}

}  // namespace noaber
