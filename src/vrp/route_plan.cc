#include "vrp/route_plan.h"

#include <limits>

namespace cocity::vrp {
namespace {

int closest_site(const SolverInstance& in, int from, int to) {
  const auto& sites = in.problem().disposal_sites;
  int best = 0;
  int64_t best_detour = std::numeric_limits<int64_t>::max();
  for (size_t s = 0; s < sites.size(); ++s) {
    const int64_t d = in.distance(from, sites[s].location) +
                      in.distance(sites[s].location, to);
    if (d < best_detour) {
      best_detour = d;
      best = static_cast<int>(s);
    }
  }
  return best;
}

Segment stop_segment(const SolverInstance& in, const Stop& stop) {
  if (stop.kind == Stop::Kind::kJob) return job_segment(in, stop.index);
  const DisposalSite& d = in.problem().disposal_sites[stop.index];
  return visit_segment(d.location, d.unload_time, d.window, 0);
}

}  // namespace

std::vector<Stop> plan_stops(const SolverInstance& in, int slot,
                             const std::vector<int>& jobs) {
  std::vector<Stop> stops;
  const bool disposal = in.has_disposal();
  const SlotData& s = in.slot(slot);
  int64_t load = 0;
  int at = s.start_location;
  for (int j : jobs) {
    const JobData& job = in.job(j);
    if (disposal && load > 0 && load + job.demand > s.capacity) {
      stops.push_back(
          {Stop::Kind::kDisposal, closest_site(in, at, job.location)});
      load = 0;
    }
    stops.push_back({Stop::Kind::kJob, j});
    load += job.demand;
    at = job.location;
  }
  if (disposal && load > 0) {
    stops.push_back(
        {Stop::Kind::kDisposal, closest_site(in, at, s.end_location)});
  }
  return stops;
}

StopsEvaluation evaluate_stops(const SolverInstance& in, int slot,
                               const std::vector<Stop>& stops) {
  StopsEvaluation e;
  Segment seg = start_segment(in, slot);
  const int64_t capacity = in.slot(slot).capacity;
  int64_t trip_load = 0;
  int64_t excess = 0;
  for (const Stop& stop : stops) {
    seg = concat(in, seg, stop_segment(in, stop));
    if (stop.kind == Stop::Kind::kDisposal) {
      excess += std::max<int64_t>(trip_load - capacity, 0);
      trip_load = 0;
    } else {
      trip_load += in.job(stop.index).demand;
    }
  }
  excess += std::max<int64_t>(trip_load - capacity, 0);
  e.full = concat(in, seg, end_segment(in, slot));
  e.violation = route_violation(in, slot, e.full, false);
  e.violation.excess_load = excess;
  if (!stops.empty()) e.base_cost = route_base_cost(in, slot, e.full);
  return e;
}

}  // namespace cocity::vrp
