#include "vrp/solver.h"

#include <algorithm>
#include <thread>

#include "vrp/feasibility.h"
#include "vrp/route_plan.h"

namespace cocity::vrp {
namespace {

Solution to_solution(const SolverInstance& in, const Individual& best) {
  Solution s;
  std::vector<bool> served(in.num_jobs(), false);
  for (int slot = 0; slot < static_cast<int>(best.routes.size()); ++slot) {
    const std::vector<int>& jobs = best.routes[slot];
    if (jobs.empty()) continue;
    Route r;
    r.vehicle_type = in.slot(slot).type;
    r.vehicle = in.slot(slot).instance;
    r.stops = plan_stops(in, slot, jobs);
    r.start_time = evaluate_stops(in, slot, r.stops).full.early;
    s.routes.push_back(std::move(r));
    for (int j : jobs) served[j] = true;
  }
  for (int j = 0; j < in.num_jobs(); ++j) {
    if (!served[j]) s.unassigned.push_back(j);
  }
  s.cost = best.cost;
  s.feasible = best.feasible;
  return s;
}

}  // namespace

Result<Solution> solve(const Problem& problem, const SolverOptions& options,
                       SolveStats* stats) {
  if (auto s = validate_problem(problem); !s) return std::unexpected(s.error());
  const auto started = GeneticSearch::Clock::now();
  const auto deadline =
      started + std::chrono::duration_cast<GeneticSearch::Clock::duration>(
                    std::chrono::duration<double>(options.time_limit_s));
  const SolverInstance in(problem, options.granularity);
  if (in.travel_overflow()) {
    return fail(Code::kBadRequestData,
                "travel matrix: values above 2^31-1 are not supported");
  }
  const int threads = std::max(1, options.threads);
  std::vector<std::unique_ptr<Individual>> results(threads);
  std::vector<int64_t> iterations(threads, 0);
  auto work = [&](int t) {
    GeneticSearch search(in, options.search, options.seed + t);
    results[t] = search.run(deadline, options.max_iterations);
    iterations[t] = search.stats().iterations;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& th : pool) th.join();
  const Individual* best = nullptr;
  for (const auto& r : results) {
    if (r && r->feasible && (!best || r->cost < best->cost - 1e-9)) {
      best = r.get();
    }
  }
  if (stats) {
    stats->iterations = 0;
    for (int64_t i : iterations) stats->iterations += i;
    stats->seconds =
        std::chrono::duration<double>(GeneticSearch::Clock::now() - started)
            .count();
  }
  // When every job may be left out, serving none is a feasible plan: the
  // search can miss it (it explores plans that serve jobs), so it is the
  // fallback rather than an error.
  Individual empty;
  if (!best) {
    bool all_optional = true;
    for (int j = 0; j < in.num_jobs(); ++j) {
      all_optional = all_optional && !in.job(j).mandatory;
    }
    if (all_optional) {
      empty.routes.assign(in.num_slots(), {});
      evaluate_individual(in, &empty);
      if (empty.feasible) best = &empty;
    }
  }
  if (!best) {
    return fail(Code::kBadRequestData,
                "no feasible plan found within the time limit");
  }
  Solution solution = to_solution(in, *best);
  auto figures = check_solution(problem, solution);
  if (!figures) {
    return fail(Code::kInternal, "solver produced an infeasible plan: " +
                                     figures.error().detail);
  }
  solution.cost = figures->cost;
  return solution;
}

}  // namespace cocity::vrp
