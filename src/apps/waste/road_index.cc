#include "apps/waste/road_index.h"

namespace cocity::apps::waste {

RoadIndex::RoadIndex(std::shared_ptr<const roads::RoadNetwork> network,
                     roads::SnapOptions options)
    : network_(std::move(network)), snaps_(network_->graph, options) {}

Result<std::shared_ptr<const RoadIndex>> RoadIndex::load(
    const std::string& path) {
  auto network = roads::read_road_network(path);
  if (!network) return std::unexpected(network.error());
  auto shared = std::make_shared<const roads::RoadNetwork>(std::move(*network));
  return std::make_shared<const RoadIndex>(std::move(shared));
}

Result<roads::Snap> RoadIndex::snap(roads::LatLon p,
                                    std::string_view label) const {
  return snaps_.snap(p, label);
}

Result<roads::Matrix> RoadIndex::matrix(
    std::span<const roads::Snap> points) const {
  return roads::duration_distance_matrix(network_->graph, network_->ch, points,
                                         points);
}

Result<roads::Route> RoadIndex::route(const roads::Snap& a,
                                      const roads::Snap& b) const {
  roads::ChRouter router(network_->graph, network_->ch);
  return router.route(a, b);
}

}  // namespace cocity::apps::waste
