#include "roads/components.h"

#include <algorithm>

namespace cocity::roads {
namespace {

class Tarjan {
 public:
  explicit Tarjan(const Graph& g)
      : g_(g),
        index_(g.node_count(), kNoId),
        low_(g.node_count(), 0),
        on_stack_(g.node_count(), false),
        component_(g.node_count(), kNoId) {}

  std::vector<uint32_t> run() {
    for (NodeId n = 0; n < g_.node_count(); ++n) {
      if (index_[n] == kNoId) visit(n);
    }
    return std::move(component_);
  }

 private:
  struct Frame {
    NodeId node;
    EdgeId next_edge;
  };

  void open(NodeId n) {
    index_[n] = low_[n] = next_index_++;
    stack_.push_back(n);
    on_stack_[n] = true;
    calls_.push_back({n, g_.begin_edge(n)});
  }

  void visit(NodeId root) {
    open(root);
    while (!calls_.empty()) {
      Frame& f = calls_.back();
      if (f.next_edge < g_.end_edge(f.node)) {
        NodeId w = g_.head[f.next_edge++];
        if (index_[w] == kNoId) {
          open(w);  // invalidates f
        } else if (on_stack_[w]) {
          low_[f.node] = std::min(low_[f.node], index_[w]);
        }
        continue;
      }
      NodeId v = f.node;
      calls_.pop_back();
      if (!calls_.empty()) {
        NodeId parent = calls_.back().node;
        low_[parent] = std::min(low_[parent], low_[v]);
      }
      if (low_[v] == index_[v]) close_component(v);
    }
  }

  void close_component(NodeId v) {
    NodeId w;
    do {
      w = stack_.back();
      stack_.pop_back();
      on_stack_[w] = false;
      component_[w] = component_count_;
    } while (w != v);
    ++component_count_;
  }

  const Graph& g_;
  std::vector<uint32_t> index_;
  std::vector<uint32_t> low_;
  std::vector<bool> on_stack_;
  std::vector<uint32_t> component_;
  std::vector<NodeId> stack_;
  std::vector<Frame> calls_;
  uint32_t next_index_ = 0;
  uint32_t component_count_ = 0;
};

}  // namespace

std::vector<uint32_t> strongly_connected_components(const Graph& g) {
  return Tarjan(g).run();
}

Graph largest_strong_component(const Graph& g) {
  std::vector<uint32_t> component = strongly_connected_components(g);
  if (component.empty()) return g;
  uint32_t count = *std::max_element(component.begin(), component.end()) + 1;
  std::vector<size_t> size(count, 0);
  for (uint32_t c : component) ++size[c];
  uint32_t largest = static_cast<uint32_t>(
      std::max_element(size.begin(), size.end()) - size.begin());
  std::vector<bool> keep(g.node_count());
  for (NodeId n = 0; n < g.node_count(); ++n) keep[n] = component[n] == largest;
  return induced_subgraph(g, keep);
}

}  // namespace cocity::roads
