#include <boost/json/array.hpp>

#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "core/time_format.h"
#include "http/json_views.h"

namespace noaber::http::handlers {
namespace json = boost::json;

namespace {

HttpResponse session_response(const RequestContext& ctx, int status,
                              const NewSessionResult& session) {
  HttpResponse r = json_response(status, json::object{{"user", self_user(session.user)},
                                                      {"token", session.token},
                                                      {"csrf_token", session.csrf_token}});
  r.headers.emplace_back("Set-Cookie",
                         session_cookie(ctx, session.token, ctx.options.session_lifetime));
  return r;
}

}  // namespace

HttpResponse register_user(RequestContext& ctx) {
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  RegisterInput input{body->string("email").value_or(""), body->string("password").value_or(""),
                      body->string("display_name").value_or(""), body->string("locale")};
  if (auto s = body->finish(); !s) return error_response(s.error());

  auto session = ctx.services.accounts.register_user(input, ctx.request.remote_address);
  if (!session) return error_response(session.error());
  return session_response(ctx, 201, *session);
}

HttpResponse login(RequestContext& ctx) {
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  const auto email = body->string("email").value_or("");
  const auto password = body->string("password").value_or("");
  if (auto s = body->finish(); !s) return error_response(s.error());

  auto session = ctx.services.accounts.login(email, password, ctx.request.remote_address);
  if (!session) return error_response(session.error());
  return session_response(ctx, 200, *session);
}

HttpResponse logout(RequestContext& ctx) {
  if (auto s = ctx.services.accounts.logout(ctx.token); !s) return error_response(s.error());
  HttpResponse r = no_content();
  r.headers.emplace_back("Set-Cookie", session_cookie(ctx, "", std::chrono::seconds(0)));
  return r;
}

HttpResponse logout_everywhere(RequestContext& ctx) {
  if (auto s = ctx.services.accounts.logout_everywhere(ctx.user()); !s)
    return error_response(s.error());
  HttpResponse r = no_content();
  r.headers.emplace_back("Set-Cookie", session_cookie(ctx, "", std::chrono::seconds(0)));
  return r;
}

HttpResponse get_me(RequestContext& ctx) {
  auto me = ctx.services.accounts.me(ctx.user());
  if (!me) return error_response(me.error());
  json::array memberships;
  for (const auto& m : me->memberships)
    memberships.push_back({{"neighbourhood",
                            {{"id", m.neighbourhood_id.value}, {"name", m.neighbourhood_name}}},
                           {"role", to_string(m.role)},
                           {"status", to_string(m.status)},
                           {"joined_at", format_rfc3339(m.joined_at)},
                           {"connector", is_connector(m)}});
  json::object body{{"user", self_user(me->user)},
                    {"csrf_token", csrf_token_for(ctx.token)},
                    {"memberships", std::move(memberships)}};
  if (auto s = add_professional_part(ctx, body); !s) return error_response(s.error());
  return json_response(200, body);
}

}  // namespace noaber::http::handlers
