// The person's own account: password, export and erasure (AVG/GDPR).

#include <map>

#include <boost/json/array.hpp>

#include "core/time_format.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/json_views.h"

namespace noaber::http::handlers {
namespace json = boost::json;

namespace {

json::value optional_time(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(format_rfc3339(*t));
}

json::object export_json(const UserExport& data) {
  json::object account = self_user(data.user);
  account["created_at"] = format_rfc3339(data.user.created_at);

  std::map<std::int64_t, json::array> responses_by_post;
  for (const auto& r : data.responses_to_posts)
    responses_by_post[r.post_id.value].push_back(response_json(r));
  json::array posts;
  for (const auto& p : data.posts) {
    json::object o = post_json(p);
    o["responses"] = std::move(responses_by_post[p.id.value]);
    posts.push_back(std::move(o));
  }

  json::array memberships, responses, exchanges, invites, sessions, notifications;
  json::array connector_opt_ins;
  for (const auto& m : data.memberships) {
    memberships.push_back(membership_json(m));
    if (m.connector_since)
      connector_opt_ins.push_back(
          {{"neighbourhood", {{"id", m.neighbourhood_id.value}, {"name", m.neighbourhood_name}}},
           {"since", format_rfc3339(*m.connector_since)}});
  }
  for (const auto& r : data.responses) responses.push_back(response_json(r));
  for (const auto& e : data.exchanges) exchanges.push_back(exchange_json(e));
  // The codes themselves are never stored; only their hashes are, and those
  // are of no use to anyone.
  for (const auto& i : data.invites)
    invites.push_back({{"id", i.id.value},
                       {"neighbourhood_id", i.neighbourhood_id.value},
                       {"created_at", format_rfc3339(i.created_at)},
                       {"expires_at", format_rfc3339(i.expires_at)},
                       {"used_at", optional_time(i.used_at)}});
  for (const auto& s : data.sessions)
    sessions.push_back({{"created_at", format_rfc3339(s.created_at)},
                        {"last_seen_at", format_rfc3339(s.last_seen_at)},
                        {"expires_at", format_rfc3339(s.expires_at)},
                        {"current", s.current}});
  for (const auto& n : data.notifications) notifications.push_back(notification_json(n));
  return {{"account", std::move(account)},
          {"memberships", std::move(memberships)},
          {"connector_opt_ins", std::move(connector_opt_ins)},
          {"posts", std::move(posts)},
          {"responses", std::move(responses)},
          {"exchanges", std::move(exchanges)},
          {"invites", std::move(invites)},
          {"sessions", std::move(sessions)},
          {"notifications", std::move(notifications)}};
}

}  // namespace

HttpResponse change_password(RequestContext& ctx) {
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  const auto current = body->string("current_password").value_or("");
  const auto next = body->string("new_password").value_or("");
  if (auto s = body->finish(); !s) return error_response(s.error());

  if (auto s = ctx.services.accounts.change_password(ctx.user(), ctx.auth->token_hash, current,
                                                     next);
      !s)
    return error_response(s.error());
  return no_content();
}

HttpResponse export_me(RequestContext& ctx) {
  auto data = ctx.services.accounts.export_data(ctx.user(), ctx.auth->token_hash);
  if (!data) return error_response(data.error());
  json::object body = export_json(*data);
  if (auto s = add_professional_part(ctx, body); !s) return error_response(s.error());
  if (auto s = add_opened_posts_part(ctx, body); !s) return error_response(s.error());
  if (auto s = add_moderation_part(ctx, body); !s) return error_response(s.error());
  HttpResponse r = json_response(200, body);
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"noaber-export-" +
                             std::to_string(data->user.id.value) + ".json\"");
  return r;
}

HttpResponse delete_me(RequestContext& ctx) {
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  const auto password = body->string("password").value_or("");
  if (auto s = body->finish(); !s) return error_response(s.error());

  if (auto s = ctx.services.accounts.delete_account(ctx.user(), password); !s)
    return error_response(s.error());
  HttpResponse r = no_content();
  r.headers.emplace_back("Set-Cookie", session_cookie(ctx, "", std::chrono::seconds(0)));
  return r;
}

}  // namespace noaber::http::handlers
