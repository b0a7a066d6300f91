// One-to-one fastest routes on a contraction hierarchy, with the geometry
// for drawing them.
#pragma once

#include <optional>
#include <vector>

#include "core/error.h"
#include "roads/ch.h"
#include "roads/geo.h"
#include "roads/graph.h"
#include "roads/search_labels.h"
#include "roads/snapping.h"

namespace cocity::roads {

struct Route {
  double duration_s = 0;
  double distance_m = 0;
  // From the snapped start through every graph node on the way to the
  // snapped end; draw it as a line string.
  std::vector<LatLon> geometry;
};

// Holds scratch space sized to the graph; reuse one router for many queries.
// Not thread-safe: use one per thread. REQUIRES: graph and hierarchy outlive
// the router, and `ch` was built from `graph` (or validated against it).
class ChRouter {
 public:
  ChRouter(const Graph& graph, const ContractedGraph& ch);

  // The fastest route between two snapped positions. Errors: kNotFound when
  // `to` cannot be reached from `from`; kInvalidRequest for a snap not on
  // this graph (check_snap); kInternal when the hierarchy is
  // inconsistent (a shortcut whose parts are missing).
  Result<Route> route(const Snap& from, const Snap& to);

 private:
  struct PathArc {
    NodeId from;
    NodeId to;
    NodeId middle;
  };

  // Runs the bidirectional upward search; returns the meeting node, kNoId
  // when the direct same-edge leg is best, nullopt when unreachable.
  std::optional<NodeId> search(const Snap& from, const Snap& to,
                               uint64_t* best_ms);
  std::vector<PathArc> path_arcs(NodeId meet) const;
  Status unpack(const PathArc& arc, std::vector<NodeId>* nodes) const;
  std::optional<NodeId> middle_of(NodeId a, NodeId b) const;

  const Graph& graph_;
  const ContractedGraph& ch_;
  SearchLabels forward_;
  SearchLabels backward_;
};

}  // namespace cocity::roads
