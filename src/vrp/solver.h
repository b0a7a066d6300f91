// The routing solver's entry point.
//
// solve() runs `threads` independent hybrid genetic searches (seeds seed,
// seed+1, ...) until the time limit or the iteration limit, and returns the
// best feasible plan (ties go to the lower thread index, so a run with an
// iteration limit is deterministic for a given seed and thread count).
// Every returned plan has passed check_solution (feasibility.h); a plan that
// fails it is reported as kInternal, never returned.
//
// Thread safety: solve() may be called concurrently; it shares nothing
// between calls.
#pragma once

#include <cstdint>

#include "core/error.h"
#include "vrp/genetic_search.h"
#include "vrp/problem.h"
#include "vrp/solution.h"

namespace cocity::vrp {

struct SolverOptions {
  double time_limit_s = 10;
  int threads = 1;
  uint64_t seed = 1;
  int64_t max_iterations = 0;  // per thread; 0 = until the time limit
  int granularity = 20;        // neighbours per job in the local search
  SearchParams search;
};

struct SolveStats {
  int64_t iterations = 0;  // summed over threads
  double seconds = 0;
};

// Errors: kBadRequestData for an invalid problem or when no feasible plan
// was found in time; kInternal if the checker rejects the solver's plan.
Result<Solution> solve(const Problem& problem, const SolverOptions& options,
                       SolveStats* stats = nullptr);

}  // namespace cocity::vrp
