#pragma once
// Domain types to their JSON shapes (../shared/API.md). Other people appear
// only as {id, display_name}; a user's email appears only in self_user.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/professionals.h"
#include "core/types.h"
#include "events/event_bus.h"
#include "services/market.h"
#include "services/neighbourhoods.h"

namespace noaber::http {

boost::json::object self_user(const User& user);
boost::json::object person(const PersonRef& p);
boost::json::object neighbourhood_json(const Neighbourhood& n);
boost::json::object neighbourhood_summary(const Neighbourhood& n);
boost::json::object membership_json(const Membership& m);
boost::json::object member_json(const Membership& m);
boost::json::object post_json(const PostView& view);
boost::json::object post_json(const Post& post);
boost::json::object response_json(const PostResponse& r);
boost::json::object exchange_json(const Exchange& e);
// The data of a live-feed post event: {"id","kind","category","title",
// "status"}, and "hidden": true for a hidden post shown to its author or a
// manager.
boost::json::object post_event_json(const PostEvent& e);
// The same for a reader who may not see the (hidden) post: {"id","hidden"}.
boost::json::object hidden_post_event_json(PostId id);
// Professionals (docs/professionals.md).
boost::json::object professional_profile_json(const ProfessionalProfile& p);
boost::json::object professional_settings_json(const ProfessionalSettings& s);
boost::json::object professional_access_json(const ProfessionalAccess& a);
boost::json::object professional_view_json(const ProfessionalView& v);
boost::json::object access_event_json(const AccessEvent& e);
boost::json::object professional_activity_json(const ProfessionalActivity& a);
boost::json::object notification_json(const Notification& n);

// --- moderation (docs/moderation.md) ---
// A person as every view shows them (a former neighbour flagged).
boost::json::object person_json(const PersonRef& p);

}  // namespace noaber::http
