// The feed query (Store::feed on SQLite) on a large synthetic data set: the
// first page of a neighbourhood, and a page deep in its history (a cursor).
//
// The data: NOABER_BENCH_DB names a database seeded by `noaber
// seed-synthetic` (bench/bench.sh keeps the national one in
// build/bench-data/national-seed1.db); without it, a large set (200,000
// residents, 2,000 neighbourhoods, 1,000,000 posts) is generated once into
// a temporary file with the bulk loader. NOABER_BENCH_NEIGHBOURHOODS tells
// how many neighbourhoods that database has, when it is not the national one.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <unistd.h>

#include "app/app.h"
#include "app/seed_synthetic.h"

namespace noaber {
namespace {

struct FeedData {
  std::string path;
  std::filesystem::path temp_dir;
  std::int64_t neighbourhoods = 0;
  std::unique_ptr<Store> store;

  FeedData() {
    if (const char* db = std::getenv("NOABER_BENCH_DB"); db && *db) {
      path = db;
      const char* n = std::getenv("NOABER_BENCH_NEIGHBOURHOODS");
      neighbourhoods = n ? std::atoll(n) : 10'000;
    } else {
      temp_dir = std::filesystem::temp_directory_path() /
                 ("noaber-feed-bench-" + std::to_string(getpid()));
      std::filesystem::create_directories(temp_dir);
      path = (temp_dir / "feed.db").string();
      SyntheticOptions options;
      options.residents = 200'000;
      options.neighbourhoods = 2'000;
      options.posts = 1'000'000;
      const auto counts = seed_synthetic(path, options, std::cerr, ProgressStyle::none);
      std::cerr << "feed benchmark data: " << counts.posts << " posts in " << counts.seconds
                << " s\n";
      neighbourhoods = options.neighbourhoods;
    }
    store = open_store(path, 1).store;
  }
  ~FeedData() {
    store.reset();
    if (!temp_dir.empty()) std::filesystem::remove_all(temp_dir);
  }
};

FeedData& data() {
  static FeedData d;
  return d;
}

TimePoint now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

void BM_FeedFirstPage(benchmark::State& state) {
  auto& d = data();
  std::int64_t n = 0;
  std::int64_t rows = 0;
  for (auto _ : state) {
    n = n * 7919 % d.neighbourhoods + 1;  // a different neighbourhood each time
    auto page = d.store->feed(FeedQuery{.neighbourhood_id = NeighbourhoodId{n}, .now = now()});
    if (!page) {
      state.SkipWithError("feed failed");
      break;
    }
    rows += static_cast<std::int64_t>(page->size());
  }
  state.counters["posts_per_page"] =
      benchmark::Counter(static_cast<double>(rows) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_FeedFirstPage)->Unit(benchmark::kMicrosecond);

// Half-way back through the posts: the cursor skips the newer ones.
void BM_FeedDeepPage(benchmark::State& state) {
  auto& d = data();
  std::int64_t n = 0;
  const auto newest = d.store->feed(FeedQuery{.neighbourhood_id = NeighbourhoodId{1}, .now = now(), .limit = 1});
  const std::int64_t half = newest && !newest->empty() ? (*newest)[0].id.value / 2 : 1;
  for (auto _ : state) {
    n = n * 7919 % d.neighbourhoods + 1;
    auto page = d.store->feed(
        FeedQuery{.neighbourhood_id = NeighbourhoodId{n}, .now = now(), .before = PostId{half}});
    if (!page) {
      state.SkipWithError("feed failed");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_FeedDeepPage)->Unit(benchmark::kMicrosecond);

// With a filter that most posts fail (one category and status): the scan
// walks further back for its 20 rows.
void BM_FeedFiltered(benchmark::State& state) {
  auto& d = data();
  std::int64_t n = 0;
  for (auto _ : state) {
    n = n * 7919 % d.neighbourhoods + 1;
    auto page = d.store->feed(FeedQuery{.neighbourhood_id = NeighbourhoodId{n},
                                        .category = Category::money,
                                        .status = PostStatus::open,
                                        .now = now()});
    if (!page) {
      state.SkipWithError("feed failed");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_FeedFiltered)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace noaber
