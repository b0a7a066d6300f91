// A routing plan: one route per used vehicle, each a sequence of stops.
#pragma once

#include <cstdint>
#include <vector>

namespace cocity::vrp {

struct Stop {
  enum class Kind { kJob, kDisposal };
  Kind kind = Kind::kJob;
  int index = 0;  // into Problem::jobs or Problem::disposal_sites
};

struct Route {
  int vehicle_type = 0;     // index into Problem::vehicle_types
  int vehicle = 0;          // instance of that type, 0-based
  int64_t start_time = 0;   // departure from the start location
  std::vector<Stop> stops;  // depots left out
};

struct Solution {
  std::vector<Route> routes;    // empty routes are omitted
  std::vector<int> unassigned;  // job indices not served
  double cost = 0;              // objective in internal units (see problem.h)
  bool feasible = false;        // as claimed by the solver; see feasibility.h
};

}  // namespace cocity::vrp
