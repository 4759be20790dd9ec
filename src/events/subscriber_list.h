#pragma once
// The subscribers of one bus, shared by both implementations: handlers are
// called under the list's mutex, so they run one at a time and removing a
// subscriber waits for its handler to return.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "events/event_bus.h"

namespace noaber {

class SubscriberList {
 public:
  std::unique_ptr<EventBus::Subscription> add(EventBus::Handler handler);
  void deliver(const Event& event);
  std::size_t size() const;

 private:
  class Entry;
  void remove(std::uint64_t id);

  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, EventBus::Handler> handlers_;
};

}  // namespace noaber
