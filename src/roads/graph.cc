#include "roads/graph.h"

#include <algorithm>
#include <string>

namespace cocity::roads {

EdgeId Graph::reverse_edge(EdgeId e) const {
  NodeId from = head[e];
  for (EdgeId r = begin_edge(from); r < end_edge(from); ++r) {
    if (head[r] == tail[e] && way_id[r] == way_id[e]) return r;
  }
  return kNoId;
}

Result<Graph> make_graph(std::vector<LatLon> coords,
                         std::vector<int64_t> osm_node_id,
                         std::vector<Arc> arcs) {
  size_t n = coords.size();
  if (osm_node_id.size() != n) {
    return fail(Code::kInvalidRequest, "graph: node id count differs");
  }
  for (const Arc& a : arcs) {
    if (a.tail >= n || a.head >= n) {
      return fail(Code::kInvalidRequest,
                  "graph: arc refers to node " +
                      std::to_string(std::max(a.tail, a.head)) + " of " +
                      std::to_string(n));
    }
  }
  std::stable_sort(arcs.begin(), arcs.end(),
                   [](const Arc& a, const Arc& b) { return a.tail < b.tail; });
  Graph g;
  g.coords = std::move(coords);
  g.osm_node_id = std::move(osm_node_id);
  g.first_out.assign(n + 1, 0);
  for (const Arc& a : arcs) {
    ++g.first_out[a.tail + 1];
    g.tail.push_back(a.tail);
    g.head.push_back(a.head);
    g.duration_ms.push_back(std::max<uint32_t>(a.duration_ms, 1));
    g.distance_m.push_back(a.distance_m);
    g.way_id.push_back(a.way_id);
  }
  for (size_t i = 0; i < n; ++i) g.first_out[i + 1] += g.first_out[i];
  return g;
}

Graph induced_subgraph(const Graph& g, const std::vector<bool>& keep) {
  std::vector<NodeId> new_id(g.node_count(), kNoId);
  std::vector<LatLon> coords;
  std::vector<int64_t> osm_ids;
  for (NodeId n = 0; n < g.node_count(); ++n) {
    if (!keep[n]) continue;
    new_id[n] = static_cast<NodeId>(coords.size());
    coords.push_back(g.coords[n]);
    osm_ids.push_back(g.osm_node_id[n]);
  }
  std::vector<Arc> arcs;
  for (EdgeId e = 0; e < g.edge_count(); ++e) {
    NodeId t = new_id[g.tail[e]];
    NodeId h = new_id[g.head[e]];
    if (t == kNoId || h == kNoId) continue;
    arcs.push_back({t, h, g.duration_ms[e], g.distance_m[e], g.way_id[e]});
  }
  // Arcs are valid by construction.
  return *make_graph(std::move(coords), std::move(osm_ids), std::move(arcs));
}

Status validate(const Graph& g) {
  size_t n = g.node_count();
  size_t m = g.edge_count();
  auto bad = [](std::string what) {
    return fail(Code::kBadRequestData, "road graph: " + what);
  };
  if (g.osm_node_id.size() != n || g.first_out.size() != n + 1) {
    return bad("node arrays differ in size");
  }
  if (g.tail.size() != m || g.duration_ms.size() != m ||
      g.distance_m.size() != m || g.way_id.size() != m) {
    return bad("edge arrays differ in size");
  }
  if (g.first_out[0] != 0 || g.first_out[n] != m) {
    return bad("first_out does not span the edges");
  }
  for (size_t i = 0; i < n; ++i) {
    if (g.first_out[i] > g.first_out[i + 1]) return bad("first_out decreases");
    if (!is_valid(g.coords[i])) return bad("invalid coordinate");
    for (EdgeId e = g.first_out[i]; e < g.first_out[i + 1]; ++e) {
      if (g.tail[e] != i || g.head[e] >= n) return bad("edge end out of range");
      if (g.duration_ms[e] == 0) return bad("edge with zero duration");
    }
  }
  return ok();
}

}  // namespace cocity::roads
