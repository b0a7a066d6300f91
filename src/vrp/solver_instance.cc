#include "vrp/solver_instance.h"

#include <algorithm>
#include <cmath>

namespace cocity::vrp {

SolverInstance::SolverInstance(const Problem& problem, int granularity)
    : problem_(&problem), n_(problem.travel->size()) {
  travel_.resize(static_cast<size_t>(n_) * n_);
  for (int i = 0; i < n_; ++i) {
    for (int j = 0; j < n_; ++j) {
      const int64_t d = problem.travel->distance(i, j);
      const int64_t t = problem.travel->duration(i, j);
      if (d > kMaxTravel || t > kMaxTravel) travel_overflow_ = true;
      travel_[static_cast<size_t>(i) * n_ + j] = {
          static_cast<int32_t>(std::min(d, kMaxTravel)),
          static_cast<int32_t>(std::min(t, kMaxTravel))};
      max_distance_ = std::max(max_distance_, d);
    }
  }
  for (const Job& j : problem.jobs) {
    jobs_.push_back(
        {j.location, j.demand, j.service_time, j.window, j.mandatory, j.prize});
    max_demand_ = std::max(max_demand_, j.demand);
    if (j.window.open > 0 || j.window.close < kNoLimit) {
      has_time_windows_ = true;
    }
  }
  build_slots();
  build_neighbours(granularity);
}

void SolverInstance::build_slots() {
  int64_t total_demand = 0;
  for (const JobData& j : jobs_) total_demand += j.demand;
  for (size_t t = 0; t < problem_->vehicle_types.size(); ++t) {
    const VehicleType& v = problem_->vehicle_types[t];
    int count = v.count;
    if (count == VehicleType::kUnlimited) {
      const double cap = static_cast<double>(std::max<int64_t>(v.capacity, 1));
      const double bound = std::ceil(1.3 * total_demand / cap) + 3;
      count = static_cast<int>(std::min<double>(
          std::max<double>(bound, 10), std::max<size_t>(jobs_.size(), 1)));
    }
    for (int i = 0; i < count; ++i) {
      slots_.push_back({static_cast<int>(t), i, v.start_location,
                        v.end_location, v.shift, v.capacity, v.max_duration,
                        v.cost_per_distance, v.cost_per_time, v.fixed_cost});
      max_capacity_ = std::max(max_capacity_, std::min(v.capacity, kNoLimit));
    }
  }
}

// Distance plus penalties for waiting and for incompatible windows when b
// follows a, in the better direction (after Vidal et al.'s HGS-TW).
double SolverInstance::correlation(int a, int b) const {
  auto one_way = [&](int x, int y) {
    const JobData& jx = jobs_[x];
    const JobData& jy = jobs_[y];
    const int64_t d = distance(jx.location, jy.location);
    const int64_t t = duration(jx.location, jy.location);
    double c = static_cast<double>(d);
    if (has_time_windows_) {
      const double wait = static_cast<double>(std::max<int64_t>(
          jy.window.open - t - jx.service_time - jx.window.close, 0));
      const double warp = static_cast<double>(std::max<int64_t>(
          jx.window.open + jx.service_time + t - jy.window.close, 0));
      c += 0.2 * wait + 1.0 * warp;
    }
    return c;
  };
  return std::min(one_way(a, b), one_way(b, a));
}

void SolverInstance::build_neighbours(int granularity) {
  const int n = num_jobs();
  neighbours_.assign(n, {});
  std::vector<std::pair<double, int>> order;
  for (int a = 0; a < n; ++a) {
    order.clear();
    for (int b = 0; b < n; ++b) {
      if (b != a) order.push_back({correlation(a, b), b});
    }
    const size_t k = std::min<size_t>(granularity, order.size());
    std::partial_sort(order.begin(), order.begin() + k, order.end());
    for (size_t i = 0; i < k; ++i) neighbours_[a].push_back(order[i].second);
  }
}

}  // namespace cocity::vrp
