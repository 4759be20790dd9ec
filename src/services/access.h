#pragma once
// Who may see and do what in a neighbourhood: the membership checks every
// service shares. Content of a neighbourhood a user is not a member of does
// not exist for them (not_found), so ids can't be probed.

#include "core/error.h"
#include "core/professionals.h"
#include "core/types.h"
#include "store/store.h"

namespace noaber {

// The caller's membership, which must be verified: not_found for
// non-members, not_verified while pending, forbidden while suspended.
Result<Membership> require_verified_member(Store& store, UserId user, NeighbourhoodId n);

// As require_verified_member, and the member must be a manager.
Result<Membership> require_manager(Store& store, UserId user, NeighbourhoodId n);

// As require_verified_member, and the member must be a connector
// (is_connector(): a manager, or a resident who opted in); forbidden
// otherwise. docs/managers.md.
Result<Membership> require_connector(Store& store, UserId user, NeighbourhoodId n);

// Whether the post reaches one of the user's verified neighbourhoods; its
// author too sees it only while a verified member. not_found otherwise.
Status require_can_read(Store& store, UserId user, const Post& post);

// --- professionals (issue 7; docs/professionals.md) --------------------------
// Professional access is not membership. Callers ask for it only after the
// membership checks above said not_found: a member of a neighbourhood acts
// there as a resident, never as a professional.

// The access with the status shown to people: active past its expiry is
// lapsed, unless a renewal is waiting for its decision.
AccessStatus effective_status(const ProfessionalAccess& access, TimePoint now);

// What an active professional acts with in one neighbourhood.
struct ProfessionalGrant {
  ProfessionalAccess access;
  ProfessionalSettings settings;  // scope: what they may read and respond to
  ProfessionalProfile profile;    // organisation: their badge
};

// The user's grant in n: their access is active (a buddy signed off, not
// paused, revoked or lapsed at `now`) and they still have a profile.
// not_found in every other case, so a professional without access learns
// no more than an outsider.
Result<ProfessionalGrant> require_active_professional(Store& store, UserId user,
                                                      NeighbourhoodId n, TimePoint now);

// Whether the grant reaches the post: a post of the grant's neighbourhood,
// in its scope and not marked not for professionals; their own posts too.
// not_found otherwise.
Status professional_may_read(const ProfessionalGrant& grant, UserId user, const Post& post);

// --- moderation (issue #8; docs/moderation.md) -------------------------------
// forbidden when the user's membership of n is suspended: they may still read
// what reaches them through another neighbourhood, but act on nothing of n.
Status require_not_suspended(Store& store, UserId user, NeighbourhoodId n);

// Whether the reader may still see a hidden post or response of n by
// `author`: the author and n's verified managers may. Not hidden: true.
Result<bool> may_see_hidden(Store& store, UserId reader, NeighbourhoodId n, UserId author);

}  // namespace noaber
