#include "http/metrics.h"

#include <fmt/format.h>

namespace noaber::http {

void Metrics::Histogram::add(double seconds) {
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++buckets[i];
  ++count;
  sum += seconds;
}

void Metrics::observe(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  auto it = latency_.find(route);
  if (it == latency_.end()) it = latency_.emplace(std::string(route), Histogram{}).first;
  it->second.add(seconds);
}

void Metrics::observe_store(std::string_view operation, double seconds) {
  std::lock_guard lock(mutex_);
  auto it = store_latency_.find(operation);
  if (it == store_latency_.end())
    it = store_latency_.emplace(std::string(operation), Histogram{}).first;
  it->second.add(seconds);
}

void Metrics::add_gauge(Gauge gauge) {
  std::lock_guard lock(mutex_);
  gauges_.push_back(std::move(gauge));
}

namespace {

void render_histogram(std::string& out, std::string_view name, std::string_view label,
                      const std::string& value, const auto& h) {
  for (std::size_t i = 0; i < Metrics::kBuckets.size(); ++i)
    out += fmt::format("{}_bucket{{{}=\"{}\",le=\"{}\"}} {}\n", name, label, value,
                       Metrics::kBuckets[i], h.buckets[i]);
  out += fmt::format("{}_bucket{{{}=\"{}\",le=\"+Inf\"}} {}\n", name, label, value, h.count);
  out += fmt::format("{}_sum{{{}=\"{}\"}} {}\n", name, label, value, h.sum);
  out += fmt::format("{}_count{{{}=\"{}\"}} {}\n", name, label, value, h.count);
}

}  // namespace

std::string Metrics::render_prometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP noaber_http_requests_total HTTP requests by route template and status.\n";
  out += "# TYPE noaber_http_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    out += fmt::format("noaber_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                       key.first, key.second, count);
  out += "# HELP noaber_http_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE noaber_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_)
    render_histogram(out, "noaber_http_request_duration_seconds", "route", route, h);
  out += "# HELP noaber_store_duration_seconds Time spent in store operations.\n";
  out += "# TYPE noaber_store_duration_seconds histogram\n";
  for (const auto& [op, h] : store_latency_)
    render_histogram(out, "noaber_store_duration_seconds", "operation", op, h);
  for (const auto& gauge : gauges_)
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", gauge.name, gauge.help,
                       gauge.read());
  return out;
}

}  // namespace noaber::http
