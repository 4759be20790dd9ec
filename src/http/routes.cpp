// The one routes table: every endpoint Noaber answers, seen at once.

#include "http/handlers/handlers.h"

namespace noaber::http {
namespace {

using namespace handlers;
constexpr Access kAnyone = Access::anyone;
constexpr Access kUser = Access::authenticated;
constexpr bool kHashesPassword = true;

constexpr Route kRoutes[] = {
    // accounts
    {"POST", "/api/v1/auth/register", register_user, kAnyone, kHashesPassword},
    {"POST", "/api/v1/auth/login", login, kAnyone, kHashesPassword},
    {"POST", "/api/v1/auth/logout", logout, kUser},
    {"POST", "/api/v1/auth/logout-everywhere", logout_everywhere, kUser},
    {"GET", "/api/v1/me", get_me, kUser},
    // privacy and account (AVG/GDPR)
    {"POST", "/api/v1/me/password", change_password, kUser, kHashesPassword},
    {"GET", "/api/v1/me/export", export_me, kUser},
    {"DELETE", "/api/v1/me", delete_me, kUser, kHashesPassword},
    // notifications (in-app), about oneself only
    {"GET", "/api/v1/me/notifications", list_notifications, kUser},
    {"POST", "/api/v1/me/notifications/read", mark_notifications_read, kUser},
    // neighbourhoods and membership
    {"POST", "/api/v1/neighbourhoods", create_neighbourhood, kUser},
    {"GET", "/api/v1/neighbourhoods", search_neighbourhoods, kAnyone},
    {"GET", "/api/v1/neighbourhoods/{id}", get_neighbourhood, kAnyone},
    {"POST", "/api/v1/neighbourhoods/{id}/invites", create_invite, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/join", join_neighbourhood, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/members", list_members, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/members/{user_id}/approve", approve_member, kUser},
    // asks and offers
    {"POST", "/api/v1/neighbourhoods/{id}/posts", create_post, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/feed", get_feed, kUser},
    {"GET", "/api/v1/posts/{id}", get_post, kUser},
    {"PATCH", "/api/v1/posts/{id}", update_post, kUser},
    {"POST", "/api/v1/posts/{id}/close", close_post, kUser},
    {"POST", "/api/v1/posts/{id}/responses", create_response, kUser},
    {"POST", "/api/v1/responses/{id}/accept", accept_response, kUser},
    {"POST", "/api/v1/posts/{id}/complete", complete_post, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/exchanges", list_exchanges, kUser},
    // live updates of the feed (server-sent events)
    {"GET", "/api/v1/neighbourhoods/{id}/events", get_events, kUser},
    // community health (docs/community-health.md)
    {"GET", "/api/v1/neighbourhoods/{id}/health", get_health, kUser},
    // professionals alongside residents (docs/professionals.md)
    {"PUT", "/api/v1/me/professional", put_professional_profile, kUser},
    {"DELETE", "/api/v1/me/professional", delete_professional_profile, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/settings", get_settings, kUser},
    {"PATCH", "/api/v1/neighbourhoods/{id}/settings", patch_settings, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals", request_professional_access, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/professionals", list_professionals, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/{user_id}/approve", approve_professional, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/{user_id}/refuse", refuse_professional, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/{user_id}/pause", pause_professional, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/{user_id}/revoke", revoke_professional, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/{user_id}/resume", resume_professional, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/{user_id}/buddy", volunteer_as_buddy, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/{user_id}/sign-off", sign_off_professional, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/{user_id}/object", object_to_professional, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/{user_id}/vote", vote_on_professional, kUser},
    {"GET", "/api/v1/posts/{id}/views", list_post_views, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/professionals/log", get_professional_log, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/professionals/renew", renew_professional_access, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/professionals/figures", get_professional_figures, kUser},
    // moderation and house rules (docs/moderation.md)
    {"POST", "/api/v1/neighbourhoods/{id}/reports", create_report, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/reports", list_reports, kUser},
    {"POST", "/api/v1/neighbourhoods/{id}/moderation", moderate, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/moderation-log", get_moderation_log, kUser},
    {"PUT", "/api/v1/neighbourhoods/{id}/house-rules", put_house_rules, kUser},
    // connectors and the managers' dashboard (docs/managers.md)
    {"PUT", "/api/v1/neighbourhoods/{id}/connector", put_connector, kUser},
    {"DELETE", "/api/v1/neighbourhoods/{id}/connector", delete_connector, kUser},
    {"GET", "/api/v1/neighbourhoods/{id}/dashboard", get_dashboard, kUser},
    // operations
    {"GET", "/healthz", healthz, kAnyone},
    {"GET", "/metrics", metrics, kAnyone},
};

}  // namespace

std::span<const Route> routes() { return kRoutes; }

}  // namespace noaber::http
