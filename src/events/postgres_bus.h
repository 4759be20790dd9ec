#pragma once
// The bus between server processes sharing one PostgreSQL database:
// publish() sends `SELECT pg_notify(channel, payload)`, and a listener
// thread with a connection of its own runs `LISTEN channel`, waits on the
// connection's socket with poll() and hands each notification to the
// subscribers of this process. Every process hears its own events the same
// way, so there is one path for all.
//
// A lost listener connection is reopened with a growing pause (events sent
// meanwhile are lost; see event_bus.h). Destruction wakes the thread through
// an eventfd and joins it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "events/event_bus.h"
#include "events/subscriber_list.h"

struct pg_conn;

namespace noaber {

struct PostgresEventBusOptions {
  std::string url;  // postgresql://... as for the store
  std::string channel = "noaber_events";
  // Pauses between attempts to reopen a lost listener connection.
  std::chrono::milliseconds reconnect_min{100};
  std::chrono::milliseconds reconnect_max{5000};
  // With no traffic for this long the listener checks its connection, so a
  // silently dead one is noticed.
  std::chrono::milliseconds liveness_check{30000};
};

class PostgresEventBus final : public EventBus {
 public:
  // Connects and starts listening before returning, so an event published
  // after construction reaches this process. Throws std::runtime_error when
  // the first connection fails (a start-up failure).
  explicit PostgresEventBus(PostgresEventBusOptions options);
  ~PostgresEventBus() override;

  PostgresEventBus(const PostgresEventBus&) = delete;
  PostgresEventBus& operator=(const PostgresEventBus&) = delete;

  void publish(const Event& event) override;
  std::unique_ptr<Subscription> subscribe(Handler handler) override;

  // The application_name of the listener's connection, so tests (and an
  // operator) can find it in pg_stat_activity.
  static constexpr const char* kListenerName = "noaber-events-listener";
  // NOTIFY's limit on a payload, in bytes (exclusive).
  static constexpr std::size_t kMaxPayload = 8000;
  // Times the listener connection was lost and opened again.
  int reconnects() const { return reconnects_.load(); }
  // Waits until the listener is connected and listening (after a reconnect,
  // say); false at the deadline.
  bool wait_until_listening(std::chrono::milliseconds timeout);

 private:
  pg_conn* open_listener();  // nullptr on failure (logged)
  void run_listener(pg_conn* connection);
  bool receive(pg_conn* connection);  // false once the connection is lost
  bool check_alive(pg_conn* connection);
  // Sleeps up to `pause` unless stop is requested; false when it is.
  bool pause_unless_stopping(std::chrono::milliseconds pause);
  void set_listening(bool listening);

  PostgresEventBusOptions options_;
  SubscriberList subscribers_;
  int wake_fd_ = -1;  // eventfd: written once, by the destructor
  std::atomic<bool> stopping_{false};
  std::atomic<int> reconnects_{0};

  std::mutex listening_mutex_;
  std::condition_variable listening_changed_;
  bool listening_ = false;

  // Publishing has a connection of its own, opened on first use and again
  // after it was lost; one publisher at a time.
  std::mutex publish_mutex_;
  pg_conn* publisher_ = nullptr;

  std::thread listener_;
};

}  // namespace noaber
