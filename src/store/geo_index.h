// Geometry of entities, reduced to bounding boxes, and the R-tree over them.
//
// The store indexes one attribute: NGSI-LD's "location"
// (kLocationAttr). Each instance's "value" member holds a GeoJSON geometry
// (RFC 7946: Point, MultiPoint, LineString, MultiLineString, Polygon,
// MultiPolygon, GeometryCollection). An entity's box is the union of the
// boxes of all its location instances. Boxes are in WGS84 degrees and are
// treated as planar rectangles (no antimeridian wrap).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "store/store.h"

namespace cocity::store {

inline constexpr std::string_view kLocationAttr =
    "https://uri.etsi.org/ngsi-ld/location";

using Box = EntitySelector::Box;

// The bounding box of a GeoJSON geometry object, or nullopt when it is not
// one (unknown type, malformed or non-finite coordinates, no coordinates).
std::optional<Box> geometry_box(const json::value& geometry);

// True when both are absent or both present and equal.
bool same_box(const std::optional<Box>& a, const std::optional<Box>& b);

// The bounding box of the location attribute in `attrs` (an entity's
// attribute map), or nullopt when there is none or it holds no geometry.
std::optional<Box> location_box(const json::object& attrs);

// An R-tree mapping boxes to references: small integers the owner gives
// meaning to (EntityIndex uses the number of the entity's slot, so a hit
// needs no lookup by id). Not thread-safe; the owner locks.
class GeoIndex {
 public:
  using Ref = uint32_t;

  GeoIndex();
  ~GeoIndex();
  GeoIndex(const GeoIndex&) = delete;
  GeoIndex& operator=(const GeoIndex&) = delete;

  void insert(const Box& box, Ref ref);
  // REQUIRES: (box, ref) was inserted and not removed since.
  void remove(const Box& box, Ref ref);
  // Replaces the contents with `entries`, packed (STR bulk loading): much
  // faster than inserting one by one, and a better tree.
  void assign(const std::vector<std::pair<Box, Ref>>& entries);
  // Every ref whose box intersects `query` (touching edges count),
  // unordered.
  std::vector<Ref> query(const Box& query) const;
  // The same, but gives up (false, *out unspecified) after `cap` hits, so a
  // planner can compare it with other candidate sets cheaply.
  bool query(const Box& query, size_t cap, std::vector<Ref>* out) const;
  size_t size() const;

 private:
  struct Tree;  // the Boost.Geometry R-tree, kept out of this header
  std::unique_ptr<Tree> tree_;
};

}  // namespace cocity::store
