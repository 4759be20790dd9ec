#pragma once
// The live updates of one reader in one neighbourhood: what the http layer
// turns into a server-sent-events stream. The events come from the bus
// (events/event_bus.h); a subscription turns them into what its reader may
// be told:
//
// - posts created or changed that reach the neighbourhood, by the feed's
//   rule (its own posts, `nearby` posts of its nearby set, `region` posts of
//   its region), or for an active professional the professional feed's
//   (posts of the neighbourhood in their scope, not marked not for
//   professionals, and their own). A hidden post is told in full only to
//   those who still see it in the feed (its author; the managers of its own
//   neighbourhood); everyone else learns only its id, so a feed can drop it.
// - the reader's own new notifications, on every open stream of theirs;
// - the end: when the reader's session ends (logout, logout everywhere,
//   password change, erasure) or they may no longer read the neighbourhood
//   (suspended, professional access gone), checked when an AccessChangedEvent
//   about them arrives.
//
// Open subscriptions are bounded per process and per user, since each holds
// a connection open.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/types.h"
#include "events/event_bus.h"
#include "store/store.h"

namespace noaber {

struct LiveFeedPolicy {
  int max_streams = 1000;       // per process; beyond: unavailable (503)
  int max_streams_per_user = 5;  // beyond: rate_limited (429)
  // Notifications read per doorbell; more at once are not told live (the
  // list has them all).
  int notifications_per_event = 20;
};

// Where a subscription's output goes. Called on a bus thread, one call at a
// time, and never after end(); must be quick.
class LiveFeedSink {
 public:
  virtual ~LiveFeedSink() = default;
  // A post that reaches the reader, in full.
  virtual void post(const PostEvent& event) = 0;
  // A post that reached the reader is hidden now, and they may not see it.
  virtual void post_hidden(PostEventType type, PostId id) = 0;
  // One of the reader's notifications, as their list shows it.
  virtual void notification(const Notification& notification) = 0;
  // The reader may no longer listen; nothing follows.
  virtual void end() = 0;
};

// Who listens: the user and the hash of the session they opened it with.
struct LiveFeedReader {
  UserId user;
  std::string session_hash;
};

// Ends the subscription (and frees its place) when destroyed.
class LiveFeedSubscription {
 public:
  virtual ~LiveFeedSubscription() = default;
};

class LiveFeedService {
 public:
  LiveFeedService(Store& store, const Clock& clock, EventBus& bus, LiveFeedPolicy policy);

  // Verified members and active professionals (as the feed): not_found for
  // others, not_verified while pending, forbidden while suspended;
  // rate_limited past the per-user bound, unavailable past the per-process
  // one.
  Result<std::unique_ptr<LiveFeedSubscription>> subscribe(const LiveFeedReader& reader,
                                                          NeighbourhoodId n,
                                                          std::unique_ptr<LiveFeedSink> sink);

  int open_subscriptions() const;

 private:
  class Slot;
  class Subscription;
  Status reserve(UserId user);
  void release(UserId user);

  Store& store_;
  const Clock& clock_;
  EventBus& bus_;
  LiveFeedPolicy policy_;
  mutable std::mutex mutex_;
  int open_ = 0;
  std::map<UserId, int> open_by_user_;
};

}  // namespace noaber
