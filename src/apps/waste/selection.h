// Which containers a collection day must or may empty (the threshold
// policy).
//
// A container is a must when its level, forecast at the high quantile of
// its fill rate (FillModel::ratio_high), reaches `threshold` before the
// next possible visit; otherwise it may be emptied, as an optional job with
// a prize, when its expected level at the visit is at least `may_level`.
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "apps/waste/forecast.h"
#include "core/time.h"
#include "roads/geo.h"

namespace cocity::apps::waste {

struct Container {
  std::string id;
  roads::LatLon location;
  double volume_l = 1100;  // what the truck loads when it is full
  double level = 0;        // last reading, 0..1
  TimePoint level_time;    // when it was read
  FillModel model;         // see fit_fill_model; a flat rate if no history
};

struct ThresholdPolicy {
  double threshold = 0.8;      // must: forecast reaches this before next
  double may_level = 0.5;      // may: expected level at the visit
  double next_visit_days = 1;  // the next possible visit after this one
  bool cautious = true;        // musts use the high rate quantile
  double prize_m = 4000;       // detour worth emptying a full container
  int64_t service_s = 60;      // per container
};

enum class Priority { kSkip, kMay, kMust };

struct Selection {
  Priority priority = Priority::kSkip;
  double level_at_visit = 0;  // expected, capped at 1
  double level_at_next = 0;   // forecast at the next possible visit
};

// One Selection per container, for a visit at `visit` (usually the shift
// start).
std::vector<Selection> select_containers(std::span<const Container> containers,
                                         TimePoint visit,
                                         const ThresholdPolicy& policy,
                                         const ForecastOptions& options = {});

// A model filling at `rate_per_day` on every weekday (no history).
FillModel flat_model(double rate_per_day, double ratio_low = 0.5,
                     double ratio_high = 1.5);

}  // namespace cocity::apps::waste
