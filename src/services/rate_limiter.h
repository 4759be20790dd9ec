#pragma once
// Fixed-window counters per key ("login-ip:1.2.3.4"), bounded in memory:
// at most max_keys entries; when full, the least recently used key is
// forgotten, so an attack from many addresses can't grow the map without
// bound. Per process: with several server processes each counts on its own,
// which only makes the limit looser by that factor.

#include <chrono>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/error.h"

namespace noaber {

struct RateLimit {
  int max_events = 10;
  std::chrono::seconds window{300};
};

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, std::size_t max_keys = 100'000)
      : clock_(clock), max_keys_(max_keys) {}

  // Counts one event for key; rate_limited (with retry_after) once the
  // window's allowance is used up.
  Status hit(const std::string& key, const RateLimit& limit);

  std::size_t size() const;

 private:
  struct Window {
    TimePoint start;
    int count = 0;
    std::list<std::string>::iterator lru;
  };
  const Clock& clock_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  std::list<std::string> lru_;  // front = most recently used
};

}  // namespace noaber
