// Small hand-made problems shared by the vrp tests.
#pragma once

#include <vector>

#include "vrp/problem.h"

namespace cocity::vrp::testing {

// Points on a line x = 0, 10, 20, ...; location 0 is the depot. Jobs at
// locations 1..n with the given demands, no time windows; one vehicle type.
inline Problem line_problem(int jobs, int vehicles, int64_t capacity) {
  Problem p;
  p.name = "line";
  std::vector<Point> points;
  for (int i = 0; i <= jobs; ++i) points.push_back({10.0 * i, 0});
  p.travel = make_euclidean_provider(points, {});
  for (int i = 1; i <= jobs; ++i) {
    Job j;
    j.number = i;
    j.location = i;
    j.demand = 1;
    p.jobs.push_back(j);
  }
  VehicleType v;
  v.id = "truck";
  v.count = vehicles;
  v.capacity = capacity;
  p.vehicle_types.push_back(v);
  return p;
}

// Jobs on a 2-D grid around a central depot, with windows and service.
inline Problem grid_problem(int side, int vehicles, int64_t capacity) {
  Problem p;
  p.name = "grid";
  std::vector<Point> points{{0, 0}};
  for (int x = 0; x < side; ++x) {
    for (int y = 0; y < side; ++y) {
      points.push_back({10.0 * (x - side / 2), 10.0 * (y - side / 2) + 5});
    }
  }
  p.travel = make_euclidean_provider(points, {});
  for (int i = 1; i < static_cast<int>(points.size()); ++i) {
    Job j;
    j.number = i;
    j.location = i;
    j.demand = 1 + i % 3;
    j.service_time = 5;
    j.window = {0, 400 + 37 * (i % 7)};
    p.jobs.push_back(j);
  }
  VehicleType v;
  v.id = "van";
  v.count = vehicles;
  v.capacity = capacity;
  v.shift = {0, 1000};
  p.vehicle_types.push_back(v);
  return p;
}

}  // namespace cocity::vrp::testing
