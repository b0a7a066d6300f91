#include "ngsi/geo_query.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>

#include "ngsi/context.h"

namespace cocity::ngsi {
namespace {

std::unexpected<Error> bad(std::string detail) {
  return fail(Code::kBadRequestData, std::move(detail));
}

bool is_query_geometry(std::string_view t) {
  return t == "Point" || t == "MultiPoint" || t == "LineString" ||
         t == "MultiLineString" || t == "Polygon" || t == "MultiPolygon";
}

Result<Georel> georel_of(std::string_view name) {
  if (name == "near") return Georel::kNear;
  if (name == "within") return Georel::kWithin;
  if (name == "contains") return Georel::kContains;
  if (name == "intersects") return Georel::kIntersects;
  if (name == "disjoint") return Georel::kDisjoint;
  if (name == "equals") return Georel::kEquals;
  if (name == "overlaps") return Georel::kOverlaps;
  return bad("georel: '" + std::string(name) +
             "' is not one of near, within, contains, intersects, disjoint, "
             "equals, overlaps");
}

// One "maxDistance==N" / "minDistance==N" modifier of near.
Status read_distance(std::string_view modifier, GeoQuery* q) {
  size_t eq = modifier.find("==");
  std::string_view name = modifier.substr(0, eq);
  if (eq == std::string_view::npos ||
      (name != "maxDistance" && name != "minDistance")) {
    return bad(
        "georel: expected maxDistance==<metres> or "
        "minDistance==<metres> after 'near;', found '" +
        std::string(modifier) + "'");
  }
  std::string_view number = modifier.substr(eq + 2);
  double value = 0;
  auto r = std::from_chars(number.data(), number.data() + number.size(), value);
  if (r.ec != std::errc() || r.ptr != number.data() + number.size() ||
      !std::isfinite(value) || value < 0 || value > kMaxNearDistanceM) {
    return bad("georel: " + std::string(name) +
               " must be a number of metres in [0, 20037509], not '" +
               std::string(number) + "'");
  }
  (name == "maxDistance" ? q->max_distance_m : q->min_distance_m) = value;
  return ok();
}

Status read_georel(std::string_view text, GeoQuery* q) {
  size_t semi = text.find(';');
  auto rel = georel_of(text.substr(0, semi));
  if (!rel) return std::unexpected(rel.error());
  q->georel = *rel;
  if (*rel != Georel::kNear) {
    if (semi != std::string_view::npos) {
      return bad("georel: '" + std::string(text.substr(0, semi)) +
                 "' takes no modifiers");
    }
    return ok();
  }
  while (semi != std::string_view::npos) {
    text = text.substr(semi + 1);
    semi = text.find(';');
    if (auto s = read_distance(text.substr(0, semi), q); !s) return s;
  }
  if (!q->max_distance_m && !q->min_distance_m) {
    return bad(
        "georel: near needs maxDistance==<metres> or "
        "minDistance==<metres>");
  }
  return ok();
}

size_t count_positions(const json::value& v, int depth) {
  const json::array* a = v.if_array();
  if (!a || depth > 4) return 0;
  if (!a->empty() && a->front().is_number()) return 1;
  size_t n = 0;
  for (const auto& e : *a) n += count_positions(e, depth + 1);
  return n;
}

// The box around `g` grown by `metres` in every direction.
GeoBox grown(GeoBox b, double metres) {
  double dlat = metres / (kEarthRadiusM * std::numbers::pi / 180.0);
  double lat = std::max(std::abs(b.min_lat), std::abs(b.max_lat)) + dlat;
  double cos_lat = std::cos(std::min(lat, 89.9) * std::numbers::pi / 180.0);
  double dlon = lat >= 89.9 ? 360 : dlat / cos_lat;
  b.min_lat = std::max(-90.0, b.min_lat - dlat);
  b.max_lat = std::min(90.0, b.max_lat + dlat);
  b.min_lon = std::max(-180.0, b.min_lon - dlon);
  b.max_lon = std::min(180.0, b.max_lon + dlon);
  return b;
}

std::optional<GeoBox> search_box(const GeoQuery& q) {
  switch (q.georel) {
    case Georel::kDisjoint:
      return std::nullopt;
    case Georel::kNear:
      if (!q.max_distance_m) return std::nullopt;
      return grown(box_of(q.geometry), *q.max_distance_m + 1.0);
    default:
      return box_of(q.geometry);
  }
}

bool near_matches(const GeoQuery& q, const geo::Geometry& stored) {
  double d = distance_m(stored, q.geometry);
  if (q.max_distance_m && d > *q.max_distance_m) return false;
  if (q.min_distance_m && d < *q.min_distance_m) return false;
  return true;
}

}  // namespace

Status read_coordinates(std::string_view json_text, GeoQueryText* text) {
  auto v = parse_json(json_text, JsonLimits{8});
  if (!v || !v->is_array()) {
    return bad("coordinates: '" + std::string(json_text.substr(0, 80)) +
               "' is not a JSON array of coordinates");
  }
  text->coordinates = std::move(*v);
  return ok();
}

Result<GeoQuery> parse_geo_query(const GeoQueryText& text, const Context& ctx) {
  GeoQuery q;
  if (text.georel.empty()) return bad("geoQ: 'georel' is missing");
  if (text.geometry.empty()) return bad("geoQ: 'geometry' is missing");
  if (auto s = read_georel(text.georel, &q); !s) {
    return std::unexpected(s.error());
  }
  if (!is_query_geometry(text.geometry)) {
    return bad("geometry: '" + text.geometry +
               "' is not one of Point, MultiPoint, LineString, "
               "MultiLineString, Polygon, MultiPolygon");
  }
  if (!text.coordinates.is_array()) {
    return bad("geoQ: 'coordinates' is missing or not an array");
  }
  if (count_positions(text.coordinates, 0) > kMaxQueryPositions) {
    return bad("coordinates: more than " + std::to_string(kMaxQueryPositions) +
               " positions");
  }
  json::object g;
  g["type"] = text.geometry;
  g["coordinates"] = text.coordinates;
  auto shape = read_shape(g, "coordinates");
  if (!shape) return std::unexpected(shape.error());
  q.geometry = std::move(shape->parts.front());
  q.geoproperty = text.geoproperty.empty() ? std::string(kLocationIri)
                                           : ctx.expand(text.geoproperty);
  q.search_box = search_box(q);
  if (q.georel == Georel::kWithin || q.georel == Georel::kIntersects ||
      q.georel == Georel::kDisjoint) {
    q.grid = AreaGrid::build(q.geometry);
  }
  return q;
}

bool geo_matches(const GeoQuery& q, const geo::Geometry& stored) {
  switch (q.georel) {
    case Georel::kNear:
      return near_matches(q, stored);
    case Georel::kWithin:
      return within(stored, q.geometry);
    case Georel::kContains:
      return within(q.geometry, stored);
    case Georel::kIntersects:
      return intersects(stored, q.geometry);
    case Georel::kDisjoint:
      return !intersects(stored, q.geometry);
    case Georel::kEquals:
      return equals(stored, q.geometry);
    case Georel::kOverlaps:
      return overlaps(stored, q.geometry);
  }
  return false;
}

bool point_matches(const GeoQuery& q, double lon, double lat) {
  if (q.grid) {
    AreaGrid::Cell cell = q.grid->cell_of(lon, lat);
    if (cell != AreaGrid::Cell::kBoundary) {
      bool inside = cell == AreaGrid::Cell::kInside;
      return q.georel == Georel::kDisjoint ? !inside : inside;
    }
  }
  geo::Point p(lon, lat);
  if (q.georel == Georel::kNear) {
    if (const auto* centre = std::get_if<geo::Point>(&q.geometry)) {
      double d = distance_m(p, *centre);
      return !(q.max_distance_m && d > *q.max_distance_m) &&
             !(q.min_distance_m && d < *q.min_distance_m);
    }
  }
  return geo_matches(q, geo::Geometry(p));
}

bool geo_matches(const GeoQuery& q, const GeoShape& stored) {
  return std::any_of(stored.parts.begin(), stored.parts.end(),
                     [&](const geo::Geometry& g) { return geo_matches(q, g); });
}

std::shared_ptr<const GeoShape> attribute_shape(const json::object& attrs,
                                                std::string_view attr) {
  const json::value* v =
      attrs.if_contains(json::string_view(attr.data(), attr.size()));
  if (v == nullptr || !v->is_array()) return nullptr;
  auto shape = std::make_shared<GeoShape>();
  for (const auto& instance : v->get_array()) {
    const json::object* o = instance.if_object();
    const json::value* value = o ? o->if_contains("value") : nullptr;
    if (value != nullptr) add_shape_parts(*value, shape.get());
  }
  if (shape->parts.empty()) return nullptr;
  return shape;
}

bool geo_matches(const GeoQuery& q, const Entity& entity) {
  auto shape = attribute_shape(entity.attrs, q.geoproperty);
  return shape && geo_matches(q, *shape);
}

}  // namespace cocity::ngsi
