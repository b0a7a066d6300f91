#include "vrp/search_state.h"

namespace cocity::vrp {

void SearchState::load(const std::vector<std::vector<int>>& routes,
                       const Penalties& penalties) {
  penalties_ = penalties;
  route_of_.assign(in_.num_jobs(), kUnassigned);
  position_of_.assign(in_.num_jobs(), 0);
  routes_.resize(in_.num_slots());
  for (int r = 0; r < in_.num_slots(); ++r) {
    routes_[r].slot = r;
    routes_[r].jobs =
        r < static_cast<int>(routes.size()) ? routes[r] : std::vector<int>{};
    update_route(r);
  }
}

std::vector<std::vector<int>> SearchState::routes_as_lists() const {
  std::vector<std::vector<int>> lists;
  for (const SearchRoute& r : routes_) lists.push_back(r.jobs);
  return lists;
}

Segment SearchState::range(int r, int from, int to) const {
  const std::vector<int>& jobs = routes_[r].jobs;
  if (from == to) return job_segment(in_, jobs[from]);
  Segment s;
  for (int k = from; k <= to; ++k)
    s = concat(in_, s, job_segment(in_, jobs[k]));
  return s;
}

Segment SearchState::reversed_range(int r, int from, int to) const {
  const std::vector<int>& jobs = routes_[r].jobs;
  Segment s;
  for (int k = to; k >= from; --k)
    s = concat(in_, s, job_segment(in_, jobs[k]));
  return s;
}

double SearchState::cost_with(int r, const Segment& body_with_start,
                              int body_jobs) const {
  const int slot = routes_[r].slot;
  const Segment full = concat(in_, body_with_start, end_segment(in_, slot));
  return route_cost(in_, slot, full, body_jobs > 0, penalties_);
}

SearchState::Piece SearchState::forward_piece(int r, int from, int to) const {
  if (to < from) return {};
  const SearchRoute& route = routes_[r];
  return {in_.job(route.jobs[from]).location, in_.job(route.jobs[to]).location,
          route.prefix[to + 1].distance - route.prefix[from + 1].distance};
}

SearchState::Piece SearchState::reversed_piece(int r, int from, int to) const {
  if (to < from) return {};
  const std::vector<int>& jobs = routes_[r].jobs;
  Piece p{in_.job(jobs[to]).location, in_.job(jobs[from]).location, 0};
  for (int k = to; k > from; --k) {
    p.distance +=
        in_.distance(in_.job(jobs[k]).location, in_.job(jobs[k - 1]).location);
  }
  return p;
}

double SearchState::cost_lower_bound(int r, std::initializer_list<Piece> parts,
                                     int jobs) const {
  if (jobs == 0) return 0;
  int64_t distance = 0;
  int last = -1;
  for (const Piece& p : parts) {
    if (p.first < 0) continue;
    if (last >= 0) distance += in_.distance(last, p.first);
    distance += p.distance;
    last = p.last;
  }
  const SlotData& slot = in_.slot(routes_[r].slot);
  distance += in_.distance(last, slot.end_location);
  return slot.cost_per_distance * static_cast<double>(distance);
}

void SearchState::update_route(int r) {
  SearchRoute& route = routes_[r];
  const int n = route.size();
  route.prefix.resize(n + 1);
  route.suffix.resize(n + 1);
  route.prefix[0] = start_segment(in_, route.slot);
  for (int k = 0; k < n; ++k) {
    const int job = route.jobs[k];
    route_of_[job] = r;
    position_of_[job] = k;
    route.prefix[k + 1] = concat(in_, route.prefix[k], job_segment(in_, job));
  }
  route.suffix[n] = Segment{};
  for (int k = n - 1; k >= 0; --k) {
    route.suffix[k] =
        concat(in_, job_segment(in_, route.jobs[k]), route.suffix[k + 1]);
  }
  route.cost = cost_with(r, route.prefix[n], n);
  const SlotData& slot = in_.slot(route.slot);
  route.cost_per_distance = slot.cost_per_distance;
  route.locations.resize(n + 2);
  route.cumulative.resize(n + 2);
  route.locations[0] = slot.start_location;
  route.cumulative[0] = 0;
  for (int k = 0; k <= n; ++k) {
    route.locations[k + 1] =
        k < n ? in_.job(route.jobs[k]).location : slot.end_location;
    route.cumulative[k + 1] =
        route.cumulative[k] +
        in_.distance(route.locations[k], route.locations[k + 1]);
  }
  route.modified_at = ++move_count_;
}

}  // namespace cocity::vrp
