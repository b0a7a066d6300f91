// The vehicle routing problem: jobs, vehicle types, disposal sites and the
// travel matrix behind a DistanceProvider.
//
// Units. All times and distances are integers in the problem's units:
// seconds and metres for the project's JSON format; for the benchmark
// formats the Euclidean distance times Problem::cost_scale, rounded per edge
// (Solomon: x1000, so 0.001 resolution; CVRPLIB X: x1, i.e. TSPLIB EUC_2D).
// Costs are doubles in the same units; divide by cost_scale for display.
//
// Objective: sum over used vehicles of fixed_cost + cost_per_distance *
// distance + cost_per_time * (end - start), plus the prize of every optional
// job left unserved. Mandatory jobs must all be served.
//
// Disposal sites (intermediate facilities): a vehicle unloads there
// (unload_time), its load drops to zero and it continues. When a problem has
// disposal sites, every route that collected anything must visit one after
// its last job, so that trucks return empty.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "vrp/distance_provider.h"

namespace cocity::vrp {

inline constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max() / 4;

struct TimeWindow {
  int64_t open = 0;          // earliest start of service
  int64_t close = kNoLimit;  // latest start of service
};

struct Job {
  int64_t number = 0;  // the instance's own number, echoed in output
  int location = 0;
  int64_t demand = 0;
  int64_t service_time = 0;
  TimeWindow window;
  // Optional jobs may be left out of the plan at the cost of `prize`.
  bool mandatory = true;
  double prize = 0;
};

struct VehicleType {
  static constexpr int kUnlimited = -1;

  std::string id;
  int count = 1;  // number of such vehicles, or kUnlimited
  int64_t capacity = kNoLimit;
  int start_location = 0;
  int end_location = 0;
  TimeWindow shift;  // leave start not before open, be back by close
  int64_t max_duration = kNoLimit;
  double cost_per_distance = 1.0;
  double cost_per_time = 0.0;
  double fixed_cost = 0.0;
};

struct DisposalSite {
  int location = 0;
  TimeWindow window;  // unloading must start inside
  int64_t unload_time = 0;
};

struct Problem {
  std::string name;
  std::shared_ptr<const DistanceProvider> travel;
  std::vector<Job> jobs;
  std::vector<VehicleType> vehicle_types;
  std::vector<DisposalSite> disposal_sites;
  // Internal cost units per displayed unit (Solomon: 1000).
  double cost_scale = 1.0;
};

// Checks references and value ranges: locations inside the matrix,
// non-negative demands and times, open <= close, at least one vehicle.
// Errors are kBadRequestData naming the element ("jobs[3].location: 17 is
// outside the matrix of 12 locations").
Status validate_problem(const Problem& problem);

}  // namespace cocity::vrp
