// Scratch space for one Dijkstra-style search over node ids: tentative
// durations, the distance and predecessor that came with them, and a
// binary heap with lazy deletion. Reset costs O(nodes touched), so one
// SearchLabels serves many small searches. Not thread-safe; use one per
// thread.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "roads/graph.h"

namespace cocity::roads {

inline constexpr uint64_t kUnreached = std::numeric_limits<uint64_t>::max();

class SearchLabels {
 public:
  explicit SearchLabels(size_t node_count)
      : duration_(node_count, kUnreached),
        distance_(node_count, 0),
        parent_(node_count, kNoId),
        parent_arc_(node_count, kNoId) {}

  void clear() {
    for (NodeId n : touched_) duration_[n] = kUnreached;
    touched_.clear();
    heap_ = {};
  }

  uint64_t duration(NodeId n) const { return duration_[n]; }
  double distance(NodeId n) const { return distance_[n]; }
  NodeId parent(NodeId n) const { return parent_[n]; }
  uint32_t parent_arc(NodeId n) const { return parent_arc_[n]; }

  // Lowers n's label if `duration` improves it; returns whether it did.
  bool relax(NodeId n, uint64_t duration, double distance, NodeId parent,
             uint32_t arc) {
    if (duration >= duration_[n]) return false;
    if (duration_[n] == kUnreached) touched_.push_back(n);
    duration_[n] = duration;
    distance_[n] = distance;
    parent_[n] = parent;
    parent_arc_[n] = arc;
    heap_.push({duration, n});
    return true;
  }

  // Drops stale heap entries; true when a live one is on top.
  bool has_next() {
    while (!heap_.empty() &&
           heap_.top().first != duration_[heap_.top().second]) {
      heap_.pop();
    }
    return !heap_.empty();
  }
  // REQUIRES: has_next().
  uint64_t next_duration() const { return heap_.top().first; }
  NodeId pop() {
    NodeId n = heap_.top().second;
    heap_.pop();
    return n;
  }

 private:
  using Item = std::pair<uint64_t, NodeId>;
  std::vector<uint64_t> duration_;
  std::vector<double> distance_;
  std::vector<NodeId> parent_;
  std::vector<uint32_t> parent_arc_;
  std::vector<NodeId> touched_;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap_;
};

}  // namespace cocity::roads
