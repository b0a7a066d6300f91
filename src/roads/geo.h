// WGS84 points and the small amount of geometry the road graph needs.
//
// Distances use a local equirectangular approximation around the points,
// which is accurate to well under 0.1% within a city (segments are metres to
// a few kilometres long); the graph never measures across continents.
#pragma once

namespace cocity::roads {

// A WGS84 position in degrees. Valid when |lat| <= 90 and |lon| <= 180.
struct LatLon {
  double lat = 0;
  double lon = 0;
};

bool is_valid(LatLon p);

// Distance in metres between two nearby points.
double distance_m(LatLon a, LatLon b);

// The point of segment [a, b] nearest to p, and how far along the segment it
// lies as a fraction in [0, 1] (0 at a).
struct Projection {
  LatLon point;
  double fraction = 0;
};
Projection project_on_segment(LatLon p, LatLon a, LatLon b);

}  // namespace cocity::roads
