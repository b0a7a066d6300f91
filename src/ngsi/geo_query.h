// NGSI-LD geo-queries (ETSI GS CIM 009 v1.8, clause 4.10): the geoQ of a
// query, parsed and checked, and tested against stored geometries.
//
// Input (GET parameters, or the members of a Query body's "geoQ"):
//   georel      near;maxDistance==<m> | near;minDistance==<m> (both may be
//               given, separated by ';') | within | contains | intersects |
//               disjoint | equals | overlaps
//   geometry    Point | MultiPoint | LineString | MultiLineString | Polygon
//               | MultiPolygon
//   coordinates the GeoJSON coordinates of that geometry (JSON text in a GET
//               parameter, a JSON array in a body)
//   geoproperty the GeoProperty to test (a term, expanded); default location
//
// Semantics, with S a stored geometry and Q the query geometry: near S is at
// most maxDistance (at least minDistance) metres from Q on the sphere;
// within S lies inside Q; contains S contains Q; intersects / disjoint /
// equals / overlaps as in Simple Features, planar in lon/lat (geo_shape.h).
// An entity matches when any instance of the GeoProperty (and for a
// GeometryCollection any member) matches.
//
// Immutable once parsed; safe to share between threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/json.h"
#include "ngsi/context.h"
#include "ngsi/entity.h"
#include "ngsi/geo_grid.h"
#include "ngsi/geo_shape.h"

namespace cocity::ngsi {

enum class Georel {
  kNear,
  kWithin,
  kContains,
  kIntersects,
  kDisjoint,
  kEquals,
  kOverlaps
};

// Upper bound on near distances (half the Earth's circumference).
inline constexpr double kMaxNearDistanceM = 20'037'509.0;
// Upper bound on the positions of a query geometry.
inline constexpr size_t kMaxQueryPositions = 100'000;

struct GeoQuery {
  Georel georel = Georel::kIntersects;
  std::optional<double> max_distance_m;  // near only
  std::optional<double> min_distance_m;  // near only
  geo::Geometry geometry;
  std::string geoproperty;  // expanded IRI
  // A box holding every stored geometry that can match, for an R-tree;
  // nullopt when there is none (disjoint, near with only minDistance).
  std::optional<GeoBox> search_box;
  // For within, intersects and disjoint with a Polygon or MultiPolygon:
  // the area prepared for point tests (point_matches); else null.
  std::shared_ptr<const AreaGrid> grid;
};

// The unparsed members of a geoQ.
struct GeoQueryText {
  std::string georel;
  std::string geometry;
  json::value coordinates;  // a JSON array
  std::string geoproperty;  // empty: location
};

// kBadRequestData naming the member and the rule: unknown georel, missing
// or negative distance, unknown geometry type, coordinates that are not a
// valid geometry of that type (unclosed ring, out-of-range position, wrong
// nesting), too many positions.
Result<GeoQuery> parse_geo_query(const GeoQueryText& text, const Context& ctx);

// Reads the GET parameters' coordinates text (JSON) into `text`.
Status read_coordinates(std::string_view json_text, GeoQueryText* text);

// Whether the query holds for a stored Point: the same answer as
// geo_matches on that Point, from the query's grid when it can tell, and
// with a direct haversine for near a Point.
bool point_matches(const GeoQuery& query, double lon, double lat);

// Whether the query holds for one stored geometry, or for a shape.
bool geo_matches(const GeoQuery& query, const geo::Geometry& stored);
bool geo_matches(const GeoQuery& query, const GeoShape& stored);

// Whether any instance of query.geoproperty of `entity` matches.
bool geo_matches(const GeoQuery& query, const Entity& entity);

// The shape of the GeoProperty `attr` of an entity (all instances), or
// nullptr when it has none.
std::shared_ptr<const GeoShape> attribute_shape(const json::object& attrs,
                                                std::string_view attr);

}  // namespace cocity::ngsi
