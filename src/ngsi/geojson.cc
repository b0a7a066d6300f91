#include "ngsi/geojson.h"

#include <string>

namespace cocity::ngsi {
namespace {

std::unexpected<Error> bad(std::string_view where, std::string_view rule) {
  return fail(
      Code::kBadRequestData,
      std::string(where) + ": invalid GeoJSON geometry: " + std::string(rule));
}

bool is_geometry_type(std::string_view t) {
  return t == "Point" || t == "MultiPoint" || t == "LineString" ||
         t == "MultiLineString" || t == "Polygon" || t == "MultiPolygon" ||
         t == "GeometryCollection";
}

Status check_position(const json::value& p, std::string_view where) {
  if (!p.is_array() || p.get_array().size() < 2 || p.get_array().size() > 3) {
    return bad(where, "a position must be an array of 2 or 3 numbers");
  }
  for (const auto& n : p.get_array()) {
    if (!n.is_number()) return bad(where, "coordinates must be numbers");
  }
  double lon = p.get_array()[0].to_number<double>();
  double lat = p.get_array()[1].to_number<double>();
  if (lon < -180 || lon > 180) {
    return bad(where,
               "longitude " + std::to_string(lon) + " is outside [-180, 180]");
  }
  if (lat < -90 || lat > 90) {
    return bad(where,
               "latitude " + std::to_string(lat) + " is outside [-90, 90]");
  }
  return ok();
}

Status check_line(const json::value& v, std::string_view where, size_t min) {
  if (!v.is_array() || v.get_array().size() < min) {
    return bad(where,
               "a line needs at least " + std::to_string(min) + " positions");
  }
  for (const auto& p : v.get_array()) {
    if (auto s = check_position(p, where); !s) return s;
  }
  return ok();
}

Status check_ring(const json::value& v, std::string_view where) {
  if (auto s = check_line(v, where, 4); !s) {
    return bad(where, "a polygon ring needs at least 4 positions");
  }
  const auto& ring = v.get_array();
  const auto& first = ring.front().get_array();
  const auto& last = ring.back().get_array();
  if (first[0].to_number<double>() != last[0].to_number<double>() ||
      first[1].to_number<double>() != last[1].to_number<double>()) {
    return bad(where,
               "a polygon ring must be closed (first position equal "
               "to the last)");
  }
  return ok();
}

Status check_polygon(const json::value& v, std::string_view where) {
  if (!v.is_array() || v.get_array().empty()) {
    return bad(where, "a polygon needs at least one ring");
  }
  for (const auto& ring : v.get_array()) {
    if (auto s = check_ring(ring, where); !s) return s;
  }
  return ok();
}

template <typename F>
Status check_each(const json::value& v, std::string_view where, F f) {
  if (!v.is_array()) return bad(where, "'coordinates' must be an array");
  for (const auto& e : v.get_array()) {
    if (auto s = f(e); !s) return s;
  }
  return ok();
}

Status check(const json::value& g, std::string_view where, int depth) {
  if (!g.is_object()) return bad(where, "a geometry must be an object");
  const auto& o = g.get_object();
  const auto* type = o.if_contains("type");
  if (!type || !type->is_string() || !is_geometry_type(type->get_string())) {
    return bad(where, "'type' must be a GeoJSON geometry type");
  }
  std::string_view t = type->get_string();
  if (t == "GeometryCollection") {
    const auto* gs = o.if_contains("geometries");
    if (!gs || !gs->is_array()) return bad(where, "'geometries' is missing");
    if (depth > 2) return bad(where, "nested geometry collections");
    for (const auto& e : gs->get_array()) {
      if (auto s = check(e, where, depth + 1); !s) return s;
    }
    return ok();
  }
  const auto* c = o.if_contains("coordinates");
  if (!c) return bad(where, "'coordinates' is missing");
  if (t == "Point") return check_position(*c, where);
  if (t == "MultiPoint") {
    return check_each(*c, where,
                      [&](auto& p) { return check_position(p, where); });
  }
  if (t == "LineString") return check_line(*c, where, 2);
  if (t == "MultiLineString") {
    return check_each(*c, where,
                      [&](auto& l) { return check_line(l, where, 2); });
  }
  if (t == "Polygon") return check_polygon(*c, where);
  return check_each(*c, where,
                    [&](auto& p) { return check_polygon(p, where); });
}

}  // namespace

Status validate_geometry(const json::value& geometry, std::string_view where) {
  return check(geometry, where, 0);
}

bool looks_like_geometry(const json::value& v) {
  if (!v.is_object()) return false;
  const auto* type = v.get_object().if_contains("type");
  return type && type->is_string() && is_geometry_type(type->get_string()) &&
         (v.get_object().contains("coordinates") ||
          v.get_object().contains("geometries"));
}

}  // namespace cocity::ngsi
