#include "roads/distance_provider.h"

#include <string>
#include <utility>
#include <vector>

namespace cocity::roads {
namespace {

class RoadDistanceProvider : public DistanceProvider {
 public:
  RoadDistanceProvider(std::shared_ptr<const RoadNetwork> network,
                       SnapOptions snap_options, MatrixOptions matrix_options)
      : network_(std::move(network)),
        index_(network_->graph, snap_options),
        matrix_options_(matrix_options) {}

  Result<Matrix> matrix(std::span<const LatLon> sources,
                        std::span<const LatLon> targets) const override {
    Result<std::vector<Snap>> from = snap_all(sources, "source");
    if (!from) return std::unexpected(from.error());
    Result<std::vector<Snap>> to = snap_all(targets, "target");
    if (!to) return std::unexpected(to.error());
    return duration_distance_matrix(network_->graph, network_->ch, *from, *to,
                                    matrix_options_);
  }

  Result<Route> route(LatLon from, LatLon to) const override {
    Result<Snap> a = index_.snap(from, "from");
    if (!a) return std::unexpected(a.error());
    Result<Snap> b = index_.snap(to, "to");
    if (!b) return std::unexpected(b.error());
    ChRouter router(network_->graph, network_->ch);
    return router.route(*a, *b);
  }

 private:
  Result<std::vector<Snap>> snap_all(std::span<const LatLon> points,
                                     const std::string& role) const {
    std::vector<Snap> snaps;
    snaps.reserve(points.size());
    for (size_t i = 0; i < points.size(); ++i) {
      Result<Snap> s = index_.snap(points[i], role + " " + std::to_string(i));
      if (!s) return std::unexpected(s.error());
      snaps.push_back(*s);
    }
    return snaps;
  }

  std::shared_ptr<const RoadNetwork> network_;
  SnapIndex index_;
  MatrixOptions matrix_options_;
};

}  // namespace

std::unique_ptr<DistanceProvider> make_road_distance_provider(
    std::shared_ptr<const RoadNetwork> network, SnapOptions snap_options,
    MatrixOptions matrix_options) {
  return std::make_unique<RoadDistanceProvider>(std::move(network),
                                                snap_options, matrix_options);
}

}  // namespace cocity::roads
