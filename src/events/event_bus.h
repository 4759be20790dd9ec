#pragma once
// Events about posts, and the bus that carries them from the service that
// changed a post to every open live feed (server-sent events), in this
// process or, on PostgreSQL, in every process sharing the database.
//
// Delivery is best effort: an event published while a PostgreSQL listener
// is reconnecting is lost. Clients treat the stream as a hint to refresh,
// never as the record (the feed is).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/types.h"

namespace noaber {

enum class PostEventType { created, updated };

// "post_created" / "post_updated": the SSE event name.
std::string_view to_string(PostEventType type);

// What a live feed needs to decide whether a post reaches a neighbourhood
// (neighbourhood, region, visibility) and what it shows (the rest). Kept
// small: on PostgreSQL it travels as a NOTIFY payload (8000 bytes at most).
struct PostEvent {
  PostEventType type = PostEventType::created;
  PostId post_id;
  NeighbourhoodId neighbourhood_id;
  RegionId region_id;
  Visibility visibility = Visibility::neighbourhood;
  PostKind kind = PostKind::ask;
  Category category = Category::goods;
  std::string title;

  static PostEvent about(PostEventType type, const Post& post);
  bool operator==(const PostEvent&) const = default;
};

// Compact JSON for carrying an event between processes; decode() answers
// nullopt for anything that is not an event of ours.
std::string encode(const PostEvent& event);
std::optional<PostEvent> decode(std::string_view text);

class EventBus {
 public:
  using Handler = std::function<void(const PostEvent&)>;

  // Delivery ends when the subscription is destroyed; once the destructor
  // has returned its handler is not running and is never called again. The
  // bus must outlive its subscriptions.
  class Subscription {
   public:
    virtual ~Subscription() = default;
  };

  virtual ~EventBus() = default;

  // Hands the event to every subscriber (of every process, on PostgreSQL).
  // Never fails the caller: a bus that cannot publish logs it.
  virtual void publish(const PostEvent& event) = 0;

  // Handlers of one bus are called one at a time, on the publishing thread
  // (in-process) or the listener thread (PostgreSQL). They must be quick and
  // must not subscribe or unsubscribe.
  virtual std::unique_ptr<Subscription> subscribe(Handler handler) = 0;
};

}  // namespace noaber
