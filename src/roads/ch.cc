#include "roads/ch.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <string>
#include <utility>

#include "roads/search_labels.h"

namespace cocity::roads {
namespace {

struct DynArc {
  NodeId other;
  uint32_t duration_ms;
  float distance_m;
  NodeId middle;
};

struct Shortcut {
  NodeId from;
  NodeId to;
  uint32_t duration_ms;
  float distance_m;
  NodeId middle;
};

class Contractor {
 public:
  Contractor(const Graph& g, const ContractionOptions& options)
      : options_(options),
        out_(g.node_count()),
        in_(g.node_count()),
        contracted_(g.node_count(), false),
        contracted_neighbours_(g.node_count(), 0),
        priority_(g.node_count(), 0),
        up_(g.node_count()),
        down_(g.node_count()),
        labels_(g.node_count()),
        hops_(g.node_count(), 0) {
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
      if (g.tail[e] == g.head[e]) continue;
      add_arc({g.tail[e], g.head[e], g.duration_ms[e], g.distance_m[e], kNoId});
    }
  }

  ContractedGraph run() {
    using Item = std::pair<int64_t, NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
    for (NodeId v = 0; v < out_.size(); ++v) {
      priority_[v] = priority(v);
      queue.push({priority_[v], v});
    }
    ContractedGraph ch;
    ch.rank.assign(out_.size(), 0);
    uint32_t next_rank = 0;
    while (!queue.empty()) {
      auto [p, v] = queue.top();
      queue.pop();
      if (contracted_[v] || p != priority_[v]) continue;
      int64_t now = priority(v);
      if (now > p && !queue.empty() && now > queue.top().first) {
        priority_[v] = now;
        queue.push({now, v});
        continue;
      }
      ch.rank[v] = next_rank++;
      for (NodeId x : contract_node(v)) {
        ++contracted_neighbours_[x];
        priority_[x] = priority(x);
        queue.push({priority_[x], x});
      }
    }
    flatten(up_, &ch.up_first, &ch.up);
    flatten(down_, &ch.down_first, &ch.down);
    return ch;
  }

 private:
  static void upsert(std::vector<DynArc>* arcs, const DynArc& a) {
    for (DynArc& x : *arcs) {
      if (x.other != a.other) continue;
      if (a.duration_ms < x.duration_ms) x = a;
      return;
    }
    arcs->push_back(a);
  }

  void add_arc(const Shortcut& s) {
    upsert(&out_[s.from], {s.to, s.duration_ms, s.distance_m, s.middle});
    upsert(&in_[s.to], {s.from, s.duration_ms, s.distance_m, s.middle});
  }

  static void erase_to(std::vector<DynArc>* arcs, NodeId v) {
    std::erase_if(*arcs, [v](const DynArc& a) { return a.other == v; });
  }

  // Dijkstra from u among uncontracted nodes other than `avoid`, up to
  // `limit` duration or the settle limit.
  void witness_search(NodeId u, NodeId avoid, uint64_t limit) {
    labels_.clear();
    labels_.relax(u, 0, 0, kNoId, kNoId);
    hops_[u] = 0;
    uint32_t settled = 0;
    while (labels_.has_next() && labels_.next_duration() <= limit &&
           settled++ < options_.witness_settle_limit) {
      uint64_t d = labels_.next_duration();
      NodeId n = labels_.pop();
      if (hops_[n] >= options_.witness_hop_limit) continue;
      for (const DynArc& a : out_[n]) {
        if (a.other == avoid || contracted_[a.other]) continue;
        if (labels_.relax(a.other, d + a.duration_ms, 0, kNoId, kNoId)) {
          hops_[a.other] = hops_[n] + 1;
        }
      }
    }
  }

  // The shortcuts contracting v needs.
  std::vector<Shortcut> shortcuts(NodeId v) {
    std::vector<Shortcut> result;
    for (const DynArc& in : in_[v]) {
      uint64_t limit = 0;
      for (const DynArc& out : out_[v]) {
        if (out.other != in.other) {
          limit = std::max<uint64_t>(limit, in.duration_ms + out.duration_ms);
        }
      }
      if (limit == 0) continue;
      witness_search(in.other, v, limit);
      for (const DynArc& out : out_[v]) {
        if (out.other == in.other) continue;
        uint64_t via = uint64_t{in.duration_ms} + out.duration_ms;
        if (labels_.duration(out.other) <= via) continue;
        result.push_back({in.other, out.other, static_cast<uint32_t>(via),
                          in.distance_m + out.distance_m, v});
      }
    }
    return result;
  }

  int64_t priority(NodeId v) {
    auto edge_difference = static_cast<int64_t>(shortcuts(v).size()) -
                           static_cast<int64_t>(in_[v].size() + out_[v].size());
    return edge_difference + contracted_neighbours_[v];
  }

  // Contracts v and returns its (uncontracted) neighbours.
  std::vector<NodeId> contract_node(NodeId v) {
    for (const DynArc& a : out_[v]) {
      up_[v].push_back({a.other, a.duration_ms, a.distance_m, a.middle});
    }
    for (const DynArc& a : in_[v]) {
      down_[v].push_back({a.other, a.duration_ms, a.distance_m, a.middle});
    }
    for (const Shortcut& s : shortcuts(v)) add_arc(s);
    std::vector<NodeId> neighbours;
    for (const DynArc& a : out_[v]) {
      erase_to(&in_[a.other], v);
      neighbours.push_back(a.other);
    }
    for (const DynArc& a : in_[v]) {
      erase_to(&out_[a.other], v);
      neighbours.push_back(a.other);
    }
    std::sort(neighbours.begin(), neighbours.end());
    neighbours.erase(std::unique(neighbours.begin(), neighbours.end()),
                     neighbours.end());
    contracted_[v] = true;
    out_[v] = {};
    in_[v] = {};
    return neighbours;
  }

  static void flatten(const std::vector<std::vector<ChArc>>& lists,
                      std::vector<uint32_t>* first, std::vector<ChArc>* arcs) {
    first->assign(1, 0);
    for (const auto& list : lists) {
      arcs->insert(arcs->end(), list.begin(), list.end());
      first->push_back(static_cast<uint32_t>(arcs->size()));
    }
  }

  ContractionOptions options_;
  std::vector<std::vector<DynArc>> out_;
  std::vector<std::vector<DynArc>> in_;
  std::vector<bool> contracted_;
  std::vector<uint32_t> contracted_neighbours_;
  std::vector<int64_t> priority_;
  std::vector<std::vector<ChArc>> up_;
  std::vector<std::vector<ChArc>> down_;
  SearchLabels labels_;
  // Arcs on the witness path to a node; valid for nodes labelled by the
  // current witness search.
  std::vector<uint32_t> hops_;
};

Status check_arcs(const ContractedGraph& ch, const std::vector<uint32_t>& first,
                  const std::vector<ChArc>& arcs, const char* name) {
  size_t n = ch.node_count();
  auto bad = [name](const std::string& what) {
    return fail(Code::kBadRequestData,
                std::string("contraction hierarchy: ") + name + " " + what);
  };
  if (first.size() != n + 1 || first[0] != 0 || first[n] != arcs.size()) {
    return bad("index does not span the arcs");
  }
  for (NodeId v = 0; v < n; ++v) {
    if (first[v] > first[v + 1]) return bad("index decreases");
    for (uint32_t i = first[v]; i < first[v + 1]; ++i) {
      const ChArc& a = arcs[i];
      if (a.head >= n || ch.rank[a.head] <= ch.rank[v]) {
        return bad("arc does not lead upwards");
      }
      if (a.duration_ms == 0) return bad("arc with zero duration");
      if (a.middle != kNoId &&
          (a.middle >= n || ch.rank[a.middle] >= ch.rank[v])) {
        return bad("shortcut skips a node of higher rank");
      }
    }
  }
  return ok();
}

}  // namespace

size_t ContractedGraph::shortcut_count() const {
  auto is_shortcut = [](const ChArc& a) { return a.middle != kNoId; };
  return std::count_if(up.begin(), up.end(), is_shortcut) +
         std::count_if(down.begin(), down.end(), is_shortcut);
}

ContractedGraph contract(const Graph& g, const ContractionOptions& options) {
  return Contractor(g, options).run();
}

Status validate(const ContractedGraph& ch, const Graph& g) {
  size_t n = g.node_count();
  if (ch.rank.size() != n) {
    return fail(Code::kBadRequestData,
                "contraction hierarchy: node count differs from the graph");
  }
  std::vector<bool> seen(n, false);
  for (uint32_t r : ch.rank) {
    if (r >= n || seen[r]) {
      return fail(Code::kBadRequestData,
                  "contraction hierarchy: ranks are not a permutation");
    }
    seen[r] = true;
  }
  if (Status s = check_arcs(ch, ch.up_first, ch.up, "up"); !s) return s;
  return check_arcs(ch, ch.down_first, ch.down, "down");
}

}  // namespace cocity::roads
