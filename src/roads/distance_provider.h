// The road-distance seam between the road graph and its users (the vehicle
// routing solver, the waste app): travel durations and distances between
// WGS84 points, and a drawable route. A test can substitute a fake.
#pragma once

#include <memory>
#include <span>

#include "core/error.h"
#include "roads/ch_query.h"
#include "roads/geo.h"
#include "roads/graph_file.h"
#include "roads/matrix.h"
#include "roads/snapping.h"

namespace cocity::roads {

// Implementations are thread-safe: const methods may run concurrently.
class DistanceProvider {
 public:
  virtual ~DistanceProvider() = default;

  // Durations (s) and distances (m) between every source and target, by the
  // fastest path. Unreachable pairs are marked (Matrix::reachable), not an
  // error. Errors: kBadRequestData naming the first point ("source 3",
  // "target 0") that is invalid or too far from any road; kPayloadTooLarge
  // for too large a matrix.
  virtual Result<Matrix> matrix(std::span<const LatLon> sources,
                                std::span<const LatLon> targets) const = 0;

  // The fastest route with its geometry. Errors as for matrix(), plus
  // kNotFound when `to` is unreachable from `from`.
  virtual Result<Route> route(LatLon from, LatLon to) const = 0;
};

// A provider over a road network (contraction hierarchy queries); points are
// snapped with `snap_options`.
std::unique_ptr<DistanceProvider> make_road_distance_provider(
    std::shared_ptr<const RoadNetwork> network, SnapOptions snap_options = {},
    MatrixOptions matrix_options = {});

}  // namespace cocity::roads
