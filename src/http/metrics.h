#pragma once
// Request metrics in Prometheus' text format: a counter per (route template,
// status) and one latency histogram per route. Thread-safe; bounded because
// route templates are a fixed set (unknown paths count under "unmatched").

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace noaber::http {

class Metrics {
 public:
  void observe(std::string_view route, int status, double seconds);
  // Time spent in store calls, by operation name.
  void observe_store(std::string_view operation, double seconds);
  // A value read when /metrics is rendered (memory in use, pool sizes...).
  // Register gauges before the server starts; `read` must be thread-safe.
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
  };
  void add_gauge(Gauge gauge);
  std::string render_prometheus() const;

  static constexpr std::array<double, 12> kBuckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
    void add(double seconds);
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram, std::less<>> latency_;
  std::map<std::string, Histogram, std::less<>> store_latency_;
  std::vector<Gauge> gauges_;
};

}  // namespace noaber::http
