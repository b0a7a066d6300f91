// The two subpopulations of hybrid genetic search (feasible and
// infeasible), managed by biased fitness: rank by cost plus rank by
// diversity contribution (mean broken-pairs distance to the closest
// others). When a subpopulation exceeds mu + lambda, the worst biased
// fitness (clones first) is removed until mu remain.
//
// Not thread-safe; one population per search thread.
#pragma once

#include <memory>
#include <random>
#include <vector>

#include "vrp/individual.h"

namespace cocity::vrp {

// Smaller than HGS's 25/40: tuned for budgets of seconds, not minutes
// (measured on Solomon R1/RC1 and X-n101..n247, see bench/README.md).
struct PopulationParams {
  int mu = 12;
  int lambda = 20;
  int elite = 4;
  int close = 5;
};

class Population {
 public:
  explicit Population(const PopulationParams& params) : params_(params) {}

  // Takes the individual; returns true if it is a new best feasible one.
  bool add(std::unique_ptr<Individual> ind, const Penalties& penalties);
  // Binary tournament on biased fitness over both subpopulations.
  // REQUIRES: size() > 0.
  const Individual& select(std::mt19937* rng);
  // Re-sorts the infeasible subpopulation after the penalties changed.
  void reprice(const Penalties& penalties);
  void clear();

  size_t size() const { return feasible_.size() + infeasible_.size(); }
  // Best feasible individual ever added (survives clear()); null if none.
  const Individual* best() const { return best_.get(); }
  // Lowest penalised cost among current infeasible ones; null if none.
  const Individual* best_infeasible() const {
    return infeasible_.empty() ? nullptr : infeasible_.front().get();
  }

 private:
  using Group = std::vector<std::unique_ptr<Individual>>;
  void insert(Group* group, std::unique_ptr<Individual> ind,
              const Penalties& penalties);
  void update_fitness(Group* group);
  void remove_worst(Group* group);
  double diversity(const Individual& ind) const;

  PopulationParams params_;
  Group feasible_;
  Group infeasible_;
  std::unique_ptr<Individual> best_;
};

}  // namespace cocity::vrp
