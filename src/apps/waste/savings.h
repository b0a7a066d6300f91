// The savings report: the same period collected on a fixed weekly schedule
// and with sensor-driven daily plans, simulated day by day on the road
// network.
//
// Simulation: every container fills at its own rate (its FillModel's
// weekday rates) times a day-to-day random factor (log-normal, sigma
// `noise`, seeded), starting from its given level. Each working day starts
// with the collection:
// - weekly: every container is emptied on one fixed weekday (containers
//   are split into as many sectors around the depot as there are working
//   days, one sector per day), whatever its level;
// - sensor-driven: make_plan() with the threshold policy (next visit = next
//   working day) on the levels the sensors report that morning.
// Then the day's filling is added. A container is in overflow on a day
// when its level passes 1 before it is emptied; each such container-day is
// one overflow event. Both strategies see the same random fill.
//
// Thread-safe; runs one solver per planned day (time_limit_s each).
#pragma once

#include <cstdint>
#include <vector>

#include "apps/waste/plan.h"
#include "core/error.h"

namespace cocity::apps::waste {

struct SavingsRequest {
  PlanRequest base;  // day_start = first day; containers, fleet, policy
  int days = 14;
  std::vector<bool> working_day = {true, true,  true, true,
                                   true, false, false};  // Monday first
  double noise = 0.25;
  uint64_t seed = 1;
};

struct StrategyFigures {
  int collections = 0;
  double distance_km = 0;
  double duration_h = 0;
  int overflow_events = 0;  // container-days over full
  int routes = 0;           // truck-days
  int infeasible_days = 0;  // days the solver found no plan for all musts
};

struct SavingsReport {
  int days = 0;
  int containers = 0;
  StrategyFigures weekly;
  StrategyFigures sensor;
};

// Errors: those of make_plan for the first day's inputs (bad fleet, ...);
// later days that cannot be planned count as infeasible_days.
Result<SavingsReport> compare_strategies(const SavingsRequest& request,
                                         const RoadIndex& roads);

}  // namespace cocity::apps::waste
