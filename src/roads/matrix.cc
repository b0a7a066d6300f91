#include "roads/matrix.h"

#include <algorithm>
#include <limits>
#include <string>
#include <thread>
#include <utility>

#include "roads/search_labels.h"

namespace cocity::roads {
namespace {

struct BucketEntry {
  uint32_t target;
  uint64_t duration_ms;
  double distance_m;
};

// Buckets of all targets, grouped by node: entries of node n are
// entries[first[n] .. first[n + 1]).
struct Buckets {
  std::vector<uint32_t> first;
  std::vector<BucketEntry> entries;
};

void seed(SearchLabels* labels, const Seeds& seeds) {
  for (int i = 0; i < seeds.count; ++i) {
    const Seed& s = seeds.seed[i];
    labels->relax(s.node, s.duration_ms, s.distance_m, kNoId, kNoId);
  }
}

// True when a higher node reaches n faster than its label over `stall`
// arcs (the arcs of the opposite direction): n's label is not a shortest
// distance and the search need not continue from it.
bool stalled(const SearchLabels& labels, NodeId n, uint64_t d,
             const std::vector<uint32_t>& first,
             const std::vector<ChArc>& stall) {
  for (uint32_t i = first[n]; i < first[n + 1]; ++i) {
    uint64_t via = labels.duration(stall[i].head);
    if (via != kUnreached && via + stall[i].duration_ms < d) return true;
  }
  return false;
}

// Upward search over `arcs`; calls visit(node, duration, distance) for each
// settled node that is not stalled.
template <typename Visit>
void upward_search(SearchLabels* labels, const Seeds& seeds,
                   const std::vector<uint32_t>& first,
                   const std::vector<ChArc>& arcs,
                   const std::vector<uint32_t>& stall_first,
                   const std::vector<ChArc>& stall_arcs, Visit&& visit) {
  labels->clear();
  seed(labels, seeds);
  while (labels->has_next()) {
    uint64_t d = labels->next_duration();
    NodeId n = labels->pop();
    if (stalled(*labels, n, d, stall_first, stall_arcs)) continue;
    double dist = labels->distance(n);
    visit(n, d, dist);
    for (uint32_t i = first[n]; i < first[n + 1]; ++i) {
      labels->relax(arcs[i].head, d + arcs[i].duration_ms,
                    dist + arcs[i].distance_m, kNoId, kNoId);
    }
  }
}

using Found = std::vector<std::pair<NodeId, BucketEntry>>;

// Backward searches of targets [begin, end), appended to *found.
void search_targets(const Graph& g, const ContractedGraph& ch,
                    std::span<const Snap> targets, uint32_t begin, uint32_t end,
                    Found* found) {
  SearchLabels labels(g.node_count());
  for (uint32_t j = begin; j < end; ++j) {
    upward_search(&labels, target_seeds(g, targets[j]), ch.down_first, ch.down,
                  ch.up_first, ch.up, [&](NodeId n, uint64_t d, double dist) {
                    found->push_back({n, {j, d, dist}});
                  });
  }
}

// Runs work(begin, end, part) on `threads` contiguous parts of [0, count).
template <typename Work>
void split(size_t count, size_t threads, Work&& work) {
  size_t per = (count + threads - 1) / threads;
  std::vector<std::jthread> workers;
  for (size_t t = 0; t < threads; ++t) {
    size_t begin = std::min(count, t * per);
    size_t end = std::min(count, begin + per);
    workers.emplace_back([&work, begin, end, t] { work(begin, end, t); });
  }
}  // the jthreads join here

Buckets fill_buckets(const Graph& g, const ContractedGraph& ch,
                     std::span<const Snap> targets, size_t threads) {
  std::vector<Found> found(threads);
  split(targets.size(), threads, [&](size_t begin, size_t end, size_t t) {
    search_targets(g, ch, targets, static_cast<uint32_t>(begin),
                   static_cast<uint32_t>(end), &found[t]);
  });
  Buckets b;
  b.first.assign(g.node_count() + 1, 0);
  size_t total = 0;
  for (const Found& part : found) {
    total += part.size();
    for (const auto& f : part) ++b.first[f.first + 1];
  }
  for (size_t n = 0; n < g.node_count(); ++n) b.first[n + 1] += b.first[n];
  b.entries.resize(total);
  std::vector<uint32_t> fill(b.first.begin(), b.first.end() - 1);
  for (const Found& part : found) {
    for (const auto& f : part) b.entries[fill[f.first]++] = f.second;
  }
  return b;
}

// Rows [row_begin, row_end) of the matrix, durations in ms.
void scan_rows(const Graph& g, const ContractedGraph& ch, const Buckets& b,
               std::span<const Snap> sources, size_t targets, size_t row_begin,
               size_t row_end, std::vector<uint64_t>* duration_ms, Matrix* m) {
  SearchLabels labels(g.node_count());
  for (size_t i = row_begin; i < row_end; ++i) {
    uint64_t* row = duration_ms->data() + i * targets;
    double* dist_row = m->distance_m.data() + i * targets;
    upward_search(&labels, source_seeds(g, sources[i]), ch.up_first, ch.up,
                  ch.down_first, ch.down,
                  [&](NodeId n, uint64_t d, double dist) {
                    for (uint32_t k = b.first[n]; k < b.first[n + 1]; ++k) {
                      const BucketEntry& e = b.entries[k];
                      uint64_t total = d + e.duration_ms;
                      if (total < row[e.target]) {
                        row[e.target] = total;
                        dist_row[e.target] = dist + e.distance_m;
                      }
                    }
                  });
  }
}

// Pairs on the same road segment may be joined without passing a node.
void add_same_edge_legs(const Graph& g, std::span<const Snap> sources,
                        std::span<const Snap> targets,
                        std::vector<uint64_t>* duration_ms, Matrix* m) {
  std::vector<std::pair<EdgeId, uint32_t>> by_edge;
  for (uint32_t j = 0; j < targets.size(); ++j) {
    by_edge.push_back({targets[j].edge, j});
  }
  std::sort(by_edge.begin(), by_edge.end());
  for (size_t i = 0; i < sources.size(); ++i) {
    auto range = std::equal_range(
        by_edge.begin(), by_edge.end(),
        std::pair<EdgeId, uint32_t>{sources[i].edge, 0},
        [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = range.first; it != range.second; ++it) {
      std::optional<Leg> leg =
          leg_on_same_edge(g, sources[i], targets[it->second]);
      size_t cell = i * targets.size() + it->second;
      if (leg && leg->duration_ms < (*duration_ms)[cell]) {
        (*duration_ms)[cell] = leg->duration_ms;
        m->distance_m[cell] = leg->distance_m;
      }
    }
  }
}

}  // namespace

Result<Matrix> duration_distance_matrix(const Graph& graph,
                                        const ContractedGraph& ch,
                                        std::span<const Snap> sources,
                                        std::span<const Snap> targets,
                                        const MatrixOptions& options) {
  size_t cells = sources.size() * targets.size();
  if (cells > options.max_cells) {
    return fail(Code::kPayloadTooLarge,
                "matrix of " + std::to_string(sources.size()) + " x " +
                    std::to_string(targets.size()) + " exceeds " +
                    std::to_string(options.max_cells) + " cells");
  }
  for (std::span<const Snap> snaps : {sources, targets}) {
    for (const Snap& s : snaps) {
      if (Status st = check_snap(graph, s); !st) {
        return std::unexpected(st.error());
      }
    }
  }
  Matrix m;
  m.sources = sources.size();
  m.targets = targets.size();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  m.distance_m.assign(cells, kInf);
  std::vector<uint64_t> duration_ms(cells, kUnreached);
  size_t threads = std::clamp<size_t>(options.threads, 1, 16);
  Buckets buckets = fill_buckets(graph, ch, targets, threads);
  split(sources.size(), threads, [&](size_t begin, size_t end, size_t) {
    scan_rows(graph, ch, buckets, sources, targets.size(), begin, end,
              &duration_ms, &m);
  });
  add_same_edge_legs(graph, sources, targets, &duration_ms, &m);
  m.duration_s.resize(cells);
  for (size_t c = 0; c < cells; ++c) {
    m.duration_s[c] =
        duration_ms[c] == kUnreached ? kInf : duration_ms[c] / 1000.0;
  }
  return m;
}

}  // namespace cocity::roads
