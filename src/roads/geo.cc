#include "roads/geo.h"

#include <algorithm>
#include <cmath>

namespace cocity::roads {
namespace {

constexpr double kEarthRadiusM = 6371008.8;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

// Metres per degree of longitude and latitude around `lat_deg`.
struct Scale {
  double x;
  double y;
};
Scale scale_at(double lat_deg) {
  double y = kEarthRadiusM * kDegToRad;
  return {y * std::cos(lat_deg * kDegToRad), y};
}

}  // namespace

bool is_valid(LatLon p) {
  return std::isfinite(p.lat) && std::isfinite(p.lon) &&
         std::abs(p.lat) <= 90 && std::abs(p.lon) <= 180;
}

double distance_m(LatLon a, LatLon b) {
  Scale s = scale_at((a.lat + b.lat) / 2);
  double dx = (b.lon - a.lon) * s.x;
  double dy = (b.lat - a.lat) * s.y;
  return std::sqrt(dx * dx + dy * dy);
}

Projection project_on_segment(LatLon p, LatLon a, LatLon b) {
  Scale s = scale_at(p.lat);
  double bx = (b.lon - a.lon) * s.x;
  double by = (b.lat - a.lat) * s.y;
  double px = (p.lon - a.lon) * s.x;
  double py = (p.lat - a.lat) * s.y;
  double len2 = bx * bx + by * by;
  double t = len2 > 0 ? std::clamp((px * bx + py * by) / len2, 0.0, 1.0) : 0.0;
  return {{a.lat + t * (b.lat - a.lat), a.lon + t * (b.lon - a.lon)}, t};
}

}  // namespace cocity::roads
