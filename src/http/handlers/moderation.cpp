// Reports, the moderation queue and log, and house rules
// (docs/moderation.md).

#include <boost/json/array.hpp>

#include "core/cursor.h"
#include "core/time_format.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/json_views.h"

namespace noaber::http::handlers {
namespace json = boost::json;

namespace {

json::object target_json(ReportTarget kind, std::int64_t id, const PersonRef& user) {
  return {{"type", to_string(kind)}, {"id", id}, {"user", person_json(user)}};
}

// Managers only: with the reporter.
json::object report_json(const Report& r) {
  return {{"id", r.id.value},
          {"reporter", person_json(r.reporter)},
          {"target", target_json(r.target_kind, r.target_id, r.target_user)},
          {"reason", r.reason},
          {"created_at", format_rfc3339(r.created_at)}};
}

// Every member: never the reporter. about_you tells a warned (or
// suspended, or hidden) member that this entry is about them.
json::object entry_json(const ModerationEntry& e, UserId reader) {
  return {{"id", e.id.value},
          {"moderator", person_json(e.moderator)},
          {"action", to_string(e.action)},
          {"target", target_json(e.target_kind, e.target_id, e.target_user)},
          {"reason", e.reason},
          {"about_you", e.target_user.id == reader},
          {"created_at", format_rfc3339(e.created_at)}};
}

// An id from a JSON number: a fraction or a number too large for an id is no
// id (0, which validation calls invalid).
std::optional<std::int64_t> whole_id(std::optional<double> n) {
  if (!n) return std::nullopt;
  if (*n >= 1 && *n <= 9.0e15 && *n == static_cast<double>(static_cast<std::int64_t>(*n)))
    return static_cast<std::int64_t>(*n);
  return 0;
}

}  // namespace

json::object house_rules_json(const HouseRules& r) {
  json::value updated_at = nullptr;
  if (r.updated_at) updated_at = format_rfc3339(*r.updated_at);
  return {{"markdown", r.markdown}, {"html", r.html}, {"updated_at", updated_at}};
}

HttpResponse create_report(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  ReportInput input{body->string("target").value_or(""), whole_id(body->number("id")),
                    body->string("reason").value_or("")};
  if (auto s = body->finish(); !s) return error_response(s.error());
  return reply(
      ctx.services.moderation.report(ctx.user(), *id, input, ctx.request.remote_address), 201,
      "report", report_json);
}

HttpResponse list_reports(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto reports = ctx.services.moderation.queue(ctx.user(), *id);
  if (!reports) return error_response(reports.error());
  json::array out;
  for (const auto& r : *reports) out.push_back(report_json(r));
  return json_response(200, json::object{{"reports", std::move(out)}});
}

HttpResponse moderate(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  ModerationInput input{body->ids("reports").value_or(std::vector<std::int64_t>{}),
                        body->string("action").value_or(""),
                        body->string("reason").value_or(""),
                        body->string("target").value_or(""), whole_id(body->number("id"))};
  if (auto s = body->finish(); !s) return error_response(s.error());
  auto entries = ctx.services.moderation.act(ctx.user(), *id, input);
  if (!entries) return error_response(entries.error());
  json::array out;
  for (const auto& e : *entries) out.push_back(entry_json(e, ctx.user()));
  return json_response(200, json::object{{"entries", std::move(out)}});
}

HttpResponse get_moderation_log(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto paging = parse_paging(*query);
  if (!paging) return error_response(paging.error());
  std::optional<ModerationEntryId> before;
  if (paging->before) before = ModerationEntryId{*paging->before};
  auto page = ctx.services.moderation.log(ctx.user(), *id, before, paging->limit);
  if (!page) return error_response(page.error());
  json::array out;
  for (const auto& e : page->entries) out.push_back(entry_json(e, ctx.user()));
  json::value next = nullptr;
  if (page->next_before) next = encode_cursor(page->next_before->value);
  return json_response(200, json::object{{"entries", std::move(out)}, {"next_cursor", next}});
}

Status add_moderation_part(RequestContext& ctx, json::object& body) {
  auto records = ctx.services.moderation.export_of(ctx.user());
  if (!records) return fail(records.error());
  json::array filed, about;
  // The person's own reports: what they reported and why, and whether a
  // manager handled it (never what the manager decided about it).
  for (const auto& r : records->reports_filed) {
    json::value handled_at = nullptr;
    if (r.resolved_at) handled_at = format_rfc3339(*r.resolved_at);
    filed.push_back({{"id", r.id.value},
                     {"neighbourhood_id", r.neighbourhood_id.value},
                     {"target", target_json(r.target_kind, r.target_id, r.target_user)},
                     {"reason", r.reason},
                     {"status", r.resolved_at ? "handled" : "open"},
                     {"created_at", format_rfc3339(r.created_at)},
                     {"handled_at", handled_at}});
  }
  for (const auto& e : records->about_them) {
    json::object o = entry_json(e, ctx.user());
    o["neighbourhood_id"] = e.neighbourhood_id.value;
    about.push_back(std::move(o));
  }
  body["reports_filed"] = std::move(filed);
  body["moderation_about_me"] = std::move(about);
  return {};
}

HttpResponse put_house_rules(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  auto markdown = body->string("markdown");
  if (auto s = body->finish(); !s) return error_response(s.error());
  if (!markdown)
    return error_response(Error{ErrorCode::validation_failed, "Some fields are not valid.",
                                {{"markdown", "required"}}, 0});
  return reply(ctx.services.moderation.put_house_rules(ctx.user(), *id, *markdown), 200,
               "house_rules", house_rules_json);
}

}  // namespace noaber::http::handlers
