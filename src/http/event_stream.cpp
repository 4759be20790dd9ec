#include "http/event_stream.h"

#include <fmt/format.h>

namespace noaber::http {

EventStream::EventStream(std::size_t backlog_limit)
    : backlog_limit_(backlog_limit),
      // A comment first, so the client sees the stream is open, and how
      // long to wait before reconnecting.
      queued_(fmt::format(": noaber events\nretry: {}\n\n", kReconnectMilliseconds)) {}

EventStream::~EventStream() {
  std::shared_ptr<void> source;
  {
    std::lock_guard lock(mutex_);
    source = std::move(source_);
  }
  // Outside the lock: ending a subscription waits for its handler, which
  // may be inside send() waiting for this lock.
  source.reset();
}

void EventStream::keep(std::shared_ptr<void> source) {
  std::lock_guard lock(mutex_);
  source_ = std::move(source);
}

void EventStream::send(std::string_view event, std::string_view id, std::string_view data) {
  std::lock_guard lock(mutex_);
  if (ended_) return;
  if (queued_.size() > backlog_limit_) {
    ended_ = true;
  } else {
    queued_ += fmt::format("event: {}\nid: {}\n", event, id);
    // A line break would end the field; each line goes in a data field of
    // its own, which the client joins again.
    for (std::size_t start = 0;;) {
      const auto end = data.find('\n', start);
      queued_ += "data: ";
      queued_ += data.substr(start, end == std::string_view::npos ? end : end - start);
      queued_ += '\n';
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    queued_ += '\n';
  }
  if (wake_) wake_();
}

void EventStream::end() {
  std::lock_guard lock(mutex_);
  ended_ = true;
  if (wake_) wake_();
}

void EventStream::attach(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

std::string EventStream::take() {
  std::lock_guard lock(mutex_);
  std::string out;
  out.swap(queued_);
  return out;
}

bool EventStream::ended() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

}  // namespace noaber::http
