// The person's own in-app notifications: a page at a time, and marking read.

#include <boost/json/array.hpp>

#include "core/cursor.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/json_views.h"

namespace noaber::http::handlers {
namespace json = boost::json;

HttpResponse list_notifications(RequestContext& ctx) {
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto paging = parse_paging(*query);
  if (!paging) return error_response(paging.error());
  std::optional<NotificationId> before;
  if (paging->before) before = NotificationId{*paging->before};

  auto page = ctx.services.notifications.list(ctx.user(), before, paging->limit);
  if (!page) return error_response(page.error());
  json::array items;
  for (const auto& n : page->notifications) items.push_back(notification_json(n));
  json::value next = nullptr;
  if (page->next_before) next = encode_cursor(page->next_before->value);
  return json_response(200, json::object{{"notifications", std::move(items)},
                                         {"unread", page->unread},
                                         {"next_cursor", std::move(next)}});
}

HttpResponse mark_notifications_read(RequestContext& ctx) {
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  MarkReadInput input;
  if (auto ids = body->integer_list("ids")) input.ids = std::move(*ids);
  input.up_to = body->number("up_to");
  if (auto s = body->finish(); !s) return error_response(s.error());

  auto marked = ctx.services.notifications.mark_read(ctx.user(), input);
  if (!marked) return error_response(marked.error());
  return json_response(200, json::object{{"marked", marked->marked}, {"unread", marked->unread}});
}

}  // namespace noaber::http::handlers
