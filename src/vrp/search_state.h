// The mutable state of a local search: one route per vehicle slot, with
// cached prefix and suffix segments so that moves evaluate in O(1) (moves
// inside one route walk the middle part, O(route length)).
//
// Invariants after update_route(r): prefix[k] = start ⊕ jobs[0..k-1]
// (size L+1), suffix[k] = jobs[k..L-1] without the end depot (suffix[L]
// empty), cost = penalised cost of the full route, route_of/position_of
// agree with jobs. Not thread-safe; one state per thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "vrp/segment.h"
#include "vrp/solver_instance.h"

namespace cocity::vrp {

struct SearchRoute {
  int slot = 0;
  std::vector<int> jobs;
  std::vector<Segment> prefix;
  std::vector<Segment> suffix;
  // locations[0] = start, locations[k+1] = location of jobs[k],
  // locations[L+1] = end; cumulative[k] = distance along locations[0..k].
  std::vector<int> locations;
  std::vector<int64_t> cumulative;
  double cost = 0;
  double cost_per_distance = 1;
  int64_t modified_at = 0;  // move counter at the last change

  int64_t distance() const { return cumulative.back(); }
  // Lower bound of the cost of this route's vehicle driving `distance`
  // with `jobs` visits (0 when the route would be empty).
  double lower_bound(int64_t distance, int jobs) const {
    return jobs == 0 ? 0 : cost_per_distance * static_cast<double>(distance);
  }

  int size() const { return static_cast<int>(jobs.size()); }
};

class SearchState {
 public:
  static constexpr int kUnassigned = -1;

  explicit SearchState(const SolverInstance& in) : in_(in) {}

  // Loads routes (one job list per slot); jobs not listed are unassigned.
  void load(const std::vector<std::vector<int>>& routes,
            const Penalties& penalties);
  std::vector<std::vector<int>> routes_as_lists() const;

  const SolverInstance& instance() const { return in_; }
  const Penalties& penalties() const { return penalties_; }
  SearchRoute& route(int r) { return routes_[r]; }
  const SearchRoute& route(int r) const { return routes_[r]; }
  int num_routes() const { return static_cast<int>(routes_.size()); }
  int route_of(int job) const { return route_of_[job]; }
  int position_of(int job) const { return position_of_[job]; }

  // Segment of jobs[from..to] (inclusive) of route r, walking it.
  Segment range(int r, int from, int to) const;
  // The same jobs in reverse order.
  Segment reversed_range(int r, int from, int to) const;
  // Penalised cost of start(r) ⊕ body ⊕ end(r); `body_jobs` = visit count.
  double cost_with(int r, const Segment& body_with_start, int body_jobs) const;

  // Distance-only view of a sequence, for cheap upper bounds on a move's
  // gain: a route's penalised cost is at least cost_per_distance x distance.
  struct Piece {
    int first = -1;  // -1: empty
    int last = -1;
    int64_t distance = 0;
  };
  static Piece piece(const Segment& s) { return {s.first, s.last, s.distance}; }
  // jobs[from..to] of route r, O(1); empty if to < from.
  Piece forward_piece(int r, int from, int to) const;
  // jobs[from..to] of route r reversed, O(to - from).
  Piece reversed_piece(int r, int from, int to) const;
  // Lower bound of the cost of route r made of `parts` (the first part
  // must be a prefix, so it starts at the start depot), `jobs` visits.
  double cost_lower_bound(int r, std::initializer_list<Piece> parts,
                          int jobs) const;

  // Recomputes the caches of route r after its jobs changed.
  void update_route(int r);
  void mark_unassigned(int job) { route_of_[job] = kUnassigned; }
  int64_t move_count() const { return move_count_; }

 private:
  const SolverInstance& in_;
  Penalties penalties_;
  std::vector<SearchRoute> routes_;
  std::vector<int> route_of_;
  std::vector<int> position_of_;
  int64_t move_count_ = 0;
};

}  // namespace cocity::vrp
