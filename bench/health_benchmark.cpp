// Computing a year of community health figures (services/community_health.h)
// for a large neighbourhood: the whole exchange history of three years (the
// argument: how many exchanges), a year of asks, and its members.
// Run: build/noaber_benchmarks --benchmark_filter=Health (bench/CMakeLists.txt
// picks up every *_benchmark.cpp)

#include <benchmark/benchmark.h>

#include <random>

#include "services/community_health.h"

namespace noaber {
namespace {

using namespace std::chrono;

constexpr std::int64_t kMembers = 5000;
const TimePoint kStart{sys_days{2024y / January / 1}};
const TimePoint kEnd{sys_days{2027y / January / 1}};

// People help mostly within a small circle of neighbours (so ties repeat
// and deepen), now and then someone from elsewhere in the neighbourhood.
HealthHistory large_history(std::int64_t exchanges) {
  std::mt19937_64 random(20261129);
  std::uniform_int_distribution<std::int64_t> person(1, kMembers);
  std::uniform_int_distribution<std::int64_t> circle(1, 12);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int> category(0, 4);
  const auto span = (kEnd - kStart).count();

  HealthHistory h;
  for (std::int64_t m = 1; m <= kMembers; ++m)
    h.members.push_back({UserId{m}, kStart + seconds(span * (m - 1) / kMembers)});
  h.exchanges.reserve(static_cast<std::size_t>(exchanges));
  for (std::int64_t i = 0; i < exchanges; ++i) {
    const std::int64_t giver = person(random);
    const std::int64_t receiver =
        percent(random) < 80 ? (giver + circle(random) - 1) % kMembers + 1 : person(random);
    const bool elsewhere = percent(random) < 5;
    h.exchanges.push_back(TieExchange{
        .id = ExchangeId{i + 1},
        .giver = UserId{giver},
        .receiver = UserId{receiver},
        .category = static_cast<Category>(category(random)),
        .completed_at = kStart + seconds(span * i / exchanges),
        .giver_home = NeighbourhoodId{elsewhere ? 2 : 1},
        .receiver_home = NeighbourhoodId{1},
    });
  }
  const TimePoint year{sys_days{2026y / January / 1}};
  const auto year_span = (kEnd - year).count();
  const std::int64_t asks = exchanges / 6;  // asks in the last year
  for (std::int64_t i = 0; i < asks; ++i) {
    const TimePoint created = year + seconds(year_span * i / asks);
    const int fate = percent(random);
    h.posts.push_back(PostOutcome{
        .id = PostId{i + 1},
        .kind = PostKind::ask,
        .category = static_cast<Category>(category(random)),
        .created_at = created,
        .first_response_at = fate < 80 ? std::optional(created + hours(fate)) : std::nullopt,
        .status = fate < 60 ? PostStatus::done : PostStatus::expired,
    });
  }
  return h;
}

void BM_HealthYearOfFigures(benchmark::State& state) {
  const HealthHistory history = large_history(state.range(0));
  for (auto _ : state) {
    auto months = compute_health(history, 2026y / January, 2026y / December, kEnd);
    benchmark::DoNotOptimize(months);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["exchanges"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_HealthYearOfFigures)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

void BM_HealthSuppression(benchmark::State& state) {
  const auto months = compute_health(large_history(10'000), 2026y / January, 2026y / December, kEnd);
  for (auto _ : state) {
    for (const auto& m : months) {
      auto seen = for_audience(m, HealthAudience::professional);
      benchmark::DoNotOptimize(seen);
    }
  }
}
BENCHMARK(BM_HealthSuppression);

}  // namespace
}  // namespace noaber
