#include "store/geo_index.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <iterator>
#include <limits>

namespace cocity::store {

namespace {

namespace bgi = boost::geometry::index;

struct BoxBuilder {
  bool any = false;
  bool bad = false;
  Box box{};

  void add(double lon, double lat) {
    if (!std::isfinite(lon) || !std::isfinite(lat)) {
      bad = true;
      return;
    }
    if (!any) {
      box = Box{lon, lat, lon, lat};
      any = true;
      return;
    }
    box.min_lon = std::min(box.min_lon, lon);
    box.min_lat = std::min(box.min_lat, lat);
    box.max_lon = std::max(box.max_lon, lon);
    box.max_lat = std::max(box.max_lat, lat);
  }

  void add(const Box& b) {
    add(b.min_lon, b.min_lat);
    add(b.max_lon, b.max_lat);
  }
};

bool as_number(const json::value& v, double* out) {
  if (v.is_double())
    *out = v.get_double();
  else if (v.is_int64())
    *out = static_cast<double>(v.get_int64());
  else if (v.is_uint64())
    *out = static_cast<double>(v.get_uint64());
  else
    return false;
  return true;
}

// Walks nested coordinate arrays down to `depth` levels; depth 0 is a
// position [lon, lat, (alt)].
void add_coordinates(const json::value& v, int depth, BoxBuilder* b) {
  if (!v.is_array()) {
    b->bad = true;
    return;
  }
  const json::array& a = v.get_array();
  if (depth == 0) {
    double lon = 0, lat = 0;
    if (a.size() < 2 || !as_number(a[0], &lon) || !as_number(a[1], &lat)) {
      b->bad = true;
      return;
    }
    b->add(lon, lat);
    return;
  }
  for (const auto& item : a) add_coordinates(item, depth - 1, b);
}

int coordinate_depth(std::string_view type) {
  if (type == "Point") return 0;
  if (type == "MultiPoint" || type == "LineString") return 1;
  if (type == "MultiLineString" || type == "Polygon") return 2;
  if (type == "MultiPolygon") return 3;
  return -1;
}

void add_geometry(const json::value& geometry, int nesting, BoxBuilder* b) {
  const json::object* obj = geometry.if_object();
  const json::value* type = obj ? obj->if_contains("type") : nullptr;
  if (type == nullptr || !type->is_string() || nesting > 4) {
    b->bad = true;
    return;
  }
  std::string_view name = type->get_string();
  if (name == "GeometryCollection") {
    const json::value* geometries = obj->if_contains("geometries");
    if (geometries == nullptr || !geometries->is_array()) {
      b->bad = true;
      return;
    }
    for (const auto& g : geometries->get_array())
      add_geometry(g, nesting + 1, b);
    return;
  }
  int depth = coordinate_depth(name);
  const json::value* coords = obj->if_contains("coordinates");
  if (depth < 0 || coords == nullptr) {
    b->bad = true;
    return;
  }
  add_coordinates(*coords, depth, b);
}

}  // namespace

std::optional<Box> geometry_box(const json::value& geometry) {
  BoxBuilder b;
  add_geometry(geometry, 0, &b);
  if (b.bad || !b.any) return std::nullopt;
  return b.box;
}

bool same_box(const std::optional<Box>& a, const std::optional<Box>& b) {
  if (!a || !b) return a.has_value() == b.has_value();
  return a->min_lon == b->min_lon && a->min_lat == b->min_lat &&
         a->max_lon == b->max_lon && a->max_lat == b->max_lat;
}

std::optional<Box> location_box(const json::object& attrs) {
  const json::value* location = attrs.if_contains(
      json::string_view(kLocationAttr.data(), kLocationAttr.size()));
  if (location == nullptr || !location->is_array()) return std::nullopt;
  BoxBuilder b;
  for (const auto& instance : location->get_array()) {
    const json::object* obj = instance.if_object();
    const json::value* value = obj ? obj->if_contains("value") : nullptr;
    if (value == nullptr) continue;
    if (auto box = geometry_box(*value)) b.add(*box);
  }
  if (!b.any) return std::nullopt;
  return b.box;
}

namespace {

using Point =
    boost::geometry::model::point<double, 2, boost::geometry::cs::cartesian>;
using BgBox = boost::geometry::model::box<Point>;
using Value = std::pair<BgBox, GeoIndex::Ref>;

BgBox to_bg(const Box& box) {
  return BgBox(Point(box.min_lon, box.min_lat),
               Point(box.max_lon, box.max_lat));
}

}  // namespace

struct GeoIndex::Tree {
  bgi::rtree<Value, bgi::rstar<16>> rtree;
};

GeoIndex::GeoIndex() : tree_(std::make_unique<Tree>()) {}
GeoIndex::~GeoIndex() = default;

size_t GeoIndex::size() const { return tree_->rtree.size(); }

void GeoIndex::insert(const Box& box, Ref ref) {
  tree_->rtree.insert(Value(to_bg(box), ref));
}

void GeoIndex::remove(const Box& box, Ref ref) {
  tree_->rtree.remove(Value(to_bg(box), ref));
}

void GeoIndex::assign(const std::vector<std::pair<Box, Ref>>& entries) {
  std::vector<Value> values;
  values.reserve(entries.size());
  for (const auto& [box, ref] : entries) values.emplace_back(to_bg(box), ref);
  tree_->rtree = decltype(tree_->rtree)(values.begin(), values.end());
}

std::vector<GeoIndex::Ref> GeoIndex::query(const Box& query) const {
  std::vector<Ref> refs;
  this->query(query, std::numeric_limits<size_t>::max(), &refs);
  return refs;
}

bool GeoIndex::query(const Box& query, size_t cap,
                     std::vector<Ref>* out) const {
  out->clear();
  for (auto it = tree_->rtree.qbegin(bgi::intersects(to_bg(query)));
       it != tree_->rtree.qend(); ++it) {
    if (out->size() >= cap) return false;
    out->push_back(it->second);
  }
  return true;
}

}  // namespace cocity::store
