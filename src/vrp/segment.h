// Concatenable summaries of visit sequences (Vidal et al. 2013, "A hybrid
// genetic algorithm with adaptive diversity management for a large class of
// vehicle routing problems with time-windows"): for any sequence we keep
// travel distance, duration, time warp, the window [early, late] of start
// times achieving them, and load. Concatenating two summaries is O(1), which
// makes move evaluation O(1) from cached prefixes and suffixes.
//
// Time warp: arriving after a window closes is allowed at a penalty, as if
// the vehicle travelled back in time to the close; the amount is summed.
#pragma once

#include <algorithm>
#include <cstdint>

#include "vrp/solver_instance.h"

namespace cocity::vrp {

struct Segment {
  int first = -1;  // first location; -1 marks the empty sequence
  int last = -1;
  int64_t distance = 0;
  int64_t duration = 0;  // travel + service + waiting
  int64_t time_warp = 0;
  int64_t early = 0;
  int64_t late = kNoLimit;
  int64_t load = 0;

  bool empty() const { return first < 0; }
};

inline Segment visit_segment(int location, int64_t service, TimeWindow w,
                             int64_t load) {
  return {location, location, 0, service, 0, w.open, w.close, load};
}

inline Segment job_segment(const SolverInstance& in, int job) {
  const JobData& j = in.job(job);
  return visit_segment(j.location, j.service_time, j.window, j.demand);
}

inline Segment start_segment(const SolverInstance& in, int slot) {
  const SlotData& s = in.slot(slot);
  return visit_segment(s.start_location, 0, s.shift, 0);
}

inline Segment end_segment(const SolverInstance& in, int slot) {
  const SlotData& s = in.slot(slot);
  return visit_segment(s.end_location, 0, s.shift, 0);
}

inline Segment concat(const SolverInstance& in, const Segment& a,
                      const Segment& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  const int64_t travel = in.duration(a.last, b.first);
  const int64_t delta = a.duration - a.time_warp + travel;
  const int64_t wait = std::max<int64_t>(b.early - delta - a.late, 0);
  const int64_t warp = std::max<int64_t>(a.early + delta - b.late, 0);
  Segment s;
  s.first = a.first;
  s.last = b.last;
  s.distance = a.distance + b.distance + in.distance(a.last, b.first);
  s.duration = a.duration + b.duration + travel + wait;
  s.time_warp = a.time_warp + b.time_warp + warp;
  s.early = std::max(b.early - delta, a.early) - wait;
  s.late = std::min(b.late - delta, a.late) + warp;
  s.load = a.load + b.load;
  return s;
}

struct Penalties {
  double load = 1;       // per unit of excess load
  double time_warp = 1;  // per unit of time warp or excess duration
};

// Violations of a complete route (start ⊕ visits ⊕ end) for a slot.
struct RouteViolation {
  int64_t excess_load = 0;
  int64_t time_warp = 0;  // includes duration above max_duration
};

inline RouteViolation route_violation(const SolverInstance& in, int slot,
                                      const Segment& full,
                                      bool count_load = true) {
  const SlotData& s = in.slot(slot);
  RouteViolation v;
  if (count_load) v.excess_load = std::max<int64_t>(full.load - s.capacity, 0);
  v.time_warp =
      full.time_warp + std::max<int64_t>(full.duration - s.max_duration, 0);
  return v;
}

// Objective part of a complete non-empty route, without penalties.
inline double route_base_cost(const SolverInstance& in, int slot,
                              const Segment& full) {
  const SlotData& s = in.slot(slot);
  return s.fixed_cost + s.cost_per_distance * full.distance +
         s.cost_per_time * full.duration;
}

// Penalised cost of a complete route; 0 for a route without visits
// (`has_visits` false). With disposal sites the load is checked per trip
// elsewhere, so here it is ignored.
inline double route_cost(const SolverInstance& in, int slot,
                         const Segment& full, bool has_visits,
                         const Penalties& p) {
  if (!has_visits) return 0;
  const RouteViolation v = route_violation(in, slot, full, !in.has_disposal());
  return route_base_cost(in, slot, full) + p.load * v.excess_load +
         p.time_warp * v.time_warp;
}

}  // namespace cocity::vrp
