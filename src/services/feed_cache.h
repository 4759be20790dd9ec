#pragma once
// The first page of a neighbourhood's feed, kept in memory for the readers
// who all get the same page (issue #5; docs/performance.md, "Feed cache").
//
// An entry is the page as of one store write generation
// (Store::write_generation): it is served only while that generation is
// still the store's current one, so any write at all (a new post, an edit,
// a response, a hide, an erasure, a membership change) makes every entry
// stale at once, and only while the clock is before its valid_until (the
// first moment one of its open posts expires and would be shown as
// expired). Which readers may get it is MarketService::feed's decision.
//
// Bounded (least recently used entries go first) and safe to use from many
// threads: one mutex, held for a hash lookup and a list splice.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/types.h"

namespace noaber {

class FeedCache {
 public:
  struct Key {
    NeighbourhoodId neighbourhood_id;
    int limit = 20;
    bool operator==(const Key&) const = default;
  };

  // One page, immutable once put, but for the memo of its rendering.
  class Entry {
   public:
    Entry(std::uint64_t generation, TimePoint made_at, std::optional<TimePoint> valid_until,
          bool shared, std::vector<Post> posts, std::optional<PostId> next_before)
        : generation(generation),
          made_at(made_at),
          valid_until(valid_until),
          shared(shared),
          posts(std::move(posts)),
          next_before(next_before) {}

    const std::uint64_t generation;
    // The clock when it was read; not served before (a clock set back
    // would otherwise see posts expired that aren't yet).
    const TimePoint made_at;
    // nullopt: nothing in it changes with time alone.
    const std::optional<TimePoint> valid_until;
    // false: the page differs between readers (it has a hidden post); the
    // entry only remembers that, so the store is not asked twice per
    // request, and holds no posts.
    const bool shared;
    const std::vector<Post> posts;  // statuses as presented (expired)
    const std::optional<PostId> next_before;

    // The page as the presentation layer writes it (the same bytes for
    // every reader): made by `render` once, by the first caller.
    const std::string& rendered(const std::function<std::string()>& render) const {
      std::call_once(rendered_once_, [&] { rendered_ = render(); });
      return rendered_;
    }

   private:
    mutable std::once_flag rendered_once_;
    mutable std::string rendered_;
  };

  // capacity: the most entries kept; 0 keeps none.
  explicit FeedCache(std::size_t capacity) : capacity_(capacity) {}
  FeedCache(const FeedCache&) = delete;
  FeedCache& operator=(const FeedCache&) = delete;

  // The entry for `key` if it was made at `generation` and `now` lies in
  // [made_at, valid_until); nullptr otherwise (a stale entry is dropped). Counts a
  // hit (an entry that is shared) or a miss.
  std::shared_ptr<const Entry> find(const Key& key, std::uint64_t generation, TimePoint now);
  // Keeps `entry` for `key`, unless an entry of a later generation is there
  // already; drops the least recently used entry when full.
  void put(const Key& key, std::shared_ptr<const Entry> entry);

  std::size_t capacity() const { return capacity_; }
  std::size_t size();
  std::uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  std::uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  // Requests that could not use the cache (their page may differ from the
  // shared one); counted by the caller.
  std::uint64_t bypasses() const { return bypasses_.load(std::memory_order_relaxed); }
  void count_bypass() { bypasses_.fetch_add(1, std::memory_order_relaxed); }

 private:
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::int64_t>{}(k.neighbourhood_id.value * 131 + k.limit);
    }
  };
  struct Slot {
    std::shared_ptr<const Entry> entry;
    std::list<Key>::iterator lru;  // position in lru_
  };

  const std::size_t capacity_;
  std::mutex mutex_;
  std::list<Key> lru_;  // most recently used first
  std::unordered_map<Key, Slot, KeyHash> slots_;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
  std::atomic<std::uint64_t> bypasses_{0};
};

}  // namespace noaber
