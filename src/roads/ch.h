// Contraction hierarchy over the road graph: the index that makes
// shortest paths and many-to-many matrices fast.
//
// Nodes are contracted one by one in order of priority (edge difference +
// number of already contracted neighbours, updated lazily); contracting v
// adds a shortcut u -> w for every pair of neighbours whose shortest path
// runs through v, unless a witness search (Dijkstra from u avoiding v,
// bounded by settled nodes and hops) finds another path at most as fast. A
// node's rank is its position in that order.
//
// A query searches only upwards (to higher ranks) from both ends; the
// result equals plain Dijkstra exactly (durations are integers). Queries
// are in ch_query.h (one-to-one with path) and matrix.h (many-to-many).
// Immutable after contract(); safe to share between threads.
#pragma once

#include <cstdint>
#include <vector>

#include "core/error.h"
#include "roads/graph.h"

namespace cocity::roads {

// One arc of the hierarchy. `middle` is kNoId for an original edge, else the
// contracted node the shortcut skips: the shortcut stands for the arcs
// (a -> middle) and (middle -> b) of its original direction a -> b.
struct ChArc {
  NodeId head = 0;
  uint32_t duration_ms = 0;
  float distance_m = 0;
  NodeId middle = kNoId;
};

struct ContractedGraph {
  std::vector<uint32_t> rank;  // per node; a permutation of 0..n-1
  // Forward upward arcs: up[up_first[u] .. up_first[u+1]) are arcs
  // u -> head with rank[head] > rank[u].
  std::vector<uint32_t> up_first;
  std::vector<ChArc> up;
  // Backward upward arcs: down[down_first[v] .. down_first[v+1]) are arcs
  // head -> v (original direction) with rank[head] > rank[v].
  std::vector<uint32_t> down_first;
  std::vector<ChArc> down;

  size_t node_count() const { return rank.size(); }
  size_t shortcut_count() const;
};

struct ContractionOptions {
  // A witness search gives up after settling this many nodes (and then
  // adds the shortcut, which is never wrong, only larger).
  uint32_t witness_settle_limit = 500;
  // ... and does not extend paths beyond this many arcs.
  uint32_t witness_hop_limit = 16;
};

ContractedGraph contract(const Graph& g,
                         const ContractionOptions& options = {});

// Checks sizes, ranks and arc ends against the graph; used on graphs read
// from files.
Status validate(const ContractedGraph& ch, const Graph& g);

}  // namespace cocity::roads
