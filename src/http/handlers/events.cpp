// GET /api/v1/neighbourhoods/{id}/events: the feed's live updates as
// server-sent events. The service decides who may listen and which posts
// reach the neighbourhood; this turns its events into the wire format.

#include <boost/json/serialize.hpp>

#include "http/event_stream.h"
#include "http/handlers/handlers.h"
#include "http/json_views.h"

namespace noaber::http::handlers {

HttpResponse get_events(RequestContext& ctx) {
  auto n = ctx.id<NeighbourhoodId>("id");
  if (!n) return error_response(n.error());
  auto stream = std::make_shared<EventStream>();
  // The stream owns the subscription and ends it before it goes, so the
  // raw pointer never outlives what it points to.
  EventStream* sink = stream.get();
  auto subscription =
      ctx.services.live_feed.subscribe(ctx.user(), *n, [sink](const PostEvent& e) {
        sink->send(to_string(e.type), std::to_string(e.post_id.value),
                   boost::json::serialize(post_event_json(e)));
      });
  if (!subscription) return error_response(subscription.error());
  stream->keep(std::shared_ptr<LiveFeedSubscription>(std::move(*subscription)));

  HttpResponse r;
  r.status = 200;
  r.content_type = "text/event-stream";
  r.headers.emplace_back("Cache-Control", "no-store");
  // Tells nginx not to buffer this response even where proxy_buffering is on.
  r.headers.emplace_back("X-Accel-Buffering", "no");
  r.stream = std::move(stream);
  return r;
}

}  // namespace noaber::http::handlers
