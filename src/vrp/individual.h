// One candidate plan of the genetic search: a job list per vehicle slot,
// its giant tour (the routes concatenated in slot order, then unserved
// jobs), and its exactly recomputed cost and violations.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "vrp/segment.h"

namespace cocity::vrp {

struct Individual {
  std::vector<std::vector<int>> routes;  // one per slot
  std::vector<int> giant_tour;
  // Per job: the next and previous job in its route, -1 for a depot,
  // -2 if unserved. Used by the broken-pairs distance.
  std::vector<int> successor;
  std::vector<int> predecessor;

  double cost = 0;  // objective: route costs + prizes of unserved jobs
  int64_t excess_load = 0;
  int64_t time_warp = 0;
  int missing_mandatory = 0;
  bool feasible = false;

  // Population bookkeeping: (distance, other) sorted ascending.
  std::vector<std::pair<double, const Individual*>> proximity;
  double biased_fitness = 0;

  double penalised_cost(const Penalties& p) const {
    return cost + p.load * static_cast<double>(excess_load) +
           p.time_warp * static_cast<double>(time_warp) +
           1e9 * missing_mandatory;
  }
};

// Fills giant_tour, successor, predecessor, cost and violations from routes.
void evaluate_individual(const SolverInstance& in, Individual* ind);

// Broken-pairs distance in [0, 1]: the share of jobs whose neighbours
// differ between a and b (a neighbour pair counts in either direction).
double broken_pairs_distance(const Individual& a, const Individual& b);

}  // namespace cocity::vrp
