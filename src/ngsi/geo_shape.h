// Geometries for geo-queries: GeoJSON (RFC 7946) read into Boost.Geometry
// models, topological relations between them and distances on the sphere.
//
// Coordinates are WGS84 longitude/latitude in degrees. Topological relations
// (within, contains, intersects, disjoint, equals, overlaps) treat lon/lat
// as a plane, like PostGIS's geometry type: edges are straight in degrees
// and nothing wraps at the antimeridian. Distances are in metres on a sphere
// of the mean Earth radius: exact (haversine) between two points; between a
// point and a segment measured in a local equirectangular projection around
// the point, which is within 0.5% below ~100 km (near queries in a city).
//
// A GeoShape holds one or more parts (a GeometryCollection, or the
// instances of a multi-attribute); a query holds for the shape when it holds
// for any part. Immutable once built; safe to share between threads.
#pragma once

#include <memory>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/geometry/geometries/geometries.hpp>

#include "core/error.h"
#include "core/json.h"

namespace cocity::ngsi {

inline constexpr double kEarthRadiusM = 6371008.8;

namespace geo {
namespace bgm = boost::geometry::model;
using Point = bgm::d2::point_xy<double>;  // x = longitude, y = latitude
using MultiPoint = bgm::multi_point<Point>;
using LineString = bgm::linestring<Point>;
using MultiLineString = bgm::multi_linestring<LineString>;
using Polygon = bgm::polygon<Point>;  // corrected: clockwise outer, closed
using MultiPolygon = bgm::multi_polygon<Polygon>;
using Geometry = std::variant<Point, MultiPoint, LineString, MultiLineString,
                              Polygon, MultiPolygon>;
}  // namespace geo

struct GeoBox {
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
};

struct GeoShape {
  std::vector<geo::Geometry> parts;  // never empty once built
};

// Reads a GeoJSON geometry after validate_geometry (geojson.h): kBadRequestData
// naming `where` and the rule on anything invalid. GeometryCollections give
// one part per member (nested ones flattened).
Result<GeoShape> read_shape(const json::value& geojson, std::string_view where);

// Adds the parts of `geojson` to `shape`; false (and `shape` unchanged) when
// it is not a valid geometry. For stored values, which were validated once.
bool add_shape_parts(const json::value& geojson, GeoShape* shape);

GeoBox box_of(const geo::Geometry& g);
GeoBox box_of(const GeoShape& shape);

// Relations of `a` to `b` (a within b, a contains b, ...), planar.
bool within(const geo::Geometry& a, const geo::Geometry& b);
bool intersects(const geo::Geometry& a, const geo::Geometry& b);
bool equals(const geo::Geometry& a, const geo::Geometry& b);
bool overlaps(const geo::Geometry& a, const geo::Geometry& b);

// Metres between two points (haversine).
double distance_m(const geo::Point& a, const geo::Point& b);
// Smallest distance in metres between the geometries; 0 when they
// intersect.
double distance_m(const geo::Geometry& a, const geo::Geometry& b);

}  // namespace cocity::ngsi
