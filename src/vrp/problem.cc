#include "vrp/problem.h"

#include <string>

namespace cocity::vrp {
namespace {

Status bad(const std::string& field, const std::string& rule) {
  return fail(Code::kBadRequestData, field + ": " + rule);
}

Status check_location(const std::string& field, int location, int n) {
  if (location < 0 || location >= n) {
    return bad(field, std::to_string(location) + " is outside the matrix of " +
                          std::to_string(n) + " locations");
  }
  return ok();
}

Status check_window(const std::string& field, const TimeWindow& w) {
  if (w.open < 0 || w.close < w.open) {
    return bad(field, "window [" + std::to_string(w.open) + ", " +
                          std::to_string(w.close) +
                          "] must satisfy 0 <= open <= close");
  }
  return ok();
}

Status check_job(const Job& job, size_t i, int n) {
  const std::string f = "jobs[" + std::to_string(i) + "]";
  if (auto s = check_location(f + ".location", job.location, n); !s) return s;
  if (auto s = check_window(f + ".time_window", job.window); !s) return s;
  if (job.demand < 0) return bad(f + ".demand", "must not be negative");
  if (job.service_time < 0) return bad(f + ".service", "must not be negative");
  if (job.prize < 0) return bad(f + ".prize", "must not be negative");
  return ok();
}

Status check_vehicle(const VehicleType& v, size_t i, int n) {
  const std::string f = "vehicle_types[" + std::to_string(i) + "]";
  if (auto s = check_location(f + ".start", v.start_location, n); !s) return s;
  if (auto s = check_location(f + ".end", v.end_location, n); !s) return s;
  if (auto s = check_window(f + ".shift", v.shift); !s) return s;
  if (v.count < 0 && v.count != VehicleType::kUnlimited) {
    return bad(f + ".count", "must not be negative");
  }
  if (v.capacity < 0) return bad(f + ".capacity", "must not be negative");
  if (v.max_duration < 0) {
    return bad(f + ".max_duration", "must not be negative");
  }
  if (v.cost_per_distance < 0 || v.cost_per_time < 0 || v.fixed_cost < 0) {
    return bad(f, "costs must not be negative");
  }
  return ok();
}

}  // namespace

Status validate_problem(const Problem& problem) {
  if (!problem.travel) return bad("problem", "has no travel matrix");
  const int n = problem.travel->size();
  for (size_t i = 0; i < problem.jobs.size(); ++i) {
    if (auto s = check_job(problem.jobs[i], i, n); !s) return s;
  }
  int vehicles = 0;
  for (size_t i = 0; i < problem.vehicle_types.size(); ++i) {
    const VehicleType& v = problem.vehicle_types[i];
    if (auto s = check_vehicle(v, i, n); !s) return s;
    vehicles += v.count == VehicleType::kUnlimited ? 1 : v.count;
  }
  if (vehicles == 0) return bad("vehicle_types", "no vehicle available");
  for (size_t i = 0; i < problem.disposal_sites.size(); ++i) {
    const DisposalSite& d = problem.disposal_sites[i];
    const std::string f = "disposal_sites[" + std::to_string(i) + "]";
    if (auto s = check_location(f + ".location", d.location, n); !s) return s;
    if (auto s = check_window(f + ".time_window", d.window); !s) return s;
    if (d.unload_time < 0) return bad(f + ".unload", "must not be negative");
  }
  return ok();
}

}  // namespace cocity::vrp
