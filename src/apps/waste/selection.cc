#include "apps/waste/selection.h"

#include <algorithm>
#include <chrono>

namespace cocity::apps::waste {

std::vector<Selection> select_containers(std::span<const Container> containers,
                                         TimePoint visit,
                                         const ThresholdPolicy& policy,
                                         const ForecastOptions& options) {
  auto next = visit + Micros(int64_t(policy.next_visit_days * 86400e6));
  std::vector<Selection> out;
  out.reserve(containers.size());
  for (const auto& c : containers) {
    Selection s;
    TimePoint from = std::min(c.level_time, visit);
    double now = predict_level(c.model, c.level, from, visit, options);
    double factor = policy.cautious ? c.model.ratio_high : 1.0;
    s.level_at_visit = std::min(now, 1.0);
    s.level_at_next =
        predict_level(c.model, c.level, from, next, options, factor);
    if (s.level_at_next >= policy.threshold) {
      s.priority = Priority::kMust;
    } else if (s.level_at_visit >= policy.may_level) {
      s.priority = Priority::kMay;
    }
    out.push_back(s);
  }
  return out;
}

FillModel flat_model(double rate_per_day, double ratio_low, double ratio_high) {
  FillModel m;
  m.rate_per_day.fill(rate_per_day);
  m.median_rate_per_day = rate_per_day;
  m.ratio_low = ratio_low;
  m.ratio_high = ratio_high;
  return m;
}

}  // namespace cocity::apps::waste
