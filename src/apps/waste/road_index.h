// The municipality's road network as the waste app uses it: snapping,
// duration/distance matrices and route geometry over one loaded graph.
//
// Thread safety: all methods are const and may run concurrently (each call
// allocates its own search space).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "roads/ch_query.h"
#include "roads/graph_file.h"
#include "roads/matrix.h"
#include "roads/snapping.h"

namespace cocity::apps::waste {

class RoadIndex {
 public:
  explicit RoadIndex(std::shared_ptr<const roads::RoadNetwork> network,
                     roads::SnapOptions options = {});

  // Reads a `.graph` file (cocity import osm). Errors as read_road_network.
  static Result<std::shared_ptr<const RoadIndex>> load(const std::string& path);

  // Errors: kBadRequestData naming `label` when no road is near.
  Result<roads::Snap> snap(roads::LatLon p, std::string_view label) const;

  // Square matrix over `points` (row = from).
  Result<roads::Matrix> matrix(std::span<const roads::Snap> points) const;

  // The fastest route's geometry from `a` to `b`.
  Result<roads::Route> route(const roads::Snap& a, const roads::Snap& b) const;

  size_t node_count() const { return network_->graph.node_count(); }

 private:
  std::shared_ptr<const roads::RoadNetwork> network_;
  roads::SnapIndex snaps_;
};

}  // namespace cocity::apps::waste
