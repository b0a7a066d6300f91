// Snapping WGS84 points (containers, depots, vehicles) onto the road graph.
//
// A SnapIndex holds a Boost.Geometry R-tree over the graph's segments (one
// entry per road segment, shared by both directions of a two-way road). A
// snapped position lies on an edge; routes from or to it start or end
// mid-edge, and one-ways are respected: on a one-way segment a position can
// only be left towards the edge's head and only reached from its tail.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/error.h"
#include "roads/geo.h"
#include "roads/graph.h"

namespace cocity::roads {

// A point placed on the road graph.
struct Snap {
  LatLon input;                // the point as given
  LatLon point;                // its projection onto the edge
  EdgeId edge = kNoId;         // the edge it lies on
  EdgeId reverse = kNoId;      // the opposite edge, kNoId on one-ways
  double fraction = 0;         // position along `edge`, 0 at tail, 1 at head
  double offset_m = 0;         // distance from the edge's tail
  double snap_distance_m = 0;  // from input to point
};

struct SnapOptions {
  double max_snap_distance_m = 1000;
};

// Thread safety: const methods may be called concurrently.
// REQUIRES: the graph outlives the index and is not modified.
class SnapIndex {
 public:
  explicit SnapIndex(const Graph& graph, SnapOptions options = {});
  ~SnapIndex();
  SnapIndex(const SnapIndex&) = delete;
  SnapIndex& operator=(const SnapIndex&) = delete;

  // The nearest position on any road segment. Errors (kBadRequestData,
  // naming `label` and the coordinates): invalid coordinates, or no road
  // within max_snap_distance_m.
  Result<Snap> snap(LatLon p, std::string_view label = {}) const;

 private:
  struct Tree;
  const Graph& graph_;
  SnapOptions options_;
  std::unique_ptr<Tree> tree_;
};

// Checks that a snap refers to `g` (edge ids in range, reverse matching,
// fraction in [0, 1]); queries call it so a stale or hand-made snap is an
// error (kInvalidRequest), not a crash.
Status check_snap(const Graph& g, const Snap& s);

// Where a search over graph nodes starts or ends for a snapped position: up
// to two nodes, each with the cost of the partial edge between the position
// and the node. Costs are rounded to whole milliseconds here, once, so every
// query algorithm sees the same numbers.
struct Seed {
  NodeId node = kNoId;
  uint32_t duration_ms = 0;
  double distance_m = 0;
};
struct Seeds {
  std::array<Seed, 2> seed;
  int count = 0;
};
Seeds source_seeds(const Graph& g, const Snap& s);  // nodes s can drive to
Seeds target_seeds(const Graph& g, const Snap& t);  // nodes that reach t

// The cost of driving from `from` to `to` along the edge both lie on,
// without passing a node; nullopt when they are on different segments or
// `to` lies behind `from` on a one-way.
struct Leg {
  uint64_t duration_ms = 0;
  double distance_m = 0;
};
std::optional<Leg> leg_on_same_edge(const Graph& g, const Snap& from,
                                    const Snap& to);

}  // namespace cocity::roads
