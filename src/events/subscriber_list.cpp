#include "events/subscriber_list.h"

#include <exception>

#include <spdlog/spdlog.h>

namespace noaber {

class SubscriberList::Entry final : public EventBus::Subscription {
 public:
  Entry(SubscriberList& list, std::uint64_t id) : list_(list), id_(id) {}
  ~Entry() override { list_.remove(id_); }

 private:
  SubscriberList& list_;
  std::uint64_t id_;
};

std::unique_ptr<EventBus::Subscription> SubscriberList::add(EventBus::Handler handler) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  handlers_.emplace(id, std::move(handler));
  return std::make_unique<Entry>(*this, id);
}

void SubscriberList::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  handlers_.erase(id);
}

void SubscriberList::deliver(const Event& event) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, handler] : handlers_) {
    // One subscriber's bug must not keep the event from the others.
    try {
      handler(event);
    } catch (const std::exception& e) {
      spdlog::error("event subscriber {} failed: {}", id, e.what());
    }
  }
}

std::size_t SubscriberList::size() const {
  std::lock_guard lock(mutex_);
  return handlers_.size();
}

}  // namespace noaber
