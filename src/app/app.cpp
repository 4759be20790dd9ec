#include "app/app.h"

#include <fstream>
#include <stdexcept>

#include <unistd.h>

#include "events/in_process_bus.h"
#include "events/postgres_bus.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace noaber {

namespace {
bool is_postgres_url(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}
}  // namespace

std::unique_ptr<EventBus> open_event_bus(const std::string& url) {
  if (is_postgres_url(url))
    return std::make_unique<PostgresEventBus>(PostgresEventBusOptions{.url = url});
  return std::make_unique<InProcessEventBus>();
}

OpenedStore open_store(const std::string& url, int read_connections, StoreTimer on_operation) {
  if (is_postgres_url(url)) {
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

namespace {

// Resident set size of this process, from /proc (Linux); 0 elsewhere.
double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long total_pages = 0, resident_pages = 0;
  if (!(statm >> total_pages >> resident_pages)) return 0;
  return static_cast<double>(resident_pages) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace

App::App(AppConfig config, const Clock* clock)
    : config_(std::move(config)),
      clock_(clock ? *clock : system_clock_),
      store_(open_store(config_.db, config_.read_connections,
                        [this](std::string_view op, double s) { metrics_.observe_store(op, s); })
                 .store),
      events_(open_event_bus(config_.db)),
      hasher_(config_.password_cost),
      limiter_(clock_),
      accounts_(*store_, clock_, hasher_, random_, limiter_, *events_, config_.accounts),
      neighbourhoods_(*store_, clock_, random_, limiter_, config_.neighbourhoods),
      feed_cache_(config_.feed_cache_entries > 0 && store_->write_generation()
                      ? std::make_unique<FeedCache>(config_.feed_cache_entries)
                      : nullptr),
      market_(*store_, clock_, limiter_, *events_, config_.market, feed_cache_.get()),
      live_feed_(*store_, clock_, *events_, config_.live_feed),
      health_(*store_, clock_),
      professionals_(*store_, clock_, limiter_, *events_, config_.professionals),
      notifications_(*store_, clock_),
      follow_ups_(*store_, clock_, *events_, config_.follow_ups),
      moderation_(*store_, clock_, limiter_, *events_, config_.moderation),
      dashboard_(*store_, clock_),
      static_files_(config_.web_dir),
      router_(http::ServiceSet{accounts_, neighbourhoods_, market_, live_feed_, *store_, metrics_,
                               health_, professionals_, notifications_, moderation_,
                               dashboard_},
              http::RouterOptions{config_.secure_cookies, config_.public_metrics,
                                  config_.accounts.session_absolute},
              static_files_) {
  metrics_.add_gauge({"process_resident_memory_bytes", "Resident memory of this server process.",
                      resident_bytes});
  if (FeedCache* cache = feed_cache_.get()) {
    metrics_.add_gauge({"noaber_feed_cache_hits", "Feed first pages served from the feed cache.",
                        [cache] { return static_cast<double>(cache->hits()); }});
    metrics_.add_gauge({"noaber_feed_cache_misses",
                        "Feed first pages the feed cache had no current entry for.",
                        [cache] { return static_cast<double>(cache->misses()); }});
    metrics_.add_gauge({"noaber_feed_cache_bypasses",
                        "Feed first pages read per reader (a hidden post in the page, or the "
                        "reader wrote one).",
                        [cache] { return static_cast<double>(cache->bypasses()); }});
    metrics_.add_gauge({"noaber_feed_cache_entries", "Entries in the feed cache.",
                        [cache] { return static_cast<double>(cache->size()); }});
  }
  if (dynamic_cast<SqliteStore*>(store_.get()))
    metrics_.add_gauge({"noaber_sqlite_heap_bytes",
                        "Heap SQLite holds (page caches, statements), part of the resident memory.",
                        [] { return static_cast<double>(sqlite_heap_bytes()); }});
}

App::~App() { stop(); }

std::uint16_t App::start() {
  http::ServerOptions options;
  options.host = config_.host;
  options.port = config_.port;
  options.io_threads = config_.io_threads;
  options.worker_threads = config_.worker_threads;
  options.write_threads = config_.write_threads;
  options.handle_signals = config_.handle_signals;
  options.stream_heartbeat = config_.stream_heartbeat;
  options.read_timeout = config_.read_timeout;
  options.idle_timeout = config_.idle_timeout;
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
