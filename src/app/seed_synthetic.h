#pragma once
// `noaber seed-synthetic`: a deterministic, realistic data set of any size,
// up to a whole country, for benchmarks and load tests. It writes through
// the SQLite backend's bulk loader (store/sqlite/bulk_loader.h), not through
// the services, so five million posts take seconds rather than hours; the
// generator itself keeps every rule the services would (authors are
// verified members, responses only on posts that take them, exchanges only
// on done posts, counts matching their rows).

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "core/types.h"

namespace noaber {

inline constexpr std::string_view kSyntheticPassword = "synthetic-password";

struct SyntheticOptions {
  // The national scale.
  std::int64_t residents = 1'000'000;
  std::int64_t neighbourhoods = 10'000;
  std::int64_t posts = 5'000'000;
  std::uint64_t seed = 1;
  // Neighbourhoods whose centroids lie this close are each other's nearby
  // set (as NeighbourhoodPolicy::nearby_km for the server).
  double nearby_km = 2.0;
  // Every time in the data lies before this moment (posts span the year
  // before it), so the same seed gives the same data on any day.
  TimePoint until = TimePoint(std::chrono::seconds(1'793'491'200));  // 2026-11-01T00:00Z
};

struct SyntheticCounts {
  std::int64_t regions = 0;
  std::int64_t neighbourhoods = 0;
  std::int64_t nearby_pairs = 0;  // each pair once (the store keeps both directions)
  std::int64_t residents = 0;
  std::int64_t pending_members = 0;
  std::int64_t posts = 0;
  std::int64_t responses = 0;
  std::int64_t exchanges = 0;
  double seconds = 0;       // wall time of the whole seed
  double load_seconds = 0;  // of that, generating and inserting rows
};

// How progress is shown on `progress` (stderr): a bar redrawn in place with
// rate and time left, or plain lines every few seconds (not a terminal).
enum class ProgressStyle { bar, lines, none };

// Migrates the SQLite database at `db` (a new or empty one), then fills it.
// Throws std::invalid_argument for impossible options (fewer residents than
// neighbourhoods, a PostgreSQL URL) and std::runtime_error when the
// database fails.
SyntheticCounts seed_synthetic(const std::string& db, const SyntheticOptions& options,
                               std::ostream& progress, ProgressStyle style);

}  // namespace noaber
