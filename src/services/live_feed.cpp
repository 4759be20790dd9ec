#include "services/live_feed.h"

#include <unordered_map>
#include <variant>

#include <spdlog/spdlog.h>

#include "services/access.h"

namespace noaber {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Clang before 17 deduces no aggregate's template arguments by itself.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// How a reader may read a neighbourhood: as a verified member (a manager or
// not), or else as an active professional. The feed's checks, in its order.
struct Standing {
  bool manager = false;
  std::optional<ProfessionalGrant> professional;
};

Result<Standing> standing_in(Store& store, UserId user, NeighbourhoodId n, TimePoint now) {
  auto m = require_verified_member(store, user, n);
  if (m) return Standing{m->role == Role::manager, std::nullopt};
  if (m.error().code != ErrorCode::not_found) return fail(m.error());
  auto grant = require_active_professional(store, user, n, now);
  if (!grant) return fail(grant.error());
  return Standing{false, std::move(*grant)};
}

// The answers that mean "no longer": the stream ends. Any other failure
// (the database is away) leaves it open.
bool refused(const Error& e) {
  return e.code == ErrorCode::not_found || e.code == ErrorCode::not_verified ||
         e.code == ErrorCode::forbidden || e.code == ErrorCode::unauthenticated;
}

}  // namespace

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
  Subscription(LiveFeedService& service, LiveFeedReader reader, NeighbourhoodId n,
               RegionId region, Standing standing, NotificationId seen,
               std::unique_ptr<LiveFeedSink> sink)
      : slot_(service, reader.user),
        store_(service.store_),
        clock_(service.clock_),
        notifications_per_event_(service.policy_.notifications_per_event),
        reader_(std::move(reader)),
        n_(n),
        region_(region),
        standing_(std::move(standing)),
        seen_(seen),
        sink_(std::move(sink)) {
    // Last: the bus may call the handler as soon as it is subscribed.
    subscription_ = service.bus_.subscribe([this](const Event& e) {
      if (ended_) return;
      std::visit(Overloaded{[this](const PostEvent& p) { on_post(p); },
                            [this](const NotificationEvent& n) { on_notification(n); },
                            [this](const AccessChangedEvent& a) { on_access(a); }},
                 e);
    });
  }
  // The bus subscription goes first, so no handler runs on a half-destroyed
  // object.
  ~Subscription() override { subscription_.reset(); }

 private:
  // Handlers run one at a time (event_bus.h), so the members they change
  // (the nearby cache, seen_, standing_, ended_) need no lock.

  void on_post(const PostEvent& e) {
    if (!reaches(e)) return;
    if (e.hidden && !sees_hidden(e)) sink_->post_hidden(e.type, e.post_id);
    else sink_->post(e);
  }

  bool reaches(const PostEvent& e) {
    if (standing_.professional) {
      // The professional feed's rule (Store::professional_feed).
      if (e.neighbourhood_id != n_) return false;
      if (e.author_id == reader_.user) return true;
      return standing_.professional->settings.in_scope(e.category) && !e.not_for_professionals;
    }
    // The feed's rule (Store::feed).
    if (e.neighbourhood_id == n_) return true;
    switch (e.visibility) {
      case Visibility::neighbourhood: return false;
      case Visibility::region: return e.region_id == region_;
      case Visibility::nearby: break;
    }
    // Nearby sets are fixed when a neighbourhood is founded, so an answer
    // stays true for the subscription's life.
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

  // As the feed: the author, and the verified managers of the post's own
  // neighbourhood when they read that neighbourhood's feed.
  bool sees_hidden(const PostEvent& e) const {
    if (e.author_id == reader_.user) return true;
    return !standing_.professional && standing_.manager && e.neighbourhood_id == n_;
  }

  // A doorbell: tell what is newer than what this stream told last, oldest
  // first. Reading from the store (rather than carrying the notification on
  // the bus) means one reader's data never travels towards another's
  // stream, and a doorbell lost on the way is made up for by the next.
  void on_notification(const NotificationEvent& e) {
    const bool for_members_here =
        e.members_of.value != 0 && e.members_of == n_ && !standing_.professional;
    if (e.user_id != reader_.user && !for_members_here) return;
    auto latest = store_.notifications(reader_.user, std::nullopt, notifications_per_event_);
    if (!latest) {
      spdlog::warn("live feed: cannot read the notifications of user {}: {}",
                   reader_.user.value, latest.error().message);
      return;
    }
    for (auto it = latest->rbegin(); it != latest->rend(); ++it) {
      if (it->id.value <= seen_.value) continue;
      seen_ = it->id;
      sink_->notification(*it);
    }
  }

  void on_access(const AccessChangedEvent& e) {
    if (e.user_id != reader_.user || still_allowed()) return;
    ended_ = true;
    sink_->end();
  }

  bool still_allowed() {
    const TimePoint now = clock_.now();
    auto session = store_.find_session(reader_.session_hash, now);
    if (!session) {
      if (session.error().code == ErrorCode::not_found) return false;
      spdlog::warn("live feed: cannot check a session of user {}: {}", reader_.user.value,
                   session.error().message);
      return true;
    }
    auto standing = standing_in(store_, reader_.user, n_, now);
    if (!standing) {
      if (refused(standing.error())) return false;
      spdlog::warn("live feed: cannot check the access of user {} to neighbourhood {}: {}",
                   reader_.user.value, n_.value, standing.error().message);
      return true;
    }
    standing_ = std::move(*standing);  // a role or a scope may have changed too
    return true;
  }

  Slot slot_;
  Store& store_;
  const Clock& clock_;
  const int notifications_per_event_;
  const LiveFeedReader reader_;
  const NeighbourhoodId n_;
  const RegionId region_;
  Standing standing_;
  NotificationId seen_;
  std::unique_ptr<LiveFeedSink> sink_;
  bool ended_ = false;
  std::unordered_map<std::int64_t, bool> nearby_;
  std::unique_ptr<EventBus::Subscription> subscription_;
};

LiveFeedService::LiveFeedService(Store& store, const Clock& clock, EventBus& bus,
                                 LiveFeedPolicy policy)
    : store_(store), clock_(clock), bus_(bus), policy_(policy) {}

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

Result<std::unique_ptr<LiveFeedSubscription>> LiveFeedService::subscribe(
    const LiveFeedReader& reader, NeighbourhoodId n, std::unique_ptr<LiveFeedSink> sink) {
  auto standing = standing_in(store_, reader.user, n, clock_.now());
  if (!standing) return fail(standing.error());
  auto hood = store_.get_neighbourhood(n);
  if (!hood) return fail(hood.error());
  // Notifications up to the newest one now are in the list already; the
  // stream tells those that come after. One stored between this read and
  // the subscription below is told with the next one.
  auto newest = store_.notifications(reader.user, std::nullopt, 1);
  if (!newest) return fail(newest.error());
  const NotificationId seen = newest->empty() ? NotificationId{0} : newest->front().id;
  if (auto s = reserve(reader.user); !s) return fail(s.error());
  // From here the Slot inside the subscription gives the place back.
  return std::make_unique<Subscription>(*this, reader, n, hood->region_id, std::move(*standing),
                                        seen, std::move(sink));
}

}  // namespace noaber
