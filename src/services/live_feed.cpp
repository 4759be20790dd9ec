#include "services/live_feed.h"

#include <unordered_map>

#include <spdlog/spdlog.h>

#include "services/access.h"

namespace noaber {

// A place counted against the bounds, given back on destruction.
class LiveFeedService::Slot {
 public:
  Slot(LiveFeedService& service, UserId user) : service_(service), user_(user) {}
  ~Slot() { service_.release(user_); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  LiveFeedService& service_;
  UserId user_;
};

class LiveFeedService::Subscription final : public LiveFeedSubscription {
 public:
  Subscription(LiveFeedService& service, UserId user, NeighbourhoodId n, RegionId region,
               Sink sink)
      : slot_(service, user), store_(service.store_), n_(n), region_(region), sink_(std::move(sink)) {
    // Last: the bus may call the handler as soon as it is subscribed.
    subscription_ = service.bus_.subscribe([this](const PostEvent& e) {
      if (reaches(e)) sink_(e);
    });
  }
  // The bus subscription goes first, so no handler runs on a half-destroyed
  // object.
  ~Subscription() override { subscription_.reset(); }

 private:
  // The feed's rule (Store::feed), decided per event.
  bool reaches(const PostEvent& e) {
    if (e.neighbourhood_id == n_) return true;
    switch (e.visibility) {
      case Visibility::neighbourhood: return false;
      case Visibility::region: return e.region_id == region_;
      case Visibility::nearby: break;
    }
    // Nearby sets are fixed when a neighbourhood is founded, so an answer
    // stays true for the subscription's life. Handlers run one at a time,
    // so the cache needs no lock.
    if (const auto known = nearby_.find(e.neighbourhood_id.value); known != nearby_.end())
      return known->second;
    auto near = store_.are_nearby(n_, e.neighbourhood_id);
    if (!near) {
      spdlog::warn("live feed: cannot tell whether neighbourhood {} is near {}: {}",
                   e.neighbourhood_id.value, n_.value, near.error().message);
      return false;
    }
    nearby_.emplace(e.neighbourhood_id.value, *near);
    return *near;
  }

  Slot slot_;
  Store& store_;
  NeighbourhoodId n_;
  RegionId region_;
  Sink sink_;
  std::unordered_map<std::int64_t, bool> nearby_;
  std::unique_ptr<EventBus::Subscription> subscription_;
};

LiveFeedService::LiveFeedService(Store& store, EventBus& bus, LiveFeedPolicy policy)
    : store_(store), bus_(bus), policy_(policy) {}

Status LiveFeedService::reserve(UserId user) {
  std::lock_guard lock(mutex_);
  int& mine = open_by_user_[user];
  if (mine >= policy_.max_streams_per_user) {
    if (mine == 0) open_by_user_.erase(user);
    return std::unexpected(Error{ErrorCode::rate_limited,
                                 "You have too many live feeds open. Close one and try again.",
                                 {},
                                 5});
  }
  if (open_ >= policy_.max_streams) {
    if (mine == 0) open_by_user_.erase(user);
    return std::unexpected(Error{ErrorCode::unavailable,
                                 "Too many live feeds are open. Please try again later.",
                                 {},
                                 30});
  }
  ++mine;
  ++open_;
  return {};
}

void LiveFeedService::release(UserId user) {
  std::lock_guard lock(mutex_);
  --open_;
  if (auto it = open_by_user_.find(user); it != open_by_user_.end() && --it->second <= 0)
    open_by_user_.erase(it);
}

int LiveFeedService::open_subscriptions() const {
  std::lock_guard lock(mutex_);
  return open_;
}

Result<std::unique_ptr<LiveFeedSubscription>> LiveFeedService::subscribe(UserId reader,
                                                                         NeighbourhoodId n,
                                                                         Sink sink) {
  if (auto m = require_verified_member(store_, reader, n); !m) return fail(m.error());
  auto hood = store_.get_neighbourhood(n);
  if (!hood) return fail(hood.error());
  if (auto s = reserve(reader); !s) return fail(s.error());
  // From here the Slot inside the subscription gives the place back.
  return std::make_unique<Subscription>(*this, reader, n, hood->region_id, std::move(sink));
}

}  // namespace noaber
