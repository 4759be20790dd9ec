#pragma once
// A server-sent-events body (text/event-stream): events queued from any
// thread in the wire format
//
//   event: post_created
//   id: 42
//   data: {"id":42,"kind":"ask","category":"goods","title":"...","status":"open"}
//
// and taken out by the server, which knows nothing of what they mean. The
// stream keeps what feeds it (a live-feed subscription) alive exactly as
// long as itself.

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace noaber::http {

class EventStream final : public ResponseStream {
 public:
  // Queued but not yet sent bytes beyond which a client counts as too slow:
  // its stream ends, and it reconnects and refreshes.
  static constexpr std::size_t kDefaultBacklogLimit = 256 * 1024;
  // How long a browser waits before reconnecting after the stream ended.
  static constexpr int kReconnectMilliseconds = 5000;

  explicit EventStream(std::size_t backlog_limit = kDefaultBacklogLimit);
  // Lets go of the source first, so it never feeds a stream being destroyed.
  ~EventStream() override;

  // Queues one event and wakes the connection. Thread-safe.
  void send(std::string_view event, std::string_view id, std::string_view data);
  // Ends the stream after what is queued (the reader may no longer
  // listen). Thread-safe; later send()s are dropped.
  void end();
  // Keeps `source` alive until the stream is destroyed.
  void keep(std::shared_ptr<void> source);

  void attach(std::function<void()> wake) override;
  std::string take() override;
  bool ended() const override;
  std::string heartbeat() const override { return ": keep-alive\n\n"; }

 private:
  const std::size_t backlog_limit_;
  mutable std::mutex mutex_;
  std::function<void()> wake_;
  std::string queued_;
  bool ended_ = false;
  std::shared_ptr<void> source_;
};

}  // namespace noaber::http
