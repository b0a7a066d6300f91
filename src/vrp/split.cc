#include "vrp/split.h"

#include <limits>

namespace cocity::vrp {
namespace {

// First slot of every vehicle type that has slots.
std::vector<int> representative_slots(const SolverInstance& in) {
  std::vector<int> reps;
  int last_type = -1;
  for (int s = 0; s < in.num_slots(); ++s) {
    if (in.slot(s).type != last_type) {
      reps.push_back(s);
      last_type = in.slot(s).type;
    }
  }
  return reps;
}

double best_cost(const SolverInstance& in, const std::vector<int>& reps,
                 const Segment& body, const Penalties& p, int* best_rep) {
  double best = std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < reps.size(); ++k) {
    const Segment full =
        concat(in, concat(in, start_segment(in, reps[k]), body),
               end_segment(in, reps[k]));
    const double c = route_cost(in, reps[k], full, true, p);
    if (c < best) {
      best = c;
      if (best_rep) *best_rep = static_cast<int>(k);
    }
  }
  return best;
}

// Shortest path over prefixes; returns the cut positions.
std::vector<int> cut_points(const SolverInstance& in,
                            const std::vector<int>& tour,
                            const std::vector<int>& reps, const Penalties& p) {
  const int n = static_cast<int>(tour.size());
  std::vector<double> potential(n + 1, std::numeric_limits<double>::infinity());
  std::vector<int> from(n + 1, 0);
  potential[0] = 0;
  const bool bounded = !in.has_disposal() && in.max_capacity() < kNoLimit;
  const double load_limit = 1.5 * static_cast<double>(in.max_capacity());
  for (int i = 0; i < n; ++i) {
    Segment body;
    for (int j = i; j < n; ++j) {
      body = concat(in, body, job_segment(in, tour[j]));
      if (bounded && j > i && body.load > load_limit) break;
      const double c = potential[i] + best_cost(in, reps, body, p, nullptr);
      if (c < potential[j + 1]) {
        potential[j + 1] = c;
        from[j + 1] = i;
      }
    }
  }
  std::vector<int> cuts;
  for (int j = n; j > 0; j = from[j]) cuts.push_back(j);
  cuts.push_back(0);
  return {cuts.rbegin(), cuts.rend()};
}

}  // namespace

std::vector<std::vector<int>> split_tour(const SolverInstance& in,
                                         const std::vector<int>& tour,
                                         const Penalties& penalties) {
  std::vector<std::vector<int>> routes(in.num_slots());
  if (tour.empty()) return routes;
  const std::vector<int> reps = representative_slots(in);
  std::vector<int> next_free = reps;  // next unused slot per type
  const std::vector<int> cuts = cut_points(in, tour, reps, penalties);
  int last = -1;
  for (size_t c = 0; c + 1 < cuts.size(); ++c) {
    std::vector<int> jobs(tour.begin() + cuts[c], tour.begin() + cuts[c + 1]);
    Segment body;
    for (int j : jobs) body = concat(in, body, job_segment(in, j));
    int chosen = -1;
    double best = std::numeric_limits<double>::infinity();
    for (size_t k = 0; k < reps.size(); ++k) {
      const int s = next_free[k];
      if (s >= in.num_slots() || in.slot(s).type != in.slot(reps[k]).type) {
        continue;
      }
      const double cost = best_cost(in, {reps[k]}, body, penalties, nullptr);
      if (cost < best) {
        best = cost;
        chosen = static_cast<int>(k);
      }
    }
    if (chosen < 0) {
      const int target = last >= 0 ? last : 0;
      routes[target].insert(routes[target].end(), jobs.begin(), jobs.end());
      continue;
    }
    last = next_free[chosen]++;
    routes[last] = std::move(jobs);
  }
  return routes;
}

}  // namespace cocity::vrp
