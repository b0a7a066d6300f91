#include "vrp/feasibility.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace cocity::vrp {
namespace {

std::unexpected<Error> violation(size_t route, const Route& r,
                                 const std::string& what) {
  return fail(Code::kBadRequestData,
              "route " + std::to_string(route) + " (vehicle type " +
                  std::to_string(r.vehicle_type) + " #" +
                  std::to_string(r.vehicle) + "): " + what);
}

std::string name_stop(const Problem& p, const Stop& s) {
  if (s.kind == Stop::Kind::kJob) {
    return "job " + std::to_string(p.jobs[s.index].number);
  }
  return "disposal site " + std::to_string(s.index);
}

struct RouteWalk {
  int64_t distance = 0;
  int64_t duration = 0;
};

// What a stop asks of the vehicle; `unload` for a disposal site.
struct Visit {
  int location = 0;
  TimeWindow window;
  int64_t service = 0;
  int64_t demand = 0;
  bool unload = false;
};

Result<Visit> visit_of(const Problem& p, size_t ri, const Route& r,
                       const Stop& s) {
  if (s.kind == Stop::Kind::kJob) {
    if (s.index < 0 || s.index >= static_cast<int>(p.jobs.size())) {
      return violation(ri, r, "unknown job index " + std::to_string(s.index));
    }
    const Job& j = p.jobs[s.index];
    return Visit{j.location, j.window, j.service_time, j.demand, false};
  }
  if (s.index < 0 || s.index >= static_cast<int>(p.disposal_sites.size())) {
    return violation(ri, r, "unknown disposal site " + std::to_string(s.index));
  }
  const DisposalSite& d = p.disposal_sites[s.index];
  return Visit{d.location, d.window, d.unload_time, 0, true};
}

// Checks the return: shift end, maximum duration, empty truck.
Status check_return(const Problem& p, size_t ri, const Route& r,
                    int64_t return_time, int64_t load) {
  const VehicleType& v = p.vehicle_types[r.vehicle_type];
  if (return_time > v.shift.close) {
    return violation(ri, r,
                     "returns at " + std::to_string(return_time) +
                         ", after the shift ends at " +
                         std::to_string(v.shift.close));
  }
  const int64_t duration = return_time - r.start_time;
  if (duration > v.max_duration) {
    return violation(ri, r,
                     "lasts " + std::to_string(duration) +
                         ", longer than the maximum " +
                         std::to_string(v.max_duration));
  }
  if (!p.disposal_sites.empty() && load > 0) {
    return violation(ri, r,
                     "returns loaded; a disposal visit must follow "
                     "the last job");
  }
  return ok();
}

// Walks one route; `served` counts visits per job.
Result<RouteWalk> walk_route(const Problem& p, size_t ri, const Route& r,
                             std::vector<int>* served) {
  const VehicleType& v = p.vehicle_types[r.vehicle_type];
  const DistanceProvider& m = *p.travel;
  if (r.start_time < v.shift.open) {
    return violation(ri, r, "starts before the shift opens");
  }
  int at = v.start_location;
  int64_t time = r.start_time;
  int64_t load = 0;
  RouteWalk w;
  for (const Stop& s : r.stops) {
    auto visit = visit_of(p, ri, r, s);
    if (!visit) return std::unexpected(visit.error());
    if (!visit->unload) ++(*served)[s.index];
    load = visit->unload ? 0 : load + visit->demand;
    if (load > v.capacity) {
      return violation(ri, r,
                       "load " + std::to_string(load) + " after " +
                           name_stop(p, s) + " exceeds capacity " +
                           std::to_string(v.capacity));
    }
    w.distance += m.distance(at, visit->location);
    time = std::max(time + m.duration(at, visit->location), visit->window.open);
    if (time > visit->window.close) {
      return violation(ri, r,
                       name_stop(p, s) + " starts at " + std::to_string(time) +
                           ", after its window closes at " +
                           std::to_string(visit->window.close));
    }
    time += visit->service;
    at = visit->location;
  }
  w.distance += m.distance(at, v.end_location);
  time += m.duration(at, v.end_location);
  if (auto s = check_return(p, ri, r, time, load); !s) {
    return std::unexpected(s.error());
  }
  w.duration = time - r.start_time;
  return w;
}

Status check_fleet(const Problem& p, const Solution& s) {
  std::map<std::pair<int, int>, int> used;
  for (size_t ri = 0; ri < s.routes.size(); ++ri) {
    const Route& r = s.routes[ri];
    if (r.vehicle_type < 0 ||
        r.vehicle_type >= static_cast<int>(p.vehicle_types.size())) {
      return fail(Code::kBadRequestData, "route " + std::to_string(ri) +
                                             ": unknown vehicle type " +
                                             std::to_string(r.vehicle_type));
    }
    const int count = p.vehicle_types[r.vehicle_type].count;
    if (r.vehicle < 0 ||
        (count != VehicleType::kUnlimited && r.vehicle >= count)) {
      return violation(ri, r, "vehicle number outside the fleet");
    }
    if (++used[{r.vehicle_type, r.vehicle}] > 1) {
      return violation(ri, r, "vehicle used by two routes");
    }
  }
  return ok();
}

}  // namespace

Result<PlanFigures> check_solution(const Problem& problem,
                                   const Solution& solution) {
  if (auto s = check_fleet(problem, solution); !s)
    return std::unexpected(s.error());
  std::vector<int> served(problem.jobs.size(), 0);
  PlanFigures f;
  for (size_t ri = 0; ri < solution.routes.size(); ++ri) {
    const Route& r = solution.routes[ri];
    auto w = walk_route(problem, ri, r, &served);
    if (!w) return std::unexpected(w.error());
    if (r.stops.empty()) continue;
    const VehicleType& v = problem.vehicle_types[r.vehicle_type];
    f.cost += v.fixed_cost + v.cost_per_distance * w->distance +
              v.cost_per_time * w->duration;
    f.distance += w->distance;
    f.duration += w->duration;
    ++f.vehicles;
  }
  for (size_t i = 0; i < problem.jobs.size(); ++i) {
    const Job& j = problem.jobs[i];
    const std::string name = "job " + std::to_string(j.number);
    if (served[i] > 1) {
      return fail(Code::kBadRequestData,
                  name + " is served " + std::to_string(served[i]) + " times");
    }
    if (served[i] == 0 && j.mandatory) {
      return fail(Code::kBadRequestData, name + " is mandatory but unserved");
    }
    if (served[i] == 0) f.cost += j.prize;
  }
  return f;
}

}  // namespace cocity::vrp
