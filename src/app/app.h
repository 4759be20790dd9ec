#pragma once
// Wiring: builds the store, clock, random source, hasher, rate limiter and
// services from a configuration and hands each its dependencies. main()
// and the API tests both use it, so tests exercise the real assembly.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "app/scheduler.h"
#include "core/clock.h"
#include "events/event_bus.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"
#include "services/accounts.h"
#include "services/live_feed.h"
#include "services/community_health.h"
#include "services/market.h"
#include "services/neighbourhoods.h"
#include "services/follow_ups.h"
#include "services/notifications.h"
#include "services/password_hasher.h"
#include "services/professionals.h"
#include "services/moderation.h"
#include "services/rate_limiter.h"
#include "services/tokens.h"
#include "store/store.h"

namespace noaber {

struct AppConfig {
  std::string db = "data/noaber.db";  // a file path (SQLite) or a postgresql:// URL
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::optional<std::filesystem::path> web_dir;
  int io_threads = 0;      // 0 = one per core
  int worker_threads = 2;  // password hashing
  int write_threads = 32;  // requests that change data (they wait for the disk)
  int read_connections = 4;
  // First feed pages kept (services/feed_cache.h); 0 = none. Only on SQLite:
  // other processes' writes to PostgreSQL would go unseen.
  std::size_t feed_cache_entries = 1000;
  bool secure_cookies = false;
  bool public_metrics = false;
  bool handle_signals = true;  // tests turn this off
  AccountPolicy accounts;
  NeighbourhoodPolicy neighbourhoods;
  MarketPolicy market;
  LiveFeedPolicy live_feed;  // bounds on open event streams
  std::chrono::seconds stream_heartbeat{15};
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};
  ProfessionalPolicy professionals;
  Argon2idHasher::Cost password_cost;
  // How often the scheduler runs the follow-ups (app/scheduler.h); 0 = never
  // (tests run them by hand with follow_ups().run_due()).
  std::chrono::seconds follow_up_interval{60};
  FollowUpPolicy follow_ups;
  // --- moderation (issue #8) ---
  ModerationPolicy moderation;
};

// Opens the store named by a database URL (a plain path selects SQLite) and
// applies pending migrations. Throws std::runtime_error when it can't.
struct OpenedStore {
  std::unique_ptr<Store> store;
  int migrations_applied = 0;
};
OpenedStore open_store(const std::string& url, int read_connections = 4,
                       StoreTimer on_operation = {});

// The event bus that goes with the store a database URL selects: PostgreSQL
// LISTEN/NOTIFY, so that every server process on the database hears every
// other's events, or an in-process bus for SQLite (one process).
std::unique_ptr<EventBus> open_event_bus(const std::string& url);

// Every long-lived object of one running Noaber, in dependency order.
class App {
 public:
  // clock == nullptr uses the system clock.
  explicit App(AppConfig config, const Clock* clock = nullptr);
  ~App();

  Store& store() { return *store_; }
  AccountService& accounts() { return accounts_; }
  NeighbourhoodService& neighbourhoods() { return neighbourhoods_; }
  MarketService& market() { return market_; }
  FeedCache* feed_cache() { return feed_cache_.get(); }
  LiveFeedService& live_feed() { return live_feed_; }
  EventBus& events() { return *events_; }
  CommunityHealthService& health() { return health_; }
  ProfessionalService& professionals() { return professionals_; }
  FollowUpService& follow_ups() { return follow_ups_; }
  ModerationService& moderation() { return moderation_; }
  DashboardService& dashboard() { return dashboard_; }
  http::Metrics& metrics() { return metrics_; }
  // The request handler the server uses, for in-process callers (fuzz/).
  http::Router& router() { return router_; }
  const AppConfig& config() const { return config_; }

  // Starts serving; returns the bound port (useful with port 0).
  std::uint16_t start();
  // Blocks until SIGINT/SIGTERM, then shuts down gracefully.
  void wait_for_signal();
  void stop();

 private:
  AppConfig config_;
  SystemClock system_clock_;
  const Clock& clock_;
  SystemRandom random_;
  http::Metrics metrics_;  // before store_, which reports its timings here
  std::unique_ptr<Store> store_;
  // Outlives the services that publish and the streams that subscribe.
  std::unique_ptr<EventBus> events_;
  Argon2idHasher hasher_;
  RateLimiter limiter_;
  AccountService accounts_;
  NeighbourhoodService neighbourhoods_;
  std::unique_ptr<FeedCache> feed_cache_;  // none when off (or on PostgreSQL)
  MarketService market_;
  LiveFeedService live_feed_;
  CommunityHealthService health_;
  ProfessionalService professionals_;
  NotificationService notifications_;
  FollowUpService follow_ups_;
  ModerationService moderation_;  // issue #8
  DashboardService dashboard_;    // issue #8: connectors, the managers' dashboard
  http::StaticFiles static_files_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<Scheduler> scheduler_;  // started with the server
};

}  // namespace noaber
