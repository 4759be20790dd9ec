#pragma once
// Who may see and do what in a neighbourhood: the membership checks every
// service shares. Content of a neighbourhood a user is not a member of does
// not exist for them (not_found), so ids can't be probed.

#include "core/error.h"
#include "core/types.h"
#include "store/store.h"

namespace noaber {

// The caller's membership, which must be verified: not_found for
// non-members, not_verified while pending, forbidden while suspended.
Result<Membership> require_verified_member(Store& store, UserId user, NeighbourhoodId n);

// As require_verified_member, and the member must be a manager.
Result<Membership> require_manager(Store& store, UserId user, NeighbourhoodId n);

// Whether the post reaches one of the user's verified neighbourhoods; its
// author too sees it only while a verified member. not_found otherwise.
Status require_can_read(Store& store, UserId user, const Post& post);

}  // namespace noaber
