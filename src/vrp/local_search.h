// Granular local search (Toth & Vigo): for each job u and each of its
// nearest neighbours v, try relocating u (or u with its successor) next to
// v, swapping runs around u and v, 2-opt* between their routes and 2-opt
// inside a route, moving u to an empty vehicle, and dropping or inserting
// optional jobs; apply the first improving move, until none improves.
// Route pairs unchanged since u was last tested are skipped.
//
// Not thread-safe; one LocalSearch per thread. Deterministic given the rng
// state.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "vrp/search_state.h"

namespace cocity::vrp {

class LocalSearch {
 public:
  explicit LocalSearch(const SolverInstance& in);

  // Improves `routes` (one job list per slot) under `penalties`.
  void run(std::vector<std::vector<int>>* routes, const Penalties& penalties,
           std::mt19937* rng);

 private:
  bool improve_job(int u, bool first_loop);
  bool improve_with_neighbour(int u, int v);
  bool try_unassigned(int u);
  bool try_empty_route(int u);
  template <typename Move>
  bool take(const Move& move);

  const SolverInstance& in_;
  SearchState state_;
  std::vector<int64_t> last_tested_;
  std::vector<int> order_;
  std::vector<std::vector<int>> neighbours_;
};

}  // namespace cocity::vrp
