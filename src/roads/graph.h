// The car road graph: a directed graph in compressed sparse row form.
//
// Every OSM node on a routable way is a graph node; every segment between
// two consecutive nodes of a way is one edge per allowed direction, so an
// edge's geometry is the straight line between its end nodes and a route's
// geometry is its node sequence. Graphs are immutable once built and safe to
// read from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "roads/geo.h"

namespace cocity::roads {

using NodeId = uint32_t;
using EdgeId = uint32_t;
inline constexpr uint32_t kNoId = UINT32_MAX;

struct Graph {
  // Out-edges of node n are the edge ids [first_out[n], first_out[n + 1]).
  // first_out has node_count() + 1 entries, first_out[0] == 0, and is
  // non-decreasing; the last entry equals edge_count().
  std::vector<EdgeId> first_out;
  // Per edge; edges are sorted by tail.
  std::vector<NodeId> tail;
  std::vector<NodeId> head;
  std::vector<uint32_t> duration_ms;  // >= 1, travel time at profile speed
  std::vector<float> distance_m;      // length of the segment
  std::vector<int64_t> way_id;        // the OSM way the segment belongs to
  // Per node.
  std::vector<LatLon> coords;
  std::vector<int64_t> osm_node_id;

  size_t node_count() const { return coords.size(); }
  size_t edge_count() const { return head.size(); }
  EdgeId begin_edge(NodeId n) const { return first_out[n]; }
  EdgeId end_edge(NodeId n) const { return first_out[n + 1]; }

  // The edge head -> tail of `e` on the same way, or kNoId for one-ways.
  EdgeId reverse_edge(EdgeId e) const;
};

// One directed segment, the unit a graph is assembled from.
struct Arc {
  NodeId tail = 0;
  NodeId head = 0;
  uint32_t duration_ms = 1;
  float distance_m = 0;
  int64_t way_id = 0;
};

// Assembles a graph from nodes and arcs (in any order). Arcs whose ends are
// not valid node ids are an error (kInvalidRequest).
Result<Graph> make_graph(std::vector<LatLon> coords,
                         std::vector<int64_t> osm_node_id,
                         std::vector<Arc> arcs);

// The subgraph induced by the nodes with keep[n] true, renumbered densely in
// their old order. REQUIRES: keep.size() == g.node_count().
Graph induced_subgraph(const Graph& g, const std::vector<bool>& keep);

// Checks every invariant stated above; used on graphs read from files.
Status validate(const Graph& g);

}  // namespace cocity::roads
