#include "vrp/distance_provider.h"

#include <cmath>
#include <string>

namespace cocity::vrp {
namespace {

// Both matrices stored flat, row-major.
class FlatMatrixProvider final : public DistanceProvider {
 public:
  FlatMatrixProvider(int n, std::vector<int64_t> distances,
                     std::vector<int64_t> durations)
      : n_(n),
        distances_(std::move(distances)),
        durations_(std::move(durations)) {}

  int size() const override { return n_; }
  int64_t distance(int from, int to) const override {
    return distances_[static_cast<size_t>(from) * n_ + to];
  }
  int64_t duration(int from, int to) const override {
    return durations_[static_cast<size_t>(from) * n_ + to];
  }

 private:
  int n_;
  std::vector<int64_t> distances_;
  std::vector<int64_t> durations_;
};

}  // namespace

std::shared_ptr<const DistanceProvider> make_euclidean_provider(
    const std::vector<Point>& points, const EuclideanOptions& options) {
  const int n = static_cast<int>(points.size());
  std::vector<int64_t> dist(static_cast<size_t>(n) * n);
  std::vector<int64_t> dur(dist.size());
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const double dx = points[i].x - points[j].x;
      const double dy = points[i].y - points[j].y;
      const double d = std::sqrt(dx * dx + dy * dy) * options.scale;
      const size_t k = static_cast<size_t>(i) * n + j;
      dist[k] = std::llround(d);
      dur[k] = std::llround(d * options.time_per_distance);
    }
  }
  return std::make_shared<FlatMatrixProvider>(n, std::move(dist),
                                              std::move(dur));
}

Result<std::shared_ptr<const DistanceProvider>> make_matrix_provider(
    std::vector<std::vector<int64_t>> distances,
    std::vector<std::vector<int64_t>> durations) {
  const size_t n = distances.size();
  if (durations.size() != n) {
    return fail(Code::kBadRequestData,
                "matrix: 'distances' and 'durations' differ in size");
  }
  std::vector<int64_t> dist;
  std::vector<int64_t> dur;
  dist.reserve(n * n);
  dur.reserve(n * n);
  for (size_t i = 0; i < n; ++i) {
    if (distances[i].size() != n || durations[i].size() != n) {
      return fail(Code::kBadRequestData,
                  "matrix: row " + std::to_string(i) + " is not of length " +
                      std::to_string(n) + " (matrices must be square)");
    }
    for (size_t j = 0; j < n; ++j) {
      if (distances[i][j] < 0 || durations[i][j] < 0) {
        return fail(Code::kBadRequestData, "matrix: negative value at row " +
                                               std::to_string(i) + ", column " +
                                               std::to_string(j));
      }
      dist.push_back(distances[i][j]);
      dur.push_back(durations[i][j]);
    }
  }
  return std::make_shared<FlatMatrixProvider>(static_cast<int>(n),
                                              std::move(dist), std::move(dur));
}

}  // namespace cocity::vrp
