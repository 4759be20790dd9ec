#pragma once

namespace noaber {

// Great-circle distance between two centroids, in kilometres.
double distance_km(double lat1, double lon1, double lat2, double lon2);

bool valid_latitude(double lat);
bool valid_longitude(double lon);

}  // namespace noaber
