#include "roads/snapping.h"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <iterator>
#include <sstream>
#include <vector>

namespace cocity::roads {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Segment = bg::model::segment<Point>;
using Entry = std::pair<Segment, EdgeId>;

constexpr size_t kCandidates = 8;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

// "point 'label' (49.44, 7.76)" for error messages.
std::string describe(LatLon p, std::string_view label) {
  std::ostringstream out;
  out.precision(9);
  out << "point";
  if (!label.empty()) out << " '" << label << "'";
  out << " (" << p.lat << ", " << p.lon << ")";
  return out.str();
}

uint32_t part_ms(uint32_t duration_ms, double fraction) {
  return static_cast<uint32_t>(std::llround(duration_ms * fraction));
}

}  // namespace

// Coordinates in the tree are (lon * cos(lat0), lat): nearly isotropic
// around the graph's mean latitude, so the R-tree's nearest candidates
// contain the metrically nearest segment; the final choice uses metres.
struct SnapIndex::Tree {
  bgi::rtree<Entry, bgi::rstar<16>> rtree;
  double lon_scale = 1;
  Point to_point(LatLon p) const { return Point(p.lon * lon_scale, p.lat); }
};

SnapIndex::SnapIndex(const Graph& graph, SnapOptions options)
    : graph_(graph), options_(options), tree_(std::make_unique<Tree>()) {
  double lat_sum = 0;
  for (const LatLon& c : graph.coords) lat_sum += c.lat;
  double lat0 = graph.node_count() ? lat_sum / graph.node_count() : 0;
  tree_->lon_scale = std::cos(lat0 * kDegToRad);
  std::vector<Entry> entries;
  for (EdgeId e = 0; e < graph.edge_count(); ++e) {
    EdgeId r = graph.reverse_edge(e);
    if (r != kNoId && r < e) continue;  // the segment is already in
    Segment s(tree_->to_point(graph.coords[graph.tail[e]]),
              tree_->to_point(graph.coords[graph.head[e]]));
    entries.emplace_back(s, e);
  }
  tree_->rtree = bgi::rtree<Entry, bgi::rstar<16>>(entries);
}

SnapIndex::~SnapIndex() = default;

Result<Snap> SnapIndex::snap(LatLon p, std::string_view label) const {
  if (!is_valid(p)) {
    return fail(Code::kBadRequestData,
                describe(p, label) + " has invalid coordinates");
  }
  std::vector<Entry> near;
  tree_->rtree.query(bgi::nearest(tree_->to_point(p), kCandidates),
                     std::back_inserter(near));
  Snap best;
  best.snap_distance_m = INFINITY;
  for (const Entry& entry : near) {
    EdgeId e = entry.second;
    LatLon a = graph_.coords[graph_.tail[e]];
    LatLon b = graph_.coords[graph_.head[e]];
    Projection proj = project_on_segment(p, a, b);
    double d = distance_m(p, proj.point);
    if (d < best.snap_distance_m) {
      best = {p,
              proj.point,
              e,
              graph_.reverse_edge(e),
              proj.fraction,
              proj.fraction * graph_.distance_m[e],
              d};
    }
  }
  if (best.edge == kNoId ||
      best.snap_distance_m > options_.max_snap_distance_m) {
    return fail(Code::kBadRequestData,
                describe(p, label) + " is farther than " +
                    std::to_string(std::lround(options_.max_snap_distance_m)) +
                    " m from any road");
  }
  return best;
}

Status check_snap(const Graph& g, const Snap& s) {
  bool ok_edge = s.edge < g.edge_count() && s.fraction >= 0 && s.fraction <= 1;
  bool ok_reverse =
      s.reverse == kNoId || (s.reverse < g.edge_count() && ok_edge &&
                             g.tail[s.reverse] == g.head[s.edge] &&
                             g.head[s.reverse] == g.tail[s.edge]);
  if (ok_edge && ok_reverse) return ok();
  return fail(Code::kInvalidRequest,
              "snapped position does not lie on this road graph");
}

Seeds source_seeds(const Graph& g, const Snap& s) {
  Seeds out;
  EdgeId e = s.edge;
  double rest = 1 - s.fraction;
  out.seed[out.count++] = {g.head[e], part_ms(g.duration_ms[e], rest),
                           g.distance_m[e] * rest};
  if (s.reverse != kNoId) {
    EdgeId r = s.reverse;
    out.seed[out.count++] = {g.head[r], part_ms(g.duration_ms[r], s.fraction),
                             g.distance_m[r] * s.fraction};
  }
  return out;
}

Seeds target_seeds(const Graph& g, const Snap& t) {
  Seeds out;
  EdgeId e = t.edge;
  out.seed[out.count++] = {g.tail[e], part_ms(g.duration_ms[e], t.fraction),
                           g.distance_m[e] * t.fraction};
  if (t.reverse != kNoId) {
    EdgeId r = t.reverse;
    double rest = 1 - t.fraction;
    out.seed[out.count++] = {g.tail[r], part_ms(g.duration_ms[r], rest),
                             g.distance_m[r] * rest};
  }
  return out;
}

std::optional<Leg> leg_on_same_edge(const Graph& g, const Snap& from,
                                    const Snap& to) {
  if (from.edge == to.edge && to.fraction >= from.fraction) {
    double f = to.fraction - from.fraction;
    return Leg{part_ms(g.duration_ms[from.edge], f),
               g.distance_m[from.edge] * f};
  }
  if (from.edge == to.edge && from.reverse != kNoId) {
    double f = from.fraction - to.fraction;
    return Leg{part_ms(g.duration_ms[from.reverse], f),
               g.distance_m[from.reverse] * f};
  }
  return std::nullopt;
}

}  // namespace cocity::roads
