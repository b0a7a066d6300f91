#include "ngsi/geo_shape.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <type_traits>

#include "ngsi/geojson.h"

namespace cocity::ngsi {
namespace {

namespace bg = boost::geometry;

constexpr double kRadPerDeg = std::numbers::pi / 180.0;
constexpr int kMaxCollectionDepth = 4;

geo::Point position(const json::value& p) {
  const auto& a = p.get_array();
  return geo::Point(a[0].to_number<double>(), a[1].to_number<double>());
}

template <typename Range>
Range points_of(const json::value& v) {
  Range out;
  for (const auto& p : v.get_array()) out.push_back(position(p));
  return out;
}

geo::Polygon polygon_of(const json::value& rings) {
  geo::Polygon poly;
  const auto& a = rings.get_array();
  for (size_t i = 0; i < a.size(); ++i) {
    auto ring = points_of<geo::Polygon::ring_type>(a[i]);
    if (i == 0) {
      poly.outer() = std::move(ring);
    } else {
      poly.inners().push_back(std::move(ring));
    }
  }
  bg::correct(poly);
  return poly;
}

// REQUIRES: `g` passed validate_geometry and is not a collection.
geo::Geometry geometry_of(std::string_view type, const json::value& c) {
  if (type == "Point") return position(c);
  if (type == "MultiPoint") return points_of<geo::MultiPoint>(c);
  if (type == "LineString") return points_of<geo::LineString>(c);
  if (type == "MultiLineString") {
    geo::MultiLineString out;
    for (const auto& l : c.get_array())
      out.push_back(points_of<geo::LineString>(l));
    return out;
  }
  if (type == "Polygon") return polygon_of(c);
  geo::MultiPolygon out;
  for (const auto& p : c.get_array()) out.push_back(polygon_of(p));
  return out;
}

void add_parts(const json::value& g, int depth, GeoShape* shape) {
  const auto& o = g.get_object();
  std::string_view type = o.at("type").get_string();
  if (type == "GeometryCollection") {
    if (depth >= kMaxCollectionDepth) return;
    for (const auto& member : o.at("geometries").get_array())
      add_parts(member, depth + 1, shape);
    return;
  }
  shape->parts.push_back(geometry_of(type, o.at("coordinates")));
}

template <typename T>
constexpr int dimension() {
  if constexpr (std::is_same_v<T, geo::Point> ||
                std::is_same_v<T, geo::MultiPoint>) {
    return 0;
  } else if constexpr (std::is_same_v<T, geo::LineString> ||
                       std::is_same_v<T, geo::MultiLineString>) {
    return 1;
  } else {
    return 2;
  }
}

// Calls f(p, q) for every segment of `g`; points are segments (p, p).
template <typename F>
void for_each_segment(const geo::Geometry& g, F f) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, geo::Point>) {
          f(x, x);
        } else if constexpr (std::is_same_v<T, geo::MultiPoint>) {
          for (const auto& p : x) f(p, p);
        } else {
          bg::for_each_segment(x, [&](const auto& s) { f(s.first, s.second); });
        }
      },
      g);
}

template <typename F>
void for_each_vertex(const geo::Geometry& g, F f) {
  std::visit([&](const auto& x) { bg::for_each_point(x, f); }, g);
}

// Metres from `p` to the segment (a, b), in an equirectangular projection
// centred on `p`.
double point_segment_m(const geo::Point& p, const geo::Point& a,
                       const geo::Point& b) {
  if (a.x() == b.x() && a.y() == b.y()) return distance_m(p, a);
  double k = std::cos(p.y() * kRadPerDeg) * kRadPerDeg * kEarthRadiusM;
  double m = kRadPerDeg * kEarthRadiusM;
  auto dlon = [](double lon, double ref) {
    double d = lon - ref;
    if (d > 180) d -= 360;
    if (d < -180) d += 360;
    return d;
  };
  double ax = dlon(a.x(), p.x()) * k, ay = (a.y() - p.y()) * m;
  double bx = dlon(b.x(), p.x()) * k, by = (b.y() - p.y()) * m;
  double dx = bx - ax, dy = by - ay;
  double t = -(ax * dx + ay * dy) / (dx * dx + dy * dy);
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(ax + t * dx, ay + t * dy);
}

double one_way_m(const geo::Geometry& from, const geo::Geometry& to) {
  double best = std::numeric_limits<double>::infinity();
  for_each_vertex(from, [&](const geo::Point& p) {
    for_each_segment(to, [&](const geo::Point& a, const geo::Point& b) {
      best = std::min(best, point_segment_m(p, a, b));
    });
  });
  return best;
}

}  // namespace

Result<GeoShape> read_shape(const json::value& geojson,
                            std::string_view where) {
  if (auto s = validate_geometry(geojson, where); !s) {
    return std::unexpected(s.error());
  }
  GeoShape shape;
  add_parts(geojson, 0, &shape);
  if (shape.parts.empty()) {
    return fail(Code::kBadRequestData,
                std::string(where) + ": the geometry collection is empty");
  }
  return shape;
}

bool add_shape_parts(const json::value& geojson, GeoShape* shape) {
  if (!validate_geometry(geojson, "stored")) return false;
  add_parts(geojson, 0, shape);
  return true;
}

GeoBox box_of(const geo::Geometry& g) {
  bg::model::box<geo::Point> b;
  std::visit([&](const auto& x) { b = bg::return_envelope<decltype(b)>(x); },
             g);
  return GeoBox{b.min_corner().x(), b.min_corner().y(), b.max_corner().x(),
                b.max_corner().y()};
}

GeoBox box_of(const GeoShape& shape) {
  GeoBox out = box_of(shape.parts.front());
  for (const auto& part : shape.parts) {
    GeoBox b = box_of(part);
    out.min_lon = std::min(out.min_lon, b.min_lon);
    out.min_lat = std::min(out.min_lat, b.min_lat);
    out.max_lon = std::max(out.max_lon, b.max_lon);
    out.max_lat = std::max(out.max_lat, b.max_lat);
  }
  return out;
}

bool within(const geo::Geometry& a, const geo::Geometry& b) {
  return std::visit(
      [](const auto& x, const auto& y) {
        using X = std::decay_t<decltype(x)>;
        using Y = std::decay_t<decltype(y)>;
        if constexpr (dimension<X>() > dimension<Y>()) {
          return false;
        } else {
          return bg::within(x, y);
        }
      },
      a, b);
}

bool intersects(const geo::Geometry& a, const geo::Geometry& b) {
  return std::visit(
      [](const auto& x, const auto& y) { return bg::intersects(x, y); }, a, b);
}

bool equals(const geo::Geometry& a, const geo::Geometry& b) {
  return std::visit(
      [](const auto& x, const auto& y) {
        using X = std::decay_t<decltype(x)>;
        using Y = std::decay_t<decltype(y)>;
        if constexpr (dimension<X>() != dimension<Y>()) {
          return false;
        } else {
          return bg::equals(x, y);
        }
      },
      a, b);
}

bool overlaps(const geo::Geometry& a, const geo::Geometry& b) {
  return std::visit(
      [](const auto& x, const auto& y) {
        using X = std::decay_t<decltype(x)>;
        using Y = std::decay_t<decltype(y)>;
        if constexpr (dimension<X>() != dimension<Y>()) {
          return false;
        } else {
          return bg::overlaps(x, y);
        }
      },
      a, b);
}

double distance_m(const geo::Point& a, const geo::Point& b) {
  double lat1 = a.y() * kRadPerDeg, lat2 = b.y() * kRadPerDeg;
  double dlat = lat2 - lat1, dlon = (b.x() - a.x()) * kRadPerDeg;
  double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h)));
}

double distance_m(const geo::Geometry& a, const geo::Geometry& b) {
  const auto* pa = std::get_if<geo::Point>(&a);
  const auto* pb = std::get_if<geo::Point>(&b);
  if (pa && pb) return distance_m(*pa, *pb);
  if (intersects(a, b)) return 0;
  return std::min(one_way_m(a, b), one_way_m(b, a));
}

}  // namespace cocity::ngsi
