// Split (Prins 2004; Vidal 2016): cut a giant tour into routes at minimum
// penalised cost by a shortest path over the tour's prefixes, then assign
// the routes to vehicle slots. Each route gets the cheapest vehicle type
// with a free slot; if the fleet runs out, the remaining jobs are appended
// to the last route (an infeasible plan the local search repairs).
#pragma once

#include <vector>

#include "vrp/segment.h"

namespace cocity::vrp {

// Returns one job list per slot. `tour` may list any subset of jobs.
std::vector<std::vector<int>> split_tour(const SolverInstance& in,
                                         const std::vector<int>& tour,
                                         const Penalties& penalties);

}  // namespace cocity::vrp
