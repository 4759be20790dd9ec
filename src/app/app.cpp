#include "app/app.h"

#include <stdexcept>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace noaber {

OpenedStore open_store(const std::string& url, int read_connections, StoreTimer on_operation) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    // As many connections as SQLite's readers plus its writer.
    auto store = std::make_unique<PostgresStore>(PostgresOptions{
        .url = url, .pool_size = read_connections + 1, .on_operation = std::move(on_operation)});
    const int applied = store->migrate();
    return OpenedStore{std::move(store), applied};
  }
  if (url.empty()) throw std::runtime_error("no database given (--db PATH)");
  const std::filesystem::path path(url);
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  SqliteOptions options;
  options.path = url;
  options.read_connections = read_connections;
  options.on_operation = std::move(on_operation);
  auto store = std::make_unique<SqliteStore>(options);
  const int applied = store->migrate();
  return OpenedStore{std::move(store), applied};
}

App::App(AppConfig config, const Clock* clock)
    : config_(std::move(config)),
      clock_(clock ? *clock : system_clock_),
      store_(open_store(config_.db, config_.read_connections,
                        [this](std::string_view op, double s) { metrics_.observe_store(op, s); })
                 .store),
      hasher_(config_.password_cost),
      limiter_(clock_),
      accounts_(*store_, clock_, hasher_, random_, limiter_, config_.accounts),
      neighbourhoods_(*store_, clock_, random_, limiter_, config_.neighbourhoods),
      market_(*store_, clock_, limiter_, config_.market),
      static_files_(config_.web_dir),
      notifications_(*store_, clock_),
      follow_ups_(*store_, clock_, config_.follow_ups),
      router_(http::ServiceSet{accounts_, neighbourhoods_, market_, *store_, metrics_,
                               notifications_},
              http::RouterOptions{config_.secure_cookies, config_.public_metrics,
                                  config_.accounts.session_absolute},
              static_files_) {}

App::~App() { stop(); }

std::uint16_t App::start() {
  http::ServerOptions options;
  options.host = config_.host;
  options.port = config_.port;
  options.io_threads = config_.io_threads;
  options.worker_threads = config_.worker_threads;
  options.handle_signals = config_.handle_signals;
  server_ = std::make_unique<http::Server>(options, router_, metrics_);
  const std::uint16_t port = server_->start();
  if (config_.follow_up_interval.count() > 0 && !scheduler_) {
    scheduler_ = std::make_unique<Scheduler>(follow_ups_, config_.follow_up_interval);
    scheduler_->start();
  }
  return port;
}

void App::wait_for_signal() {
  if (server_) server_->wait_for_signal();
  if (scheduler_) scheduler_->stop();
}

void App::stop() {
  if (scheduler_) scheduler_->stop();
  if (server_) server_->stop();
}

}  // namespace noaber
