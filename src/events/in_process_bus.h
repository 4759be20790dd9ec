#pragma once
// The bus of a single process (SQLite): publish() calls the subscribers
// directly, on the publishing thread.

#include "events/event_bus.h"
#include "events/subscriber_list.h"

namespace noaber {

class InProcessEventBus final : public EventBus {
 public:
  void publish(const Event& event) override { subscribers_.deliver(event); }
  std::unique_ptr<Subscription> subscribe(Handler handler) override {
    return subscribers_.add(std::move(handler));
  }
  std::size_t subscriber_count() const { return subscribers_.size(); }

 private:
  SubscriberList subscribers_;
};

}  // namespace noaber
