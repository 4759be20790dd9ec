// GET /api/v1/neighbourhoods/{id}/events: the live updates as server-sent
// events. The service decides who may listen and what reaches them; this
// turns what it hands over into the wire format.

#include <boost/json/serialize.hpp>

#include "http/event_stream.h"
#include "http/handlers/handlers.h"
#include "http/json_views.h"

namespace noaber::http::handlers {
namespace {

// Writes what a live-feed subscription hands over into an event stream. The
// stream owns the subscription, which owns this sink, and ends the
// subscription before it goes, so `stream_` never dangles.
class StreamSink final : public LiveFeedSink {
 public:
  explicit StreamSink(EventStream& stream) : stream_(stream) {}

  void post(const PostEvent& e) override {
    stream_.send(to_string(e.type), std::to_string(e.post_id.value),
                 boost::json::serialize(post_event_json(e)));
  }
  void post_hidden(PostEventType type, PostId id) override {
    stream_.send(to_string(type), std::to_string(id.value),
                 boost::json::serialize(hidden_post_event_json(id)));
  }
  void notification(const Notification& n) override {
    stream_.send("notification", std::to_string(n.id.value),
                 boost::json::serialize(notification_json(n)));
  }
  void end() override { stream_.end(); }

 private:
  EventStream& stream_;
};

}  // namespace

HttpResponse get_events(RequestContext& ctx) {
  auto n = ctx.id<NeighbourhoodId>("id");
  if (!n) return error_response(n.error());
  auto stream = std::make_shared<EventStream>();
  auto subscription = ctx.services.live_feed.subscribe(
      LiveFeedReader{ctx.user(), ctx.auth->token_hash}, *n, std::make_unique<StreamSink>(*stream));
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
