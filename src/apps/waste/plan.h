// A collection day: which containers to empty, and each truck's route on
// the real road network.
//
// make_plan() selects containers (selection.h), snaps containers, depots
// and disposal sites to the road graph, builds the duration/distance matrix
// (contraction hierarchy, many-to-many), states the vehicle routing problem
// (musts mandatory, mays optional with a prize proportional to their level;
// trucks unload at disposal sites when full and before returning), solves
// it within the time limit, re-checks the plan with vrp::check_solution, and
// returns the routes with stop times, loads and road geometry.
//
// Times are seconds from `day_start` (local midnight of the plan's date, as
// a UTC time point). Distances in metres, volumes in litres.
// Thread-safe; the RoadIndex is only read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "apps/waste/forecast.h"
#include "apps/waste/road_index.h"
#include "apps/waste/selection.h"
#include "core/error.h"
#include "core/time.h"
#include "roads/geo.h"
#include "vrp/problem.h"

namespace cocity::apps::waste {

struct Depot {
  std::string id;
  roads::LatLon location;
};

struct DisposalSite {
  std::string id;
  roads::LatLon location;
  int64_t open_s = 0;
  int64_t close_s = 86400;
  int64_t unload_s = 900;
};

struct Truck {
  std::string id;
  std::string depot;  // Depot::id
  double capacity_l = 10000;
  int64_t shift_start_s = 6 * 3600;
  int64_t shift_end_s = 14 * 3600;
  int64_t max_duration_s = vrp::kNoLimit;
};

struct PlanRequest {
  TimePoint day_start;
  std::vector<Container> containers;
  std::vector<Depot> depots;
  std::vector<DisposalSite> disposal_sites;
  std::vector<Truck> trucks;
  ThresholdPolicy policy;
  ForecastOptions forecast;
  double cost_per_hour_m = 10000;  // a driving hour is worth this many metres
  double time_limit_s = 5;
  // When no plan serves every must container (too many for the fleet's
  // shifts and capacity): true plans the musts as optional jobs with a
  // prize of kMustPrizeFactor * prize_m each and lists those left in
  // Plan::must_left; false makes it an error.
  bool best_effort = true;
  int threads = 1;
  uint64_t seed = 1;
};

struct PlanStop {
  enum class Kind { kContainer, kDisposal };
  Kind kind = Kind::kContainer;
  std::string id;
  roads::LatLon location;  // as given (not snapped)
  int64_t arrival_s = 0;
  int64_t start_s = 0;  // arrival, or later when waiting for a window
  int64_t departure_s = 0;
  double load_l = 0;      // in the truck after the stop
  double level = 0;       // container: expected level at the visit
  bool must = false;      // container: a must (else a may)
  double distance_m = 0;  // driven from the previous stop
};

struct TruckRoute {
  std::string truck;
  std::string depot;
  int64_t depart_s = 0;
  int64_t return_s = 0;
  double distance_m = 0;  // including the return to the depot
  int containers = 0;
  int disposal_visits = 0;
  std::vector<PlanStop> stops;          // depots left out
  std::vector<roads::LatLon> geometry;  // depot, road nodes..., depot
};

struct Unplanned {
  std::string id;
  std::string reason;
};

struct Plan {
  TimePoint day_start;
  std::vector<TruckRoute> routes;          // only trucks that drive
  std::vector<std::string> skipped;        // below the may level
  std::vector<std::string> optional_left;  // mays not worth the detour
  std::vector<Unplanned> unroutable;       // no road near them
  std::vector<std::string> must_left;      // musts the fleet cannot serve
  int must = 0;
  int may = 0;
  int collected = 0;
  double distance_m = 0;
  double duration_s = 0;  // summed over routes, depart to return
  double cost = 0;        // the solver's objective
  double solve_s = 0;
};

inline constexpr double kMustPrizeFactor = 25;

// Errors: kBadRequestData for inconsistent input (a truck's unknown depot,
// no truck, a depot or disposal site with no road near, duplicate ids) or,
// without best_effort, when the solver finds no plan that serves every
// must container within the shifts (the detail says how many musts there
// were); kInternal if the plan fails the independent check.
Result<Plan> make_plan(const PlanRequest& request, const RoadIndex& roads);

}  // namespace cocity::apps::waste
