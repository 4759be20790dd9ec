#include <charconv>

#include <boost/json/array.hpp>

#include "core/time_format.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/json_views.h"

namespace noaber::http::handlers {
namespace json = boost::json;

namespace {

std::optional<double> parse_double(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "52.37,4.89" -> (lat, lon)
std::optional<std::pair<double, double>> parse_lat_lon(std::string_view text) {
  const auto comma = text.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto lat = parse_double(text.substr(0, comma));
  auto lon = parse_double(text.substr(comma + 1));
  if (!lat || !lon) return std::nullopt;
  return std::pair{*lat, *lon};
}

}  // namespace

HttpResponse create_neighbourhood(RequestContext& ctx) {
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  NeighbourhoodInput input{body->string("name").value_or(""), body->string("region").value_or(""),
                           body->number("lat"), body->number("lon")};
  if (auto s = body->finish(); !s) return error_response(s.error());

  return reply(ctx.services.neighbourhoods.found(ctx.user(), input), 201, "neighbourhood",
               neighbourhood_json);
}

HttpResponse search_neighbourhoods(RequestContext& ctx) {
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  NeighbourhoodQuery q{query->get("q"), std::nullopt};
  if (auto near = query->get("near"); near && !near->empty()) {
    q.near = parse_lat_lon(*near);
    if (!q.near) return error_response(Error{ErrorCode::bad_request, "near must be LAT,LON.", {}, 0});
  }
  auto found = ctx.services.neighbourhoods.search(q);
  if (!found) return error_response(found.error());
  json::array list;
  for (const auto& n : *found) list.push_back(neighbourhood_summary(n));
  return json_response(200, json::object{{"neighbourhoods", std::move(list)}});
}

HttpResponse get_neighbourhood(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto view = ctx.services.neighbourhoods.get(*id, ctx.maybe_user());
  if (!view) return error_response(view.error());
  json::object n = neighbourhood_json(view->neighbourhood);
  if (view->my_membership) {
    n["my_membership"] = json::object{{"role", to_string(view->my_membership->role)},
                                      {"status", to_string(view->my_membership->status)},
                                      {"connector", is_connector(*view->my_membership)}};
    auto rules = ctx.services.moderation.house_rules(*ctx.maybe_user(), *id);
    if (!rules) return error_response(rules.error());
    n["house_rules"] = house_rules_json(*rules);
  }
  return json_response(200, json::object{{"neighbourhood", std::move(n)}});
}

HttpResponse create_invite(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto invite =
      ctx.services.neighbourhoods.create_invite(ctx.user(), *id, ctx.request.remote_address);
  if (!invite) return error_response(invite.error());
  return json_response(201, json::object{{"code", invite->code},
                                         {"expires_at", format_rfc3339(invite->expires_at)}});
}

HttpResponse join_neighbourhood(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request, /*optional_body=*/true);
  if (!body) return error_response(body.error());
  const auto code = body->string("invite_code");
  if (auto s = body->finish(); !s) return error_response(s.error());

  auto joined = ctx.services.neighbourhoods.join(ctx.user(), *id, code);
  if (!joined) return error_response(joined.error());
  json::object answer{{"membership", membership_json(joined->membership)}};
  // The member asked to join instead; say why, so the app can explain.
  if (joined->invite_code_rejected) answer["invite_code"] = "invalid";
  // New members see the house rules first (docs/moderation.md).
  auto rules = ctx.services.moderation.house_rules(ctx.user(), *id);
  if (!rules) return error_response(rules.error());
  answer["house_rules"] = house_rules_json(*rules);
  return json_response(201, answer);
}

HttpResponse list_members(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  std::optional<MemberStatus> status;
  if (auto s = query->get("status"); s && !s->empty()) {
    status = parse_member_status(*s);
    if (!status)
      return error_response(Error{ErrorCode::bad_request,
                                  "status must be pending, verified or suspended.", {}, 0});
  }
  auto members = ctx.services.neighbourhoods.members(ctx.user(), *id, status);
  if (!members) return error_response(members.error());
  json::array list;
  for (const auto& m : *members) list.push_back(member_json(m));
  return json_response(200, json::object{{"members", std::move(list)}});
}

HttpResponse approve_member(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto member = ctx.id<UserId>("user_id");
  if (!member) return error_response(member.error());
  return reply(ctx.services.neighbourhoods.approve(ctx.user(), *id, *member), 200, "membership",
               membership_json);
}

}  // namespace noaber::http::handlers
