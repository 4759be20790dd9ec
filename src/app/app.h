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
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"
#include "services/accounts.h"
#include "services/market.h"
#include "services/neighbourhoods.h"
#include "services/follow_ups.h"
#include "services/notifications.h"
#include "services/password_hasher.h"
#include "services/rate_limiter.h"
#include "services/tokens.h"
#include "store/store.h"

namespace noaber {

struct AppConfig {
  std::string db = "data/noaber.db";  // a file path (SQLite); postgresql:// comes later
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::optional<std::filesystem::path> web_dir;
  int io_threads = 0;      // 0 = one per core
  int worker_threads = 2;  // password hashing
  int read_connections = 4;
  bool secure_cookies = false;
  bool public_metrics = false;
  bool handle_signals = true;  // tests turn this off
  AccountPolicy accounts;
  NeighbourhoodPolicy neighbourhoods;
  MarketPolicy market;
  Argon2idHasher::Cost password_cost;
  // How often the scheduler runs the follow-ups (app/scheduler.h); 0 = never
  // (tests run them by hand with follow_ups().run_due()).
  std::chrono::seconds follow_up_interval{60};
  FollowUpPolicy follow_ups;
};

// Opens the store named by a database URL (a plain path selects SQLite) and
// applies pending migrations. Throws std::runtime_error when it can't.
struct OpenedStore {
  std::unique_ptr<Store> store;
  int migrations_applied = 0;
};
OpenedStore open_store(const std::string& url, int read_connections = 4,
                       StoreTimer on_operation = {});

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
  FollowUpService& follow_ups() { return follow_ups_; }
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
  Argon2idHasher hasher_;
  RateLimiter limiter_;
  AccountService accounts_;
  NeighbourhoodService neighbourhoods_;
  MarketService market_;
  NotificationService notifications_;
  FollowUpService follow_ups_;
  http::StaticFiles static_files_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<Scheduler> scheduler_;  // started with the server
};

}  // namespace noaber
