// Turning a solver route (jobs only) into the stops a vehicle drives,
// and evaluating those stops exactly.
//
// With disposal sites, a visit to the site with the smallest detour is
// inserted whenever the next job would overfill the vehicle, and after the
// last job (trucks return empty). Without disposal sites the stops are the
// jobs.
#pragma once

#include <vector>

#include "vrp/segment.h"
#include "vrp/solution.h"

namespace cocity::vrp {

std::vector<Stop> plan_stops(const SolverInstance& in, int slot,
                             const std::vector<int>& jobs);

struct StopsEvaluation {
  Segment full;              // start ⊕ stops ⊕ end
  RouteViolation violation;  // excess load counted per trip
  double base_cost = 0;      // 0 for a route without stops
};

StopsEvaluation evaluate_stops(const SolverInstance& in, int slot,
                               const std::vector<Stop>& stops);

}  // namespace cocity::vrp
