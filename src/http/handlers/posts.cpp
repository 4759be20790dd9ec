#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "core/cursor.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/json_views.h"

namespace noaber::http::handlers {
namespace json = boost::json;

namespace {

json::object post_view_json(const PostView& view) { return post_json(view); }

// The next page's cursor, or null on the last page.
template <typename IdT>
json::value cursor_or_null(const std::optional<IdT>& last) {
  if (!last) return nullptr;
  return json::value(encode_cursor(last->value));
}

// An optional enum filter from the query; bad_request for an unknown value.
template <typename E>
Result<std::optional<E>> enum_filter(const QueryParams& query, std::string_view name,
                                     std::optional<E> (*parse)(std::string_view)) {
  auto text = query.get(name);
  if (!text || text->empty()) return std::optional<E>{};
  auto value = parse(*text);
  if (!value) return fail(ErrorCode::bad_request, "Unknown value for " + std::string(name) + ".");
  return value;
}

}  // namespace

HttpResponse create_post(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  PostInput input{body->string("kind").value_or(""),  body->string("category").value_or(""),
                  body->string("title").value_or(""), body->string("body").value_or(""),
                  body->string("visibility"),         body->string("expires_at"),
                  body->boolean("not_for_professionals")};
  if (auto s = body->finish(); !s) return error_response(s.error());

  return reply(ctx.services.market.create_post(ctx.user(), *id, input, ctx.request.remote_address),
               201, "post",
               post_view_json);
}

HttpResponse get_feed(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto paging = parse_paging(*query);
  if (!paging) return error_response(paging.error());
  auto kind = enum_filter(*query, "kind", parse_post_kind);
  if (!kind) return error_response(kind.error());
  auto category = enum_filter(*query, "category", parse_category);
  if (!category) return error_response(category.error());
  auto status = enum_filter(*query, "status", parse_post_status);
  if (!status) return error_response(status.error());

  FeedRequest request{*id, *kind, *category, *status, std::nullopt, paging->limit};
  if (paging->before) request.before = PostId{*paging->before};
  auto page = ctx.services.market.feed(ctx.user(), request);
  if (!page) return error_response(page.error());
  auto render = [&page] {
    json::array posts;
    for (const auto& p : page->posts()) posts.push_back(post_json(p));
    return json::serialize(json::object{{"posts", std::move(posts)},
                                        {"next_cursor", cursor_or_null(page->next_before)}});
  };
  // A page every reader gets alike is written once (services/feed_cache.h)
  // and sent from the entry itself, which the response keeps alive.
  if (page->shared) {
    const std::string& bytes = page->shared->rendered(render);
    return json_response(200, std::shared_ptr<const std::string>(page->shared, &bytes));
  }
  return json_response(200, render());
}

HttpResponse get_post(RequestContext& ctx) {
  auto id = ctx.id<PostId>("id");
  if (!id) return error_response(id.error());
  return reply(ctx.services.market.get_post(ctx.user(), *id), 200, "post", post_view_json);
}

HttpResponse update_post(RequestContext& ctx) {
  auto id = ctx.id<PostId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  PostChanges changes{body->string("title"), body->string("body"), body->string("expires_at"),
                      body->boolean("not_for_professionals")};
  if (auto s = body->finish(); !s) return error_response(s.error());

  return reply(ctx.services.market.update_post(ctx.user(), *id, changes), 200, "post",
               post_view_json);
}

HttpResponse close_post(RequestContext& ctx) {
  auto id = ctx.id<PostId>("id");
  if (!id) return error_response(id.error());
  return reply(ctx.services.market.close_post(ctx.user(), *id), 200, "post", post_view_json);
}

HttpResponse create_response(RequestContext& ctx) {
  auto id = ctx.id<PostId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request);
  if (!body) return error_response(body.error());
  const auto message = body->string("message").value_or("");
  if (auto s = body->finish(); !s) return error_response(s.error());

  return reply(ctx.services.market.respond(ctx.user(), *id, message, ctx.request.remote_address),
               201, "response",
               response_json);
}

HttpResponse accept_response(RequestContext& ctx) {
  auto id = ctx.id<ResponseId>("id");
  if (!id) return error_response(id.error());
  return reply(ctx.services.market.accept(ctx.user(), *id), 200, "response", response_json);
}

HttpResponse complete_post(RequestContext& ctx) {
  auto id = ctx.id<PostId>("id");
  if (!id) return error_response(id.error());
  auto body = BodyReader::parse(ctx.request, /*optional_body=*/true);
  if (!body) return error_response(body.error());
  CompleteInput input{body->string("thanks"), body->number("hours")};
  if (auto s = body->finish(); !s) return error_response(s.error());

  auto done = ctx.services.market.complete(ctx.user(), *id, input);
  if (!done) return error_response(done.error());
  json::array exchanges;
  for (const auto& e : done->exchanges) exchanges.push_back(exchange_json(e));
  return json_response(200, json::object{{"post", post_json(done->post)},
                                         {"exchanges", std::move(exchanges)}});
}

HttpResponse list_exchanges(RequestContext& ctx) {
  auto id = ctx.id<NeighbourhoodId>("id");
  if (!id) return error_response(id.error());
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto paging = parse_paging(*query);
  if (!paging) return error_response(paging.error());
  std::optional<ExchangeId> before;
  if (paging->before) before = ExchangeId{*paging->before};

  auto page = ctx.services.market.exchanges(ctx.user(), *id, before, paging->limit);
  if (!page) return error_response(page.error());
  json::array exchanges;
  for (const auto& e : page->exchanges) exchanges.push_back(exchange_json(e));
  return json_response(
      200, json::object{{"exchanges", std::move(exchanges)},
                        {"next_cursor", cursor_or_null(page->next_before)}});
}

}  // namespace noaber::http::handlers
