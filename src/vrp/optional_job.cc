#include "vrp/optional_job.h"

namespace cocity::vrp {

bool InsertJob::valid() const {
  return s_.route_of(job_) == SearchState::kUnassigned && to_ >= 0 &&
         to_ <= s_.route(r_).size();
}

double InsertJob::gain() const {
  const SolverInstance& in = s_.instance();
  const SearchRoute& r = s_.route(r_);
  const Segment body = concat(
      in, concat(in, r.prefix[to_], job_segment(in, job_)), r.suffix[to_]);
  return in.job(job_).prize - (s_.cost_with(r_, body, r.size() + 1) - r.cost);
}

void InsertJob::apply(SearchState* state) const {
  std::vector<int>& jobs = state->route(r_).jobs;
  jobs.insert(jobs.begin() + to_, job_);
  state->update_route(r_);
}

bool RemoveJob::valid() const {
  return s_.route_of(job_) != SearchState::kUnassigned &&
         !s_.instance().job(job_).mandatory;
}

double RemoveJob::gain() const {
  const SolverInstance& in = s_.instance();
  const int r = s_.route_of(job_);
  const int k = s_.position_of(job_);
  const SearchRoute& route = s_.route(r);
  const double without = s_.cost_with(
      r, concat(in, route.prefix[k], route.suffix[k + 1]), route.size() - 1);
  return route.cost - without - in.job(job_).prize;
}

void RemoveJob::apply(SearchState* state) const {
  const int r = state->route_of(job_);
  std::vector<int>& jobs = state->route(r).jobs;
  jobs.erase(jobs.begin() + state->position_of(job_));
  state->mark_unassigned(job_);
  state->update_route(r);
}

}  // namespace cocity::vrp
