#include "services/rate_limiter.h"

#include <algorithm>

namespace noaber {

Status RateLimiter::hit(const std::string& key, const RateLimit& limit) {
  const TimePoint now = clock_.now();
  std::lock_guard lock(mutex_);
  auto it = windows_.find(key);
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) {
      windows_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = windows_.emplace(key, Window{now, 0, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Window& w = it->second;
  if (now >= w.start + limit.window) {
    w.start = now;
    w.count = 0;
  }
  if (w.count >= limit.max_events) {
    const auto wait = (w.start + limit.window) - now;
    Error error{ErrorCode::rate_limited, "Too many attempts. Please wait a moment and try again.",
                {}, static_cast<int>(std::max<std::int64_t>(1, wait.count()))};
    return std::unexpected(std::move(error));
  }
  ++w.count;
  return {};
}

std::size_t RateLimiter::size() const {
  std::lock_guard lock(mutex_);
  return windows_.size();
}

}  // namespace noaber
