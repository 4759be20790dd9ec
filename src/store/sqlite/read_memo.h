#pragma once
// Answers of a few hot reads kept in memory, each with the pool generation
// it was read at (sqlite_db.h: ConnectionPool::write_generation and
// any_write_generation) and given again only while that generation is still
// the pool's current one. Every request of a signed-in reader asks for its
// session, and a feed read for the reader's membership and hidden posts;
// without the memo those three lookups were most of what a cached feed page
// cost (issue #5, docs/performance.md).
//
// Correct by the same argument as the feed cache: the caller reads the
// generation BEFORE its read transaction starts and keeps the answer under
// that number; a write that may have changed the answer commits and moves
// the generation before its caller returns, so from then on the kept answer
// no longer matches and the store is read again.
//
// Bounded: when full, the entries of older generations go first, then all.
// One mutex, held for a hash lookup; safe from any thread.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace noaber::sqlite {

// Lets a memo keyed by std::string be searched with a std::string_view,
// without building a string for every lookup.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename Key, typename Value, typename Hash = std::hash<Key>,
          typename Equal = std::equal_to<>>
class GenerationMemo {
 public:
  explicit GenerationMemo(std::size_t capacity) : capacity_(capacity) {}
  GenerationMemo(const GenerationMemo&) = delete;
  GenerationMemo& operator=(const GenerationMemo&) = delete;

  // The value kept for `key` if it was read at `generation`.
  template <typename Lookup>
  std::optional<Value> find(const Lookup& key, std::uint64_t generation) const {
    std::lock_guard lock(mutex_);
    const auto it = slots_.find(key);
    if (it == slots_.end() || it->second.generation != generation) return std::nullopt;
    return it->second.value;
  }

  // Keeps `value` as read at `generation`, unless a newer reading is kept.
  void put(Key key, std::uint64_t generation, Value value) {
    if (capacity_ == 0) return;
    std::lock_guard lock(mutex_);
    if (auto it = slots_.find(key); it != slots_.end()) {
      if (it->second.generation <= generation) it->second = Slot{generation, std::move(value)};
      return;
    }
    if (slots_.size() >= capacity_) make_room(generation);
    slots_.emplace(std::move(key), Slot{generation, std::move(value)});
  }

  // Changes the kept value of `key` in place, whatever its generation: for
  // a write that leaves the generation alone on purpose because it knows
  // its effect (a session's last_seen_at).
  template <typename Lookup, typename Fn>
  void update(const Lookup& key, Fn&& change) {
    std::lock_guard lock(mutex_);
    if (auto it = slots_.find(key); it != slots_.end()) change(it->second.value);
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return slots_.size();
  }

 private:
  struct Slot {
    std::uint64_t generation;
    Value value;
  };

  // Drops what was read before `current` (no reader can be given it any
  // more once `current` was seen), and everything if that was not enough.
  void make_room(std::uint64_t current) {
    std::erase_if(slots_, [current](const auto& kv) { return kv.second.generation < current; });
    if (slots_.size() >= capacity_) slots_.clear();
  }

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<Key, Slot, Hash, Equal> slots_;
};

}  // namespace noaber::sqlite
