// Plain Dijkstra on the road graph: the reference the contraction
// hierarchy is tested against, and a fallback for a handful of queries
// without an index. O((V + E) log V) per query.
#pragma once

#include <cstdint>
#include <optional>

#include "roads/graph.h"
#include "roads/snapping.h"

namespace cocity::roads {

struct PathCost {
  uint64_t duration_ms = 0;
  double distance_m = 0;
};

// The fastest path between two nodes; nullopt when `to` is unreachable.
// REQUIRES: both ids < g.node_count().
std::optional<PathCost> dijkstra(const Graph& g, NodeId from, NodeId to);

// The fastest path between two snapped positions (mid-edge starts and ends,
// one-ways respected); nullopt when unreachable.
std::optional<PathCost> dijkstra(const Graph& g, const Snap& from,
                                 const Snap& to);

}  // namespace cocity::roads
