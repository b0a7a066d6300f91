#include "apps/waste/savings.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

namespace cocity::apps::waste {

namespace {

constexpr double kDay = 86400;

int weekday(TimePoint local_midnight_utc, int utc_offset_s) {
  int64_t s = to_micros(local_midnight_utc) / 1'000'000 + utc_offset_s;
  int64_t day = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  return int(((day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
}

TimePoint day_at(const SavingsRequest& r, int d) {
  return r.base.day_start + std::chrono::seconds(int64_t(d) * 86400);
}

// fill[d][i]: what container i gains on day d.
std::vector<std::vector<double>> daily_fill(const SavingsRequest& r) {
  std::mt19937_64 rng(r.seed);
  std::normal_distribution<double> normal(0, 1);
  const auto& cs = r.base.containers;
  std::vector<std::vector<double>> fill(size_t(r.days),
                                        std::vector<double>(cs.size()));
  for (int d = 0; d < r.days; ++d) {
    int wd = weekday(day_at(r, d), r.base.forecast.utc_offset_s);
    for (size_t i = 0; i < cs.size(); ++i) {
      double f = std::exp(r.noise * normal(rng) - r.noise * r.noise / 2);
      fill[size_t(d)][i] = cs[i].model.rate_per_day[size_t(wd)] * f;
    }
  }
  return fill;
}

// Sector (0..k-1) of each container by its bearing from the first depot.
std::vector<int> sectors(const PlanRequest& base, int k) {
  const auto& cs = base.containers;
  roads::LatLon c =
      base.depots.empty() ? roads::LatLon{} : base.depots[0].location;
  std::vector<size_t> order(cs.size());
  std::iota(order.begin(), order.end(), 0);
  auto bearing = [&](size_t i) {
    return std::atan2(
        cs[i].location.lat - c.lat,
        (cs[i].location.lon - c.lon) * std::cos(c.lat * M_PI / 180));
  };
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return bearing(a) < bearing(b); });
  std::vector<int> sector(cs.size());
  for (size_t j = 0; j < order.size(); ++j) {
    sector[order[j]] = int(j * size_t(k) / std::max<size_t>(1, order.size()));
  }
  return sector;
}

// Days from `d` to the next working day after it.
double days_to_next_working(const SavingsRequest& r, int d) {
  int wd = weekday(day_at(r, d), r.base.forecast.utc_offset_s);
  for (int k = 1; k <= 7; ++k) {
    if (r.working_day[size_t((wd + k) % 7)]) return k;
  }
  return 7;
}

struct Simulation {
  std::vector<double> level;
  StrategyFigures figures;
};

// Plans day `d` for the containers `pick` with `policy`; empties what was
// collected. Returns the plan's error only for the first planned day.
Status collect(const SavingsRequest& r, int d, const std::vector<size_t>& pick,
               const ThresholdPolicy& policy, bool true_rates,
               const RoadIndex& roads, bool first, Simulation* sim) {
  PlanRequest req = r.base;
  req.day_start = day_at(r, d);
  req.policy = policy;
  req.containers.clear();
  for (size_t i : pick) {
    Container c = r.base.containers[i];
    c.level = sim->level[i];
    c.level_time = req.day_start;
    if (!true_rates) c.model = flat_model(0, 1, 1);
    req.containers.push_back(std::move(c));
  }
  auto plan = make_plan(req, roads);
  if (!plan) {
    if (first) return std::unexpected(plan.error());
    ++sim->figures.infeasible_days;
    return ok();
  }
  std::map<std::string, size_t> index;
  for (size_t i : pick) index[r.base.containers[i].id] = i;
  for (const auto& route : plan->routes) {
    for (const auto& s : route.stops) {
      if (s.kind == PlanStop::Kind::kContainer) sim->level[index[s.id]] = 0;
    }
  }
  sim->figures.collections += plan->collected;
  sim->figures.distance_km += plan->distance_m / 1000;
  sim->figures.duration_h += plan->duration_s / 3600;
  sim->figures.routes += int(plan->routes.size());
  return ok();
}

void fill_day(const std::vector<double>& fill, Simulation* sim) {
  for (size_t i = 0; i < fill.size(); ++i) {
    sim->level[i] += fill[i];
    if (sim->level[i] > 1) {
      ++sim->figures.overflow_events;
      sim->level[i] = 1;
    }
  }
}

}  // namespace

Result<SavingsReport> compare_strategies(const SavingsRequest& r,
                                         const RoadIndex& roads) {
  if (r.days < 1 || r.days > 62) {
    return fail(Code::kBadRequestData, "days must be in [1, 62]");
  }
  if (r.working_day.size() != 7 ||
      std::none_of(r.working_day.begin(), r.working_day.end(),
                   [](bool b) { return b; })) {
    return fail(Code::kBadRequestData, "working_days must name a weekday");
  }
  const auto& cs = r.base.containers;
  auto fill = daily_fill(r);
  std::vector<int> working;
  for (int w = 0; w < 7; ++w) {
    if (r.working_day[size_t(w)]) working.push_back(w);
  }
  auto sector = sectors(r.base, int(working.size()));
  Simulation weekly, sensor;
  for (size_t i = 0; i < cs.size(); ++i) {
    weekly.level.push_back(cs[i].level);
    sensor.level.push_back(cs[i].level);
  }
  ThresholdPolicy all = r.base.policy;
  all.threshold = 0;  // every container of the sector is a must
  all.may_level = 0;
  bool first = true;
  for (int d = 0; d < r.days; ++d) {
    int wd = weekday(day_at(r, d), r.base.forecast.utc_offset_s);
    if (r.working_day[size_t(wd)]) {
      int slot =
          int(std::find(working.begin(), working.end(), wd) - working.begin());
      std::vector<size_t> mine, everyone(cs.size());
      std::iota(everyone.begin(), everyone.end(), 0);
      for (size_t i = 0; i < cs.size(); ++i) {
        if (sector[i] == slot) mine.push_back(i);
      }
      ThresholdPolicy dynamic = r.base.policy;
      dynamic.next_visit_days = days_to_next_working(r, d);
      if (auto s = collect(r, d, mine, all, false, roads, first, &weekly); !s) {
        return std::unexpected(s.error());
      }
      if (auto s =
              collect(r, d, everyone, dynamic, true, roads, first, &sensor);
          !s) {
        return std::unexpected(s.error());
      }
      first = false;
    }
    fill_day(fill[size_t(d)], &weekly);
    fill_day(fill[size_t(d)], &sensor);
  }
  SavingsReport out;
  out.days = r.days;
  out.containers = int(cs.size());
  out.weekly = weekly.figures;
  out.sensor = sensor.figures;
  return out;
}

}  // namespace cocity::apps::waste
