#include "roads/dijkstra.h"

#include <algorithm>

#include "roads/search_labels.h"

namespace cocity::roads {
namespace {

// Runs until every target node is settled or the queue empties; returns the
// best over targets of label + target cost.
std::optional<PathCost> run(const Graph& g, const Seeds& sources,
                            const Seeds& targets) {
  SearchLabels labels(g.node_count());
  for (int i = 0; i < sources.count; ++i) {
    const Seed& s = sources.seed[i];
    labels.relax(s.node, s.duration_ms, s.distance_m, kNoId, kNoId);
  }
  std::optional<PathCost> best;
  while (labels.has_next()) {
    uint64_t d = labels.next_duration();
    if (best && d >= best->duration_ms) break;
    NodeId n = labels.pop();
    for (int i = 0; i < targets.count; ++i) {
      const Seed& t = targets.seed[i];
      uint64_t total = d + t.duration_ms;
      if (t.node == n && (!best || total < best->duration_ms)) {
        best = PathCost{total, labels.distance(n) + t.distance_m};
      }
    }
    for (EdgeId e = g.begin_edge(n); e < g.end_edge(n); ++e) {
      labels.relax(g.head[e], d + g.duration_ms[e],
                   labels.distance(n) + g.distance_m[e], n, e);
    }
  }
  return best;
}

}  // namespace

std::optional<PathCost> dijkstra(const Graph& g, NodeId from, NodeId to) {
  Seeds s;
  s.seed[s.count++] = {from, 0, 0};
  Seeds t;
  t.seed[t.count++] = {to, 0, 0};
  return run(g, s, t);
}

std::optional<PathCost> dijkstra(const Graph& g, const Snap& from,
                                 const Snap& to) {
  std::optional<PathCost> best =
      run(g, source_seeds(g, from), target_seeds(g, to));
  std::optional<Leg> direct = leg_on_same_edge(g, from, to);
  if (direct && (!best || direct->duration_ms < best->duration_ms)) {
    best = PathCost{direct->duration_ms, direct->distance_m};
  }
  return best;
}

}  // namespace cocity::roads
