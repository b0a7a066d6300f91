// One run of hybrid genetic search (Vidal et al. 2012; Vidal 2022,
// "Hybrid genetic search for the CVRP: open-source implementation and
// SWAP* neighborhood"): giant-tour individuals, ordered crossover, Split,
// granular local search with penalised capacity and time warp, repair of
// half the infeasible offspring, adaptive penalties aiming at a target share
// of feasible offspring, and a restart after long stagnation.
//
// Not thread-safe: run one GeneticSearch per thread (they share the const
// SolverInstance). For a given seed and iteration limit the result is
// deterministic; with a deadline it depends on speed.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>

#include "vrp/individual.h"
#include "vrp/local_search.h"
#include "vrp/population.h"

namespace cocity::vrp {

struct SearchParams {
  PopulationParams population;
  double target_feasible = 0.4;
  int restart_after = 20000;      // iterations without improvement
  double init_time_share = 0.15;  // of the budget, at most, for the first
                                  // population
};

struct SearchStats {
  int64_t iterations = 0;
  int restarts = 0;
};

class GeneticSearch {
 public:
  using Clock = std::chrono::steady_clock;

  GeneticSearch(const SolverInstance& in, const SearchParams& params,
                uint64_t seed);

  // Runs until `deadline` or `max_iterations` (0: no limit) and returns the
  // best feasible individual found, or null.
  std::unique_ptr<Individual> run(Clock::time_point deadline,
                                  int64_t max_iterations);
  const SearchStats& stats() const { return stats_; }

 private:
  void initialise(Clock::time_point deadline);
  std::vector<int> initial_tour(int k);
  void educate_and_add(const std::vector<int>& tour);
  void manage_penalties();
  void repair_best_infeasible();

  const SolverInstance& in_;
  SearchParams params_;
  std::mt19937 rng_;
  LocalSearch local_search_;
  Population population_;
  Penalties penalties_;
  std::deque<bool> load_feasible_;
  std::deque<bool> warp_feasible_;
  int64_t since_improvement_ = 0;
  SearchStats stats_;
};

}  // namespace cocity::vrp
