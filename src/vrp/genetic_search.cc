#include "vrp/genetic_search.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "vrp/crossover.h"
#include "vrp/split.h"

namespace cocity::vrp {
namespace {

constexpr size_t kPenaltyWindow = 100;

double share(const std::deque<bool>& flags) {
  if (flags.empty()) return 0;
  return static_cast<double>(std::count(flags.begin(), flags.end(), true)) /
         static_cast<double>(flags.size());
}

void adapt(double* penalty, double feasible_share, double target) {
  if (feasible_share < target - 0.05) {
    *penalty = std::min(*penalty * 1.2, 1e5);
  } else if (feasible_share > target + 0.05) {
    *penalty = std::max(*penalty * 0.85, 0.1);
  }
}

// A giant tour that always continues to the nearest unvisited job.
std::vector<int> nearest_neighbour_tour(const SolverInstance& in, int first) {
  const int n = in.num_jobs();
  std::vector<bool> used(n, false);
  std::vector<int> chain;
  for (int at = first; at >= 0;) {
    chain.push_back(at);
    used[at] = true;
    int next = -1;
    for (int v : in.neighbours(at)) {
      if (!used[v]) {
        next = v;
        break;
      }
    }
    const bool scan = next < 0;  // all neighbours used: look further
    int64_t best = kNoLimit;
    for (int v = 0; scan && v < n; ++v) {
      const int64_t d = in.distance(in.job(at).location, in.job(v).location);
      if (!used[v] && d < best) {
        best = d;
        next = v;
      }
    }
    if (next < 0) break;
    at = next;
  }
  return chain;
}

}  // namespace

GeneticSearch::GeneticSearch(const SolverInstance& in,
                             const SearchParams& params, uint64_t seed)
    : in_(in),
      params_(params),
      rng_(static_cast<std::mt19937::result_type>(seed)),
      local_search_(in),
      population_(params.population) {
  const double ratio =
      static_cast<double>(in.max_distance()) /
      static_cast<double>(std::max<int64_t>(in.max_demand(), 1));
  penalties_.load = std::clamp(ratio, 0.1, 1000.0);
  penalties_.time_warp = 1.0;
}

std::vector<int> GeneticSearch::initial_tour(int k) {
  const int n = in_.num_jobs();
  std::vector<int> tour(n);
  std::iota(tour.begin(), tour.end(), 0);
  std::shuffle(tour.begin(), tour.end(), rng_);
  if (k % 3 == 0) return tour;
  if (k % 3 == 2 && in_.has_time_windows()) {
    // By the middle of the time window, ties in random order.
    std::stable_sort(tour.begin(), tour.end(), [&](int x, int y) {
      const TimeWindow& a = in_.job(x).window;
      const TimeWindow& b = in_.job(y).window;
      return a.open / 2 + a.close / 2 < b.open / 2 + b.close / 2;
    });
    return tour;
  }
  return nearest_neighbour_tour(in_, tour[0]);
}

void GeneticSearch::educate_and_add(const std::vector<int>& tour) {
  auto ind = std::make_unique<Individual>();
  ind->routes = split_tour(in_, tour, penalties_);
  local_search_.run(&ind->routes, penalties_, &rng_);
  evaluate_individual(in_, ind.get());
  load_feasible_.push_back(ind->excess_load == 0);
  warp_feasible_.push_back(ind->time_warp == 0);
  if (load_feasible_.size() > kPenaltyWindow) load_feasible_.pop_front();
  if (warp_feasible_.size() > kPenaltyWindow) warp_feasible_.pop_front();
  std::unique_ptr<Individual> repaired;
  if (!ind->feasible && rng_() % 2 == 0) {
    repaired = std::make_unique<Individual>();
    repaired->routes = ind->routes;
    const Penalties strong{penalties_.load * 10, penalties_.time_warp * 10};
    local_search_.run(&repaired->routes, strong, &rng_);
    evaluate_individual(in_, repaired.get());
  }
  if (population_.add(std::move(ind), penalties_)) since_improvement_ = 0;
  if (repaired && repaired->feasible &&
      population_.add(std::move(repaired), penalties_)) {
    since_improvement_ = 0;
  }
}

void GeneticSearch::initialise(Clock::time_point deadline) {
  const auto now = Clock::now();
  const auto init_deadline =
      now + std::chrono::duration_cast<Clock::duration>(
                (deadline - now) * params_.init_time_share);
  const int count = 4 * params_.population.mu;
  for (int k = 0; k < count; ++k) {
    if (k > 0 && Clock::now() >= init_deadline) break;
    educate_and_add(initial_tour(k));
  }
}

// Last resort when no feasible plan was found in time: push the best
// infeasible plan towards feasibility with ever higher penalties.
void GeneticSearch::repair_best_infeasible() {
  const Individual* worst_case = population_.best_infeasible();
  if (!worst_case) return;
  auto ind = std::make_unique<Individual>(*worst_case);
  for (double factor = 10; factor <= 1e6; factor *= 10) {
    const Penalties strong{penalties_.load * factor,
                           penalties_.time_warp * factor};
    local_search_.run(&ind->routes, strong, &rng_);
    evaluate_individual(in_, ind.get());
    if (ind->feasible) break;
  }
  ind->proximity.clear();
  if (ind->feasible) population_.add(std::move(ind), penalties_);
}

void GeneticSearch::manage_penalties() {
  adapt(&penalties_.load, share(load_feasible_), params_.target_feasible);
  adapt(&penalties_.time_warp, share(warp_feasible_), params_.target_feasible);
  population_.reprice(penalties_);
}

std::unique_ptr<Individual> GeneticSearch::run(Clock::time_point deadline,
                                               int64_t max_iterations) {
  if (in_.num_jobs() == 0) {
    auto empty = std::make_unique<Individual>();
    empty->routes.assign(in_.num_slots(), {});
    evaluate_individual(in_, empty.get());
    return empty;
  }
  initialise(deadline);
  while (Clock::now() < deadline &&
         (max_iterations == 0 || stats_.iterations < max_iterations)) {
    ++stats_.iterations;
    ++since_improvement_;
    const Individual& a = population_.select(&rng_);
    const Individual& b = population_.select(&rng_);
    educate_and_add(order_crossover(a.giant_tour, b.giant_tour, &rng_));
    if (stats_.iterations % 100 == 0) manage_penalties();
    if (since_improvement_ > params_.restart_after) {
      population_.clear();
      ++stats_.restarts;
      since_improvement_ = 0;
      initialise(deadline);
    }
  }
  if (!population_.best()) repair_best_infeasible();
  if (!population_.best()) return nullptr;
  return std::make_unique<Individual>(*population_.best());
}

}  // namespace cocity::vrp
