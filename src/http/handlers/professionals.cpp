// Professionals alongside residents (docs/professionals.md): the profile,
// a neighbourhood's settings for professionals, access requests and the
// community's decisions, the buddy, and who looked at a post.

#include <map>

#include <boost/json/array.hpp>

#include "core/cursor.h"
#include "core/time_format.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/json_views.h"

namespace noaber::http::handlers {
namespace json = boost::json;

namespace {

template <typename T, typename ToJson>
HttpResponse reply_list(const Result<std::vector<T>>& result, std::string_view key,
                        ToJson&& to_json) {
  if (!result) return error_response(result.error());
  json::array items;
  for (const auto& item : *result) items.push_back(to_json(item));
  return json_response(200, json::object{{key, std::move(items)}});
}

// A manager's or buddy's step on one professional's access:
// /neighbourhoods/{id}/professionals/{user_id}/...
using AccessStep = Result<ProfessionalAccess> (ProfessionalService::*)(UserId, NeighbourhoodId,
                                                                        UserId);
HttpResponse access_step(RequestContext& ctx, AccessStep step) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto professional = ctx.id<UserId>("user_id");
  if (!professional) return error_response(professional.error());
  return reply((ctx.services.professionals.*step)(ctx.user(), *id, *professional), 200, "access",
               professional_access_json);
}

}  // namespace

Status add_professional_part(RequestContext& ctx, json::object& me) {
  auto profile = ctx.services.professionals.profile(ctx.user());
  if (!profile) return fail(profile.error());
  auto access = ctx.services.professionals.my_access(ctx.user());
  if (!access) return fail(access.error());
  me["professional"] = *profile ? json::value(professional_profile_json(**profile))
                                : json::value(nullptr);
  json::array list;
  for (const auto& a : *access) list.push_back(professional_access_json(a));
  me["professional_access"] = std::move(list);
  return {};
}

HttpResponse put_professional_profile(RequestContext& ctx) {
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  ProfileInput input{body->string("organisation").value_or(""),
                     body->string("function").value_or(""),
                     body->string("description").value_or("")};
  if (auto s = body->finish(); !s) return error_response(s.error());
  return reply(ctx.services.professionals.put_profile(ctx.user(), input), 200, "professional",
               professional_profile_json);
}

HttpResponse delete_professional_profile(RequestContext& ctx) {
  if (auto s = ctx.services.professionals.delete_profile(ctx.user()); !s)
    return error_response(s.error());
  return no_content();
}

HttpResponse get_settings(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  return reply(ctx.services.professionals.settings(ctx.user(), *id), 200, "settings",
               [](const ProfessionalSettings& s) {
                 return json::object{{"professionals", professional_settings_json(s)}};
               });
}

HttpResponse patch_settings(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  SettingsChanges changes{body->string("professional_admission"),
                          body->number("professional_objection_days"),
                          body->number("professional_objection_count"),
                          body->number("professional_vote_quorum"),
                          body->number("professional_vote_majority_percent"),
                          body->strings("professional_scope"),
                          body->number("professional_access_months")};
  if (auto s = body->finish(); !s) return error_response(s.error());
  auto changed = ctx.services.professionals.change_settings(ctx.user(), *id, changes);
  if (!changed) {
    // The service names the fields without the wire's prefix.
    Error e = changed.error();
    std::map<std::string, std::string> fields;
    for (auto& [field, rule] : e.fields) fields.emplace("professional_" + field, rule);
    e.fields = std::move(fields);
    return error_response(e);
  }
  return json_response(
      200, json::object{{"settings",
                         {{"professionals", professional_settings_json(*changed)}}}});
}

HttpResponse request_professional_access(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  const auto purpose = body->string("purpose").value_or("");
  if (auto s = body->finish(); !s) return error_response(s.error());
  auto made = ctx.services.professionals.request(ctx.user(), *id, purpose);
  if (!made) return error_response(made.error());
  // What the professional agrees to, in the answer itself
  // (docs/professionals.md#transparency).
  return json_response(
      201, json::object{{"access", professional_access_json(*made)},
                        {"transparency",
                         {{"views_logged", true},
                          {"log_readers", "every verified member of the neighbourhood"},
                          {"text",
                           "Every post of a resident you open here is recorded; its author "
                           "sees who looked and when, and every member can read the "
                           "neighbourhood's professional activity log with your posts, "
                           "responses and number of views."}}}});
}

HttpResponse list_professionals(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  return reply_list(ctx.services.professionals.list(ctx.user(), *id), "professionals",
                    professional_access_json);
}

HttpResponse approve_professional(RequestContext& ctx) {
  return access_step(ctx, &ProfessionalService::approve);
}
HttpResponse refuse_professional(RequestContext& ctx) {
  return access_step(ctx, &ProfessionalService::refuse);
}
HttpResponse pause_professional(RequestContext& ctx) {
  return access_step(ctx, &ProfessionalService::pause);
}
HttpResponse revoke_professional(RequestContext& ctx) {
  return access_step(ctx, &ProfessionalService::revoke);
}
HttpResponse resume_professional(RequestContext& ctx) {
  return access_step(ctx, &ProfessionalService::resume);
}
HttpResponse volunteer_as_buddy(RequestContext& ctx) {
  return access_step(ctx, &ProfessionalService::volunteer_as_buddy);
}

HttpResponse sign_off_professional(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto professional = ctx.id<UserId>("user_id");
  if (!professional) return error_response(professional.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  BuddyChecklist checklist{body->boolean("introduced").value_or(false),
                           body->boolean("house_rules").value_or(false),
                           body->boolean("scope_explained").value_or(false)};
  if (auto s = body->finish(); !s) return error_response(s.error());
  return reply(ctx.services.professionals.sign_off(ctx.user(), *id, *professional, checklist),
               200, "access", professional_access_json);
}

HttpResponse object_to_professional(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto professional = ctx.id<UserId>("user_id");
  if (!professional) return error_response(professional.error());
  std::string reason;
  if (!ctx.request.body.empty()) {
    auto body = BodyReader::parse(ctx.request);
    if (!body) return error_response(body.error());
    reason = body->string("reason").value_or("");
    if (auto s = body->finish(); !s) return error_response(s.error());
  }
  return reply(ctx.services.professionals.object(ctx.user(), *id, *professional, reason), 200,
               "access", professional_access_json);
}

HttpResponse vote_on_professional(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto professional = ctx.id<UserId>("user_id");
  if (!professional) return error_response(professional.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  const auto vote = body->string("vote");
  if (auto s = body->finish(); !s) return error_response(s.error());
  return reply(ctx.services.professionals.vote(ctx.user(), *id, *professional, vote), 200,
               "access", professional_access_json);
}

HttpResponse list_post_views(RequestContext& ctx) {
  auto id = ctx.id<PostId>("id");
  if (!id) return error_response(id.error());
  return reply_list(ctx.services.professionals.views_of(ctx.user(), *id), "views",
                    professional_view_json);
}

HttpResponse get_professional_log(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto paging = parse_paging(*query);
  if (!paging) return error_response(paging.error());
  auto log = ctx.services.professionals.log(ctx.user(), *id, paging->before, paging->limit);
  if (!log) return error_response(log.error());
  json::array events, professionals;
  for (const auto& e : log->events) events.push_back(access_event_json(e));
  for (const auto& a : log->professionals) professionals.push_back(professional_activity_json(a));
  return json_response(
      200, json::object{{"professionals", std::move(professionals)},
                        {"events", std::move(events)},
                        {"next_cursor", log->next_before
                                            ? json::value(encode_cursor(*log->next_before))
                                            : json::value(nullptr)}});
}

HttpResponse renew_professional_access(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  return reply(ctx.services.professionals.renew(ctx.user(), *id), 200, "access",
               professional_access_json);
}

namespace {
json::value count_or_null(const std::optional<std::int64_t>& count) {
  return count ? json::value(*count) : json::value(nullptr);
}
}  // namespace

HttpResponse get_professional_figures(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto figures = ctx.services.professionals.figures(
      ctx.user(), *id, HealthQuery{query->get("from"), query->get("to")});
  if (!figures) return error_response(figures.error());
  json::array months;
  for (const auto& m : figures->months) {
    json::object categories;
    for (const auto& c : m.categories)
      categories[to_string(c.category)] = {{"asks", count_or_null(c.asks)},
                                           {"offers", count_or_null(c.offers)}};
    const auto& a = m.asks_answered;
    json::value share = nullptr;
    if (a.numerator && a.denominator && *a.denominator > 0)
      share = static_cast<double>(*a.numerator) / static_cast<double>(*a.denominator);
    months.push_back(json::object{{"month", format_year_month(m.month)},
                      {"categories", std::move(categories)},
                      {"asks_answered",
                       {{"numerator", count_or_null(a.numerator)},
                        {"denominator", count_or_null(a.denominator)},
                        {"share", share}}},
                      {"exchanges", count_or_null(m.exchanges)}});
  }
  json::value suppressed_below = nullptr;
  if (figures->audience == HealthAudience::professional) suppressed_below = kSuppressBelow;
  return json_response(200, json::object{{"neighbourhood_id", figures->neighbourhood_id.value},
                                         {"from", format_year_month(figures->range.from)},
                                         {"to", format_year_month(figures->range.to)},
                                         {"suppressed_below", suppressed_below},
                                         {"months", std::move(months)}});
}

Status add_opened_posts_part(RequestContext& ctx, json::object& body) {
  auto opened = ctx.services.professionals.opened_by(ctx.user());
  if (!opened) return fail(opened.error());
  json::array list;
  for (const auto& o : *opened)
    list.push_back(json::object{{"post_id", o.post_id.value},
                    {"neighbourhood_id", o.neighbourhood_id.value},
                    {"organisation", o.organisation},
                    {"viewed_at", format_rfc3339(o.viewed_at)}});
  body["professional_posts_opened"] = std::move(list);
  return {};
}

}  // namespace noaber::http::handlers
