// An independent feasibility checker for routing plans.
//
// It recomputes every route from the Problem alone (never from the solver's
// caches): loads between disposal visits against capacity, arrival and
// service start times against job and disposal windows (waiting allowed,
// departure at Route::start_time), the shift end and maximum duration, the
// vehicle counts per type, that every mandatory job is served exactly once,
// and the objective.
#pragma once

#include "core/error.h"
#include "vrp/problem.h"
#include "vrp/solution.h"

namespace cocity::vrp {

struct PlanFigures {
  double cost = 0;  // objective, internal units
  int64_t distance = 0;
  int64_t duration = 0;  // sum of route durations
  int vehicles = 0;      // non-empty routes
};

// Returns the recomputed figures, or kBadRequestData naming the first
// violation ("route 2 (vehicle type 0 #1): job 17 starts at 1234, after its
// window closes at 1200").
Result<PlanFigures> check_solution(const Problem& problem,
                                   const Solution& solution);

}  // namespace cocity::vrp
