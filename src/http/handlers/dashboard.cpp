// Connectors and the managers' dashboard (docs/managers.md).

#include <chrono>

#include <boost/json/array.hpp>

#include "core/time_format.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/json_views.h"

namespace noaber::http::handlers {
namespace json = boost::json;

namespace {

// How long a post has waited, in whole units (never negative).
template <typename Unit>
std::int64_t waited(TimePoint since, TimePoint now) {
  if (now <= since) return 0;
  return std::chrono::floor<Unit>(now - since).count();
}

json::object waiting_json(const WaitingPost& p) {
  return {{"id", p.id.value},
          {"kind", to_string(p.kind)},
          {"category", to_string(p.category)},
          {"title", p.title},
          {"author", person(p.author)}};
}

// A newcomer or a join request: the name and the date, nothing more.
json::object arrival_json(const Membership& m) {
  return {{"user", person(m.member)}, {"joined_at", format_rfc3339(m.joined_at)}};
}

json::object dashboard_json(const Dashboard& d) {
  const DashboardData& data = d.data;
  json::array unanswered, promised, newcomers, needs;
  for (const auto& p : data.unanswered) {
    json::object o = waiting_json(p);
    o["created_at"] = format_rfc3339(p.since);
    o["age_hours"] = waited<std::chrono::hours>(p.since, d.now);
    unanswered.push_back(std::move(o));
  }
  for (const auto& p : data.promised) {
    json::object o = waiting_json(p);
    o["promised_at"] = format_rfc3339(p.since);
    o["days_since_promised"] = waited<std::chrono::days>(p.since, d.now);
    promised.push_back(std::move(o));
  }
  for (const auto& m : data.newcomers) newcomers.push_back(arrival_json(m));
  for (const auto& s : d.needs)
    needs.push_back({{"kind", to_string(s.kind)},
                     {"category", to_string(s.category)},
                     {"posts", s.posts},
                     {"without_response", s.without_response}});

  json::object join_requests{{"total", data.pending_total}};
  json::object out{
      {"neighbourhood_id", d.neighbourhood_id.value},
      {"generated_at", format_rfc3339(d.now)},
      {"unanswered_asks", {{"total", data.unanswered_total}, {"posts", std::move(unanswered)}}},
      {"promised_posts", {{"total", data.promised_total}, {"posts", std::move(promised)}}},
      {"newcomers", {{"total", data.newcomers_total}, {"members", std::move(newcomers)}}},
      {"needs", std::move(needs)}};
  // Approving members and handling reports are a manager's job: a connector
  // sees how many people wait, not who, and nothing of reports.
  if (d.manager) {
    json::array pending;
    for (const auto& m : data.pending) pending.push_back(arrival_json(m));
    join_requests["members"] = std::move(pending);
    out["open_reports"] = data.open_reports;
  }
  out["join_requests"] = std::move(join_requests);
  return out;
}

HttpResponse connector(RequestContext& ctx, bool on) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  return reply(ctx.services.dashboard.set_connector(ctx.user(), *id, on), 200, "membership",
               membership_json);
}

}  // namespace

HttpResponse put_connector(RequestContext& ctx) { return connector(ctx, true); }
HttpResponse delete_connector(RequestContext& ctx) { return connector(ctx, false); }

HttpResponse get_dashboard(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  return reply(ctx.services.dashboard.dashboard(ctx.user(), *id), 200, "dashboard",
               dashboard_json);
}

}  // namespace noaber::http::handlers
