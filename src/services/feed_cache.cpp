#include "services/feed_cache.h"

#include <utility>

namespace noaber {

std::shared_ptr<const FeedCache::Entry> FeedCache::find(const Key& key,
                                                        std::uint64_t generation,
                                                        TimePoint now) {
  std::shared_ptr<const Entry> stale;  // released after the lock
  {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(key);
    if (it != slots_.end()) {
      const Entry& e = *it->second.entry;
      if (e.generation == generation && e.made_at <= now &&
          (!e.valid_until || now < *e.valid_until)) {
        lru_.splice(lru_.begin(), lru_, it->second.lru);
        if (e.shared) hits_.fetch_add(1, std::memory_order_relaxed);
        return it->second.entry;
      }
      // Of an older generation, or past its time: it can never be served
      // again. (A later generation means this caller read the store's
      // before a write; the entry is left for the callers after it.)
      if (e.generation <= generation) {
        stale = std::move(it->second.entry);
        lru_.erase(it->second.lru);
        slots_.erase(it);
      }
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  return nullptr;
}

void FeedCache::put(const Key& key, std::shared_ptr<const Entry> entry) {
  if (capacity_ == 0 || !entry) return;
  std::shared_ptr<const Entry> dropped;  // released after the lock
  std::lock_guard lock(mutex_);
  auto it = slots_.find(key);
  if (it != slots_.end()) {
    if (it->second.entry->generation > entry->generation) return;
    dropped = std::exchange(it->second.entry, std::move(entry));
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return;
  }
  if (slots_.size() >= capacity_) {
    auto last = slots_.find(lru_.back());
    dropped = std::move(last->second.entry);
    slots_.erase(last);
    lru_.pop_back();
  }
  lru_.push_front(key);
  slots_.emplace(key, Slot{std::move(entry), lru_.begin()});
}

std::size_t FeedCache::size() {
  std::lock_guard lock(mutex_);
  return slots_.size();
}

}  // namespace noaber
