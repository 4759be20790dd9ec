#pragma once
// Every endpoint's handler; routes.cpp ties them to paths.

#include "http/router.h"

namespace noaber::http::handlers {

// accounts.cpp
HttpResponse register_user(RequestContext& ctx);
HttpResponse login(RequestContext& ctx);
HttpResponse logout(RequestContext& ctx);
HttpResponse logout_everywhere(RequestContext& ctx);
HttpResponse get_me(RequestContext& ctx);

// me.cpp: the person's own account (AVG/GDPR)
HttpResponse change_password(RequestContext& ctx);
HttpResponse export_me(RequestContext& ctx);
HttpResponse delete_me(RequestContext& ctx);
HttpResponse list_notifications(RequestContext& ctx);
HttpResponse mark_notifications_read(RequestContext& ctx);

// neighbourhoods.cpp
HttpResponse create_neighbourhood(RequestContext& ctx);
HttpResponse search_neighbourhoods(RequestContext& ctx);
HttpResponse get_neighbourhood(RequestContext& ctx);
HttpResponse create_invite(RequestContext& ctx);
HttpResponse join_neighbourhood(RequestContext& ctx);
HttpResponse list_members(RequestContext& ctx);
HttpResponse approve_member(RequestContext& ctx);

// posts.cpp
HttpResponse create_post(RequestContext& ctx);
HttpResponse get_feed(RequestContext& ctx);
HttpResponse get_post(RequestContext& ctx);
HttpResponse update_post(RequestContext& ctx);
HttpResponse close_post(RequestContext& ctx);
HttpResponse create_response(RequestContext& ctx);
HttpResponse accept_response(RequestContext& ctx);
HttpResponse complete_post(RequestContext& ctx);
HttpResponse list_exchanges(RequestContext& ctx);

// events.cpp: the live feed (server-sent events)
HttpResponse get_events(RequestContext& ctx);
// community_health.cpp
HttpResponse get_health(RequestContext& ctx);
// professionals.cpp (docs/professionals.md)
HttpResponse put_professional_profile(RequestContext& ctx);
HttpResponse delete_professional_profile(RequestContext& ctx);
HttpResponse get_settings(RequestContext& ctx);
HttpResponse patch_settings(RequestContext& ctx);
HttpResponse request_professional_access(RequestContext& ctx);
HttpResponse list_professionals(RequestContext& ctx);
HttpResponse approve_professional(RequestContext& ctx);
HttpResponse refuse_professional(RequestContext& ctx);
HttpResponse pause_professional(RequestContext& ctx);
HttpResponse revoke_professional(RequestContext& ctx);
HttpResponse resume_professional(RequestContext& ctx);
HttpResponse volunteer_as_buddy(RequestContext& ctx);
HttpResponse sign_off_professional(RequestContext& ctx);
HttpResponse object_to_professional(RequestContext& ctx);
HttpResponse vote_on_professional(RequestContext& ctx);
HttpResponse get_professional_log(RequestContext& ctx);
HttpResponse renew_professional_access(RequestContext& ctx);
HttpResponse get_professional_figures(RequestContext& ctx);
HttpResponse list_post_views(RequestContext& ctx);
// GET /me's professional profile and accesses, added to its answer.
Status add_professional_part(RequestContext& ctx, boost::json::object& me);
// The export's list of posts the person opened as a professional.
Status add_opened_posts_part(RequestContext& ctx, boost::json::object& body);
// moderation.cpp (docs/moderation.md)
HttpResponse create_report(RequestContext& ctx);
HttpResponse list_reports(RequestContext& ctx);
HttpResponse moderate(RequestContext& ctx);
HttpResponse get_moderation_log(RequestContext& ctx);
HttpResponse put_house_rules(RequestContext& ctx);
// The export's moderation part: the reports the user filed and the log
// entries about them, added to its answer.
Status add_moderation_part(RequestContext& ctx, boost::json::object& body);
// The house rules as the neighbourhood and join answers carry them.
boost::json::object house_rules_json(const HouseRules& rules);
// dashboard.cpp: connectors and the managers' dashboard (docs/managers.md)
HttpResponse put_connector(RequestContext& ctx);
HttpResponse delete_connector(RequestContext& ctx);
HttpResponse get_dashboard(RequestContext& ctx);

// operations.cpp
HttpResponse healthz(RequestContext& ctx);
HttpResponse metrics(RequestContext& ctx);

}  // namespace noaber::http::handlers
