// GET /api/v1/neighbourhoods/{id}/health: the tie figures by month
// (docs/community-health.md).

#include <boost/json/array.hpp>

#include "http/handlers/common.h"
#include "http/handlers/handlers.h"

namespace noaber::http::handlers {
namespace json = boost::json;

namespace {

// A withheld count is null.
json::value count_json(const std::optional<std::int64_t>& count) {
  if (!count) return nullptr;
  return json::value(*count);
}

json::object share_json(const HealthShare& s) {
  json::value share = nullptr;
  if (s.numerator && s.denominator && *s.denominator > 0)
    share = static_cast<double>(*s.numerator) / static_cast<double>(*s.denominator);
  return {{"numerator", count_json(s.numerator)},
          {"denominator", count_json(s.denominator)},
          {"share", share}};
}

json::object month_json(const MonthFigures& m) {
  return {{"month", format_year_month(m.month)},
          {"new_ties", count_json(m.new_ties)},
          {"kept_ties", count_json(m.kept_ties)},
          {"deepened_ties", count_json(m.deepened_ties)},
          {"bridging_ties", count_json(m.bridging_ties)},
          {"newcomers_reached", count_json(m.newcomers_reached)},
          {"asks_answered_within_48h", share_json(m.asks_answered_within_48h)},
          {"asks_completed", share_json(m.asks_completed)}};
}

}  // namespace

HttpResponse get_health(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());

  auto report = ctx.services.health.figures(ctx.user(), *id,
                                            HealthQuery{query->get("from"), query->get("to")});
  if (!report) return error_response(report.error());
  json::array months;
  for (const auto& m : report->months) months.push_back(month_json(m));
  json::value suppressed_below = nullptr;
  if (report->audience == HealthAudience::professional) suppressed_below = kSuppressBelow;
  return json_response(200, json::object{{"neighbourhood_id", report->neighbourhood_id.value},
                                         {"from", format_year_month(report->range.from)},
                                         {"to", format_year_month(report->range.to)},
                                         {"suppressed_below", suppressed_below},
                                         {"months", std::move(months)}});
}

}  // namespace noaber::http::handlers
