#include "roads/ch_query.h"

#include <algorithm>
#include <string>

namespace cocity::roads {
namespace {

void seed(SearchLabels* labels, const Seeds& seeds) {
  for (int i = 0; i < seeds.count; ++i) {
    const Seed& s = seeds.seed[i];
    labels->relax(s.node, s.duration_ms, s.distance_m, kNoId, kNoId);
  }
}

}  // namespace

ChRouter::ChRouter(const Graph& graph, const ContractedGraph& ch)
    : graph_(graph),
      ch_(ch),
      forward_(graph.node_count()),
      backward_(graph.node_count()) {}

std::optional<NodeId> ChRouter::search(const Snap& from, const Snap& to,
                                       uint64_t* best_ms) {
  forward_.clear();
  backward_.clear();
  seed(&forward_, source_seeds(graph_, from));
  seed(&backward_, target_seeds(graph_, to));
  std::optional<NodeId> meet;
  std::optional<Leg> direct = leg_on_same_edge(graph_, from, to);
  *best_ms = direct ? direct->duration_ms : kUnreached;
  if (direct) meet = kNoId;
  while (true) {
    bool f = forward_.has_next() && forward_.next_duration() < *best_ms;
    bool b = backward_.has_next() && backward_.next_duration() < *best_ms;
    if (!f && !b) break;
    bool go_forward =
        f && (!b || forward_.next_duration() <= backward_.next_duration());
    SearchLabels& self = go_forward ? forward_ : backward_;
    const SearchLabels& other = go_forward ? backward_ : forward_;
    const auto& first = go_forward ? ch_.up_first : ch_.down_first;
    const auto& arcs = go_forward ? ch_.up : ch_.down;
    uint64_t d = self.next_duration();
    NodeId n = self.pop();
    if (other.duration(n) != kUnreached && d + other.duration(n) < *best_ms) {
      *best_ms = d + other.duration(n);
      meet = n;
    }
    for (uint32_t i = first[n]; i < first[n + 1]; ++i) {
      const ChArc& a = arcs[i];
      self.relax(a.head, d + a.duration_ms, self.distance(n) + a.distance_m, n,
                 i);
    }
  }
  return meet;
}

std::vector<ChRouter::PathArc> ChRouter::path_arcs(NodeId meet) const {
  std::vector<PathArc> arcs;
  for (NodeId n = meet; forward_.parent(n) != kNoId; n = forward_.parent(n)) {
    const ChArc& a = ch_.up[forward_.parent_arc(n)];
    arcs.push_back({forward_.parent(n), n, a.middle});
  }
  std::reverse(arcs.begin(), arcs.end());
  for (NodeId n = meet; backward_.parent(n) != kNoId; n = backward_.parent(n)) {
    const ChArc& a = ch_.down[backward_.parent_arc(n)];
    arcs.push_back({n, backward_.parent(n), a.middle});
  }
  return arcs;
}

std::optional<NodeId> ChRouter::middle_of(NodeId a, NodeId b) const {
  bool upward = ch_.rank[a] < ch_.rank[b];
  NodeId at = upward ? a : b;
  NodeId other = upward ? b : a;
  const auto& first = upward ? ch_.up_first : ch_.down_first;
  const auto& arcs = upward ? ch_.up : ch_.down;
  for (uint32_t i = first[at]; i < first[at + 1]; ++i) {
    if (arcs[i].head == other) return arcs[i].middle;
  }
  return std::nullopt;
}

Status ChRouter::unpack(const PathArc& arc, std::vector<NodeId>* nodes) const {
  std::vector<PathArc> stack = {arc};
  while (!stack.empty()) {
    PathArc a = stack.back();
    stack.pop_back();
    if (a.middle == kNoId) {
      nodes->push_back(a.to);
      continue;
    }
    std::optional<NodeId> second = middle_of(a.middle, a.to);
    std::optional<NodeId> first = middle_of(a.from, a.middle);
    if (!first || !second) {
      return fail(Code::kInternal, "contraction hierarchy: shortcut via node " +
                                       std::to_string(a.middle) +
                                       " cannot be unpacked");
    }
    stack.push_back({a.middle, a.to, *second});
    stack.push_back({a.from, a.middle, *first});
  }
  return ok();
}

Result<Route> ChRouter::route(const Snap& from, const Snap& to) {
  for (const Snap* s : {&from, &to}) {
    if (Status st = check_snap(graph_, *s); !st) {
      return std::unexpected(st.error());
    }
  }
  uint64_t best_ms = 0;
  std::optional<NodeId> meet = search(from, to, &best_ms);
  if (!meet) {
    return fail(Code::kNotFound, "no route between the two points");
  }
  Route route;
  route.duration_s = best_ms / 1000.0;
  route.geometry.push_back(from.point);
  if (*meet == kNoId) {
    route.distance_m = leg_on_same_edge(graph_, from, to)->distance_m;
  } else {
    route.distance_m = forward_.distance(*meet) + backward_.distance(*meet);
    std::vector<PathArc> arcs = path_arcs(*meet);
    NodeId start = arcs.empty() ? *meet : arcs.front().from;
    std::vector<NodeId> nodes = {start};
    for (const PathArc& a : arcs) {
      if (Status s = unpack(a, &nodes); !s) return std::unexpected(s.error());
    }
    for (NodeId n : nodes) route.geometry.push_back(graph_.coords[n]);
  }
  route.geometry.push_back(to.point);
  return route;
}

}  // namespace cocity::roads
