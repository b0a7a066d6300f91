// The solver's flattened, read-only view of a Problem: dense matrices, job
// and vehicle-slot arrays, granular neighbour lists. Built once per solve
// and shared (const) by all search threads.
//
// A "slot" is one vehicle instance: type t with count c yields c slots. An
// unlimited type yields a bounded number of slots (enough for 1.3x the
// capacity lower bound plus 3, at least 10, at most one per job).
#pragma once

#include <cstdint>
#include <vector>

#include "vrp/problem.h"

namespace cocity::vrp {

struct SlotData {
  int type = 0;
  int instance = 0;  // 0-based within its type
  int start_location = 0;
  int end_location = 0;
  TimeWindow shift;
  int64_t capacity = kNoLimit;
  int64_t max_duration = kNoLimit;
  double cost_per_distance = 1;
  double cost_per_time = 0;
  double fixed_cost = 0;
};

struct JobData {
  int location = 0;
  int64_t demand = 0;
  int64_t service_time = 0;
  TimeWindow window;
  bool mandatory = true;
  double prize = 0;
};

class SolverInstance {
 public:
  // REQUIRES: validate_problem(problem) succeeded; problem outlives this.
  SolverInstance(const Problem& problem, int granularity);

  const Problem& problem() const { return *problem_; }
  int num_jobs() const { return static_cast<int>(jobs_.size()); }
  int num_slots() const { return static_cast<int>(slots_.size()); }
  const JobData& job(int j) const { return jobs_[j]; }
  const SlotData& slot(int s) const { return slots_[s]; }
  int64_t distance(int from, int to) const {
    return travel_[static_cast<size_t>(from) * n_ + to].distance;
  }
  int64_t duration(int from, int to) const {
    return travel_[static_cast<size_t>(from) * n_ + to].duration;
  }
  // True if some travel value exceeded kMaxTravel; the solver refuses
  // such problems rather than truncate.
  bool travel_overflow() const { return travel_overflow_; }
  static constexpr int64_t kMaxTravel = 0x7fffffff;
  // Jobs most related to job j (nearest with time-window compatibility).
  const std::vector<int>& neighbours(int j) const { return neighbours_[j]; }
  bool has_disposal() const { return !problem_->disposal_sites.empty(); }
  bool has_time_windows() const { return has_time_windows_; }
  int64_t max_distance() const { return max_distance_; }
  int64_t max_demand() const { return max_demand_; }
  int64_t max_capacity() const { return max_capacity_; }

 private:
  void build_slots();
  void build_neighbours(int granularity);
  double correlation(int a, int b) const;

  const Problem* problem_;
  int n_ = 0;  // locations
  // Distance and duration side by side: one cache line serves both.
  struct Travel {
    int32_t distance;
    int32_t duration;
  };
  std::vector<Travel> travel_;
  bool travel_overflow_ = false;
  std::vector<JobData> jobs_;
  std::vector<SlotData> slots_;
  std::vector<std::vector<int>> neighbours_;
  bool has_time_windows_ = false;
  int64_t max_distance_ = 1;
  int64_t max_demand_ = 1;
  int64_t max_capacity_ = 1;
};

}  // namespace cocity::vrp
