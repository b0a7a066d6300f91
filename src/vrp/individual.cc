#include "vrp/individual.h"

#include "vrp/route_plan.h"

namespace cocity::vrp {

void evaluate_individual(const SolverInstance& in, Individual* ind) {
  const int n = in.num_jobs();
  ind->giant_tour.clear();
  ind->successor.assign(n, -2);
  ind->predecessor.assign(n, -2);
  ind->cost = 0;
  ind->excess_load = 0;
  ind->time_warp = 0;
  std::vector<bool> served(n, false);
  for (int slot = 0; slot < static_cast<int>(ind->routes.size()); ++slot) {
    const std::vector<int>& jobs = ind->routes[slot];
    for (size_t k = 0; k < jobs.size(); ++k) {
      ind->giant_tour.push_back(jobs[k]);
      served[jobs[k]] = true;
      ind->predecessor[jobs[k]] = k == 0 ? -1 : jobs[k - 1];
      ind->successor[jobs[k]] = k + 1 == jobs.size() ? -1 : jobs[k + 1];
    }
    if (jobs.empty()) continue;
    const StopsEvaluation e =
        evaluate_stops(in, slot, plan_stops(in, slot, jobs));
    ind->cost += e.base_cost;
    ind->excess_load += e.violation.excess_load;
    ind->time_warp += e.violation.time_warp;
  }
  ind->missing_mandatory = 0;
  for (int j = 0; j < n; ++j) {
    if (served[j]) continue;
    ind->giant_tour.push_back(j);
    if (in.job(j).mandatory) ++ind->missing_mandatory;
    ind->cost += in.job(j).prize;
  }
  ind->feasible = ind->excess_load == 0 && ind->time_warp == 0 &&
                  ind->missing_mandatory == 0;
}

double broken_pairs_distance(const Individual& a, const Individual& b) {
  const size_t n = a.successor.size();
  if (n == 0) return 0;
  int differ = 0;
  for (size_t j = 0; j < n; ++j) {
    const int s = a.successor[j];
    if (s != b.successor[j] && s != b.predecessor[j]) ++differ;
  }
  return static_cast<double>(differ) / static_cast<double>(n);
}

}  // namespace cocity::vrp
