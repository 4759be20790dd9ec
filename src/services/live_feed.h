#pragma once
// The feed's live updates: a verified member subscribes to a neighbourhood
// and is told of every post created or changed that reaches it, by the same
// rule as the feed (its own posts, `nearby` posts of its nearby set,
// `region` posts of its region). The http layer turns this into a
// server-sent-events stream; the events come from the event bus.
//
// Open subscriptions are bounded per process and per user, since each holds
// a connection open.

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "core/error.h"
#include "core/types.h"
#include "events/event_bus.h"
#include "store/store.h"

namespace noaber {

struct LiveFeedPolicy {
  int max_streams = 1000;       // per process; beyond: unavailable (503)
  int max_streams_per_user = 5;  // beyond: rate_limited (429)
};

// Ends the subscription (and frees its place) when destroyed.
class LiveFeedSubscription {
 public:
  virtual ~LiveFeedSubscription() = default;
};

class LiveFeedService {
 public:
  // Called on a bus thread, one event at a time; must be quick.
  using Sink = std::function<void(const PostEvent&)>;

  LiveFeedService(Store& store, EventBus& bus, LiveFeedPolicy policy);

  // not_found for non-members, not_verified while pending, forbidden while
  // suspended (as the feed); rate_limited past the per-user bound,
  // unavailable past the per-process one.
  Result<std::unique_ptr<LiveFeedSubscription>> subscribe(UserId reader, NeighbourhoodId n,
                                                          Sink sink);

  int open_subscriptions() const;

 private:
  class Slot;
  class Subscription;
  Status reserve(UserId user);
  void release(UserId user);

  Store& store_;
  EventBus& bus_;
  LiveFeedPolicy policy_;
  mutable std::mutex mutex_;
  int open_ = 0;
  std::map<UserId, int> open_by_user_;
};

}  // namespace noaber
