#include "events/postgres_bus.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

namespace noaber {
namespace {

// libpq's messages end in a newline; the log adds its own.
std::string message_of(const PGconn* connection) {
  std::string text = PQerrorMessage(connection);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

PGconn* connect(const std::string& url, const char* application_name) {
  const char* keywords[] = {"dbname", "application_name", nullptr};
  const char* values[] = {url.c_str(), application_name, nullptr};
  PGconn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (connection && PQstatus(connection) == CONNECTION_OK) return connection;
  spdlog::warn("event bus: cannot connect to PostgreSQL: {}",
               connection ? message_of(connection) : std::string("out of memory"));
  PQfinish(connection);
  return nullptr;
}

int milliseconds(std::chrono::milliseconds d) {
  return static_cast<int>(std::clamp<std::int64_t>(d.count(), 0, 24 * 3600 * 1000));
}

}  // namespace

PostgresEventBus::PostgresEventBus(PostgresEventBusOptions options) : options_(std::move(options)) {
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0)
    throw std::runtime_error(std::string("event bus: eventfd failed: ") + std::strerror(errno));
  PGconn* connection = open_listener();
  if (!connection) {
    ::close(wake_fd_);
    throw std::runtime_error("event bus: cannot listen for events on the PostgreSQL database");
  }
  listener_ = std::thread([this, connection] { run_listener(connection); });
}

PostgresEventBus::~PostgresEventBus() {
  stopping_ = true;
  const std::uint64_t one = 1;
  if (::write(wake_fd_, &one, sizeof one) < 0)
    spdlog::error("event bus: cannot wake the listener: {}", std::strerror(errno));
  if (listener_.joinable()) listener_.join();
  ::close(wake_fd_);
  PQfinish(publisher_);
}

std::unique_ptr<EventBus::Subscription> PostgresEventBus::subscribe(Handler handler) {
  return subscribers_.add(std::move(handler));
}

void PostgresEventBus::publish(const Event& event) {
  const std::string payload = encode(event);
  // NOTIFY refuses payloads of 8000 bytes or more. Events are far smaller
  // (a title is at most 120 characters); one that is not is a bug, logged.
  if (payload.size() >= kMaxPayload) {
    spdlog::error("event bus: {} not sent: its payload has {} bytes", describe(event),
                  payload.size());
    return;
  }
  const char* values[] = {options_.channel.c_str(), payload.c_str()};
  std::lock_guard lock(publish_mutex_);
  // A connection found dead is reopened once for this event.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!publisher_) publisher_ = connect(options_.url, "noaber-events-publisher");
    if (!publisher_) break;
    PGresult* result = PQexecParams(publisher_, "SELECT pg_notify($1, $2)", 2, nullptr, values,
                                    nullptr, nullptr, 0);
    const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
    PQclear(result);
    if (ok) return;
    spdlog::warn("event bus: publishing failed: {}", message_of(publisher_));
    if (PQstatus(publisher_) == CONNECTION_OK) break;  // not a connection problem
    PQfinish(publisher_);
    publisher_ = nullptr;
  }
  spdlog::warn("event bus: {} not sent", describe(event));
}

PGconn* PostgresEventBus::open_listener() {
  PGconn* connection = connect(options_.url, kListenerName);
  if (!connection) return nullptr;
  char* channel = PQescapeIdentifier(connection, options_.channel.c_str(), options_.channel.size());
  if (!channel) {
    spdlog::error("event bus: bad channel name: {}", message_of(connection));
    PQfinish(connection);
    return nullptr;
  }
  PGresult* result = PQexec(connection, (std::string("LISTEN ") + channel).c_str());
  PQfreemem(channel);
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  if (!ok) {
    spdlog::warn("event bus: LISTEN failed: {}", message_of(connection));
    PQfinish(connection);
    return nullptr;
  }
  set_listening(true);
  return connection;
}

void PostgresEventBus::set_listening(bool listening) {
  {
    std::lock_guard lock(listening_mutex_);
    listening_ = listening;
  }
  listening_changed_.notify_all();
}

bool PostgresEventBus::wait_until_listening(std::chrono::milliseconds timeout) {
  std::unique_lock lock(listening_mutex_);
  return listening_changed_.wait_for(lock, timeout, [&] { return listening_; });
}

bool PostgresEventBus::pause_unless_stopping(std::chrono::milliseconds pause) {
  pollfd wake{wake_fd_, POLLIN, 0};
  while (poll(&wake, 1, milliseconds(pause)) < 0 && errno == EINTR) {
  }
  return !stopping_;
}

void PostgresEventBus::run_listener(PGconn* connection) {
  auto pause = options_.reconnect_min;
  while (!stopping_) {
    if (!connection) {
      if (!pause_unless_stopping(pause)) break;
      pause = std::min(pause * 2, options_.reconnect_max);
      connection = open_listener();
      if (!connection) continue;
      ++reconnects_;
      pause = options_.reconnect_min;
      spdlog::info("event bus: listening again after a lost connection");
    }
    pollfd fds[2] = {{PQsocket(connection), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int ready = poll(fds, 2, milliseconds(options_.liveness_check));
    if (ready < 0 && errno == EINTR) continue;
    if (fds[1].revents != 0 || stopping_) break;
    const bool alive = ready < 0               ? false
                       : ready == 0            ? check_alive(connection)
                                               : receive(connection);
    if (!alive) {
      spdlog::warn("event bus: lost the listener connection: {}", message_of(connection));
      set_listening(false);
      PQfinish(connection);
      connection = nullptr;
    }
  }
  set_listening(false);
  PQfinish(connection);
}

bool PostgresEventBus::receive(PGconn* connection) {
  if (PQconsumeInput(connection) == 0) return false;
  while (PGnotify* notification = PQnotifies(connection)) {
    if (options_.channel == notification->relname) {
      if (auto event = decode(notification->extra))
        subscribers_.deliver(*event);
      else  // malformed, or from a newer or older version: dropped
        spdlog::warn("event bus: ignored a notification that is not an event ({} bytes)",
                     std::strlen(notification->extra));
    }
    PQfreemem(notification);
  }
  return PQstatus(connection) == CONNECTION_OK;
}

bool PostgresEventBus::check_alive(PGconn* connection) {
  PGresult* result = PQexec(connection, "SELECT 1");
  const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
  PQclear(result);
  // Notifications that came in with the answer wait in libpq's queue.
  return ok && receive(connection);
}

}  // namespace noaber
