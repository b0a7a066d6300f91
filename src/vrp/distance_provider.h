// The road-distance provider seam of the routing solver.
//
// A DistanceProvider answers travel distance and duration between two
// location indices. The benchmark readers use a Euclidean provider; the
// road graph (src/roads) will provide another implementation later.
//
// Units: integers in the problem's own units (see Problem::cost_scale);
// metres and seconds for the JSON format.
//
// Thread safety: implementations must be safe for concurrent const calls;
// the solver reads from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.h"

namespace cocity::vrp {

class DistanceProvider {
 public:
  virtual ~DistanceProvider() = default;

  // Number of locations; valid indices are [0, size()).
  virtual int size() const = 0;

  // REQUIRES: 0 <= from, to < size().
  virtual int64_t distance(int from, int to) const = 0;
  virtual int64_t duration(int from, int to) const = 0;
};

struct Point {
  double x = 0;
  double y = 0;
};

// How Euclidean distances become integers.
struct EuclideanOptions {
  // Distances are multiplied by `scale` and then rounded to the nearest
  // integer per edge (TSPLIB EUC_2D is scale 1; Solomon uses 1000).
  double scale = 1.0;
  // duration = distance * time_per_distance (Solomon and X: 1).
  double time_per_distance = 1.0;
};

// A provider over planar coordinates; precomputes the full matrix.
std::shared_ptr<const DistanceProvider> make_euclidean_provider(
    const std::vector<Point>& points, const EuclideanOptions& options);

// A provider over explicit square matrices (row = from).
// Fails with kBadRequestData if the matrices are not square, differ in
// size, or hold negative values.
Result<std::shared_ptr<const DistanceProvider>> make_matrix_provider(
    std::vector<std::vector<int64_t>> distances,
    std::vector<std::vector<int64_t>> durations);

}  // namespace cocity::vrp
