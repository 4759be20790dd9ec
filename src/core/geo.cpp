#include "core/geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace noaber {

double distance_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusKm = 6371.0088;
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

bool valid_latitude(double lat) { return std::isfinite(lat) && lat >= -90 && lat <= 90; }
bool valid_longitude(double lon) { return std::isfinite(lon) && lon >= -180 && lon <= 180; }

}  // namespace noaber
