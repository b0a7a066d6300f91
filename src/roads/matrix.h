// Many-to-many duration and distance matrices on a contraction hierarchy
// (bucket-based: one upward backward search per target fills buckets, one
// upward forward search per source scans them), with stall-on-demand.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "core/error.h"
#include "roads/ch.h"
#include "roads/graph.h"
#include "roads/snapping.h"

namespace cocity::roads {

// Row-major: cell (i, j) is from sources[i] to targets[j]. Unreachable pairs
// have duration_s and distance_m equal to +infinity (reachable() says so).
struct Matrix {
  size_t sources = 0;
  size_t targets = 0;
  std::vector<double> duration_s;
  std::vector<double> distance_m;

  double duration(size_t i, size_t j) const {
    return duration_s[i * targets + j];
  }
  double distance(size_t i, size_t j) const {
    return distance_m[i * targets + j];
  }
  bool reachable(size_t i, size_t j) const {
    return std::isfinite(duration(i, j));
  }
};

struct MatrixOptions {
  size_t threads = 1;  // the source searches are split over this many threads
  size_t max_cells = 25'000'000;  // larger requests are kPayloadTooLarge
};

// Durations follow the fastest path; distance_m is that path's length.
// Errors: kPayloadTooLarge beyond options.max_cells; kInvalidRequest for a
// snap that does not belong to `graph` (check_snap). Thread-safe for
// concurrent calls (each call allocates its own scratch space).
// REQUIRES: `ch` was built from (or validated against) `graph`; the snaps
// come from a SnapIndex of `graph`.
Result<Matrix> duration_distance_matrix(const Graph& graph,
                                        const ContractedGraph& ch,
                                        std::span<const Snap> sources,
                                        std::span<const Snap> targets,
                                        const MatrixOptions& options = {});

}  // namespace cocity::roads
