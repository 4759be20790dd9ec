#pragma once
// Events, and the bus that carries them from the service that changed
// something to every open live feed (server-sent events), in this process
// or, on PostgreSQL, in every process sharing the database. Three kinds:
//
// - PostEvent: a post was created or changed (status, edit, hidden);
// - NotificationEvent: a notification was stored for a user (a doorbell:
//   the user's streams read what is new from the store, so the event
//   carries nobody's data and can't reach the wrong reader);
// - AccessChangedEvent: a user's access may have shrunk (suspended, logged out,
//   password changed, erased); their streams check again whether they may
//   stay open.
//
// Services publish only after the store accepted the change (never from
// inside store code: a group-commit batch may run an operation twice).
// Delivery is best effort: an event published while a PostgreSQL listener
// is reconnecting is lost. Clients treat the stream as a hint to refresh,
// never as the record (the feed and the notification list are).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/types.h"

namespace noaber {

enum class PostEventType { created, updated };

// "post_created" / "post_updated": the SSE event name.
std::string_view to_string(PostEventType type);

// What a live feed needs to decide whether a post reaches a reader
// (neighbourhood, region, visibility, author, hidden, not for
// professionals) and what it shows (the rest). Kept small: on PostgreSQL it
// travels as a NOTIFY payload (8000 bytes at most; a title is at most 120
// characters).
struct PostEvent {
  PostEventType type = PostEventType::created;
  PostId post_id;
  NeighbourhoodId neighbourhood_id;
  RegionId region_id;
  Visibility visibility = Visibility::neighbourhood;
  PostKind kind = PostKind::ask;
  Category category = Category::goods;
  std::string title;
  PostStatus status = PostStatus::open;
  UserId author_id;
  bool hidden = false;  // a manager hid it (docs/moderation.md)
  bool not_for_professionals = false;

  static PostEvent about(PostEventType type, const Post& post);
  bool operator==(const PostEvent&) const = default;
};

// A notification for `user_id` was stored; or, when `members_of` is set
// instead, one for every verified member of that neighbourhood (a
// professional's request: one event rather than one per member).
struct NotificationEvent {
  UserId user_id;
  NeighbourhoodId members_of;

  static NotificationEvent for_members_of(NeighbourhoodId n) { return {UserId{}, n}; }
  bool operator==(const NotificationEvent&) const = default;
};

// `user_id`'s sessions or memberships changed in a way that may end their
// streams.
struct AccessChangedEvent {
  UserId user_id;
  bool operator==(const AccessChangedEvent&) const = default;
};

using Event = std::variant<PostEvent, NotificationEvent, AccessChangedEvent>;

// Compact JSON for carrying an event between processes; decode() answers
// nullopt for anything that is not a well-formed event of ours.
std::string encode(const Event& event);
std::optional<Event> decode(std::string_view text);
// For logs: "post_created 42", "notification for user 7", ...
std::string describe(const Event& event);

class EventBus {
 public:
  using Handler = std::function<void(const Event&)>;

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
  virtual void publish(const Event& event) = 0;

  // Handlers of one bus are called one at a time, on the publishing thread
  // (in-process) or the listener thread (PostgreSQL). They must be quick and
  // must not subscribe or unsubscribe.
  virtual std::unique_ptr<Subscription> subscribe(Handler handler) = 0;
};

}  // namespace noaber
