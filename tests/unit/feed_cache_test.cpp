// The feed cache on its own (services/feed_cache.h): an entry is served only
// at its generation and before its valid_until, the least recently used
// entry goes first, and the rendering is made once.

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "services/feed_cache.h"

namespace noaber {
namespace {

using std::chrono::seconds;

const TimePoint kNow{seconds(1'800'000'000)};

std::shared_ptr<const FeedCache::Entry> entry(std::uint64_t generation,
                                              std::optional<TimePoint> valid_until = {},
                                              std::int64_t first_post = 1) {
  Post p;
  p.id = PostId{first_post};
  p.title = "Ladder lenen";
  return std::make_shared<const FeedCache::Entry>(generation, kNow, valid_until, true,
                                                  std::vector<Post>{p}, std::nullopt);
}

FeedCache::Key key(std::int64_t n, int limit = 20) { return {NeighbourhoodId{n}, limit}; }

TEST(FeedCache, ServesAnEntryOnlyAtItsOwnGeneration) {
  FeedCache cache(10);
  EXPECT_EQ(cache.find(key(1), 7, kNow), nullptr);
  cache.put(key(1), entry(7));
  auto hit = cache.find(key(1), 7, kNow);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->posts.at(0).title, "Ladder lenen");
  EXPECT_EQ(cache.find(key(2), 7, kNow), nullptr) << "another neighbourhood";
  EXPECT_EQ(cache.find(key(1, 50), 7, kNow), nullptr) << "another page size";
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 3u);

  EXPECT_EQ(cache.find(key(1), 8, kNow), nullptr) << "a write happened since";
  EXPECT_EQ(cache.size(), 0u) << "and the stale entry is gone";
  EXPECT_EQ(cache.find(key(1), 7, kNow), nullptr);
}

TEST(FeedCache, AnEntryOfALaterGenerationStaysForTheReadersAfterIt) {
  FeedCache cache(10);
  cache.put(key(1), entry(9, {}, 2));
  EXPECT_EQ(cache.find(key(1), 8, kNow), nullptr);
  cache.put(key(1), entry(8, {}, 1));  // a reader that began before the write
  auto hit = cache.find(key(1), 9, kNow);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->posts.at(0).id, PostId{2});
}

TEST(FeedCache, AnEntryEndsAtItsValidUntil) {
  FeedCache cache(10);
  cache.put(key(1), entry(1, kNow + seconds(60)));
  EXPECT_NE(cache.find(key(1), 1, kNow), nullptr);
  EXPECT_NE(cache.find(key(1), 1, kNow + seconds(59)), nullptr);
  EXPECT_EQ(cache.find(key(1), 1, kNow + seconds(60)), nullptr) << "shown as expired from then";
  EXPECT_EQ(cache.find(key(1), 1, kNow), nullptr) << "dropped";
}

TEST(FeedCache, AnEntryIsNotServedBeforeItWasMade) {
  FeedCache cache(10);
  cache.put(key(1), entry(1, kNow + seconds(60)));
  EXPECT_EQ(cache.find(key(1), 1, kNow - seconds(1)), nullptr) << "the clock was set back";
}

TEST(FeedCache, TheLeastRecentlyUsedEntryGoesFirst) {
  FeedCache cache(2);
  cache.put(key(1), entry(1));
  cache.put(key(2), entry(1));
  EXPECT_NE(cache.find(key(1), 1, kNow), nullptr);  // 2 is now the oldest
  cache.put(key(3), entry(1));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.find(key(1), 1, kNow), nullptr);
  EXPECT_EQ(cache.find(key(2), 1, kNow), nullptr);
  EXPECT_NE(cache.find(key(3), 1, kNow), nullptr);
  cache.put(key(3), entry(2));  // replacing does not grow it
  EXPECT_EQ(cache.size(), 2u);
}

TEST(FeedCache, CapacityZeroKeepsNothing) {
  FeedCache cache(0);
  cache.put(key(1), entry(1));
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.find(key(1), 1, kNow), nullptr);
}

TEST(FeedCache, AnEntryThatIsNotSharedIsNoHit) {
  FeedCache cache(4);
  cache.put(key(1), std::make_shared<const FeedCache::Entry>(1, kNow, std::nullopt, false,
                                                             std::vector<Post>{}, std::nullopt));
  auto found = cache.find(key(1), 1, kNow);
  ASSERT_NE(found, nullptr);
  EXPECT_FALSE(found->shared);
  EXPECT_EQ(cache.hits(), 0u);
}

TEST(FeedCache, TheRenderingIsMadeOnceForEveryThread) {
  auto e = entry(1);
  std::atomic<int> renders{0};
  std::vector<std::thread> threads;
  std::atomic<int> matching{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      const std::string& text = e->rendered([&] {
        ++renders;
        return std::string("{\"posts\":[]}");
      });
      if (text == "{\"posts\":[]}") ++matching;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(renders.load(), 1);
  EXPECT_EQ(matching.load(), 4);
}

TEST(FeedCache, ManyThreadsFindAndPutAtOnce) {
  FeedCache cache(8);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::int64_t n = (i * 7 + t) % 16;
        const std::uint64_t generation = static_cast<std::uint64_t>(i / 100);
        if (auto hit = cache.find(key(n), generation, kNow)) {
          if (hit->generation != generation || hit->posts.at(0).id.value != n) ++wrong;
        } else {
          cache.put(key(n), entry(generation, {}, n));
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.size(), 8u);
}

}  // namespace
}  // namespace noaber
