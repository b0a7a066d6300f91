#include "vrp/local_search.h"

#include <algorithm>

#include "vrp/optional_job.h"
#include "vrp/relocate.h"
#include "vrp/swap.h"
#include "vrp/two_opt.h"
#include "vrp/two_opt_star.h"

namespace cocity::vrp {
namespace {
constexpr double kEpsilon = 1e-6;
constexpr int kMaxLoops = 1000;
}  // namespace

LocalSearch::LocalSearch(const SolverInstance& in) : in_(in), state_(in) {
  for (int j = 0; j < in.num_jobs(); ++j) {
    order_.push_back(j);
    neighbours_.push_back(in.neighbours(j));
  }
}

template <typename Move>
bool LocalSearch::take(const Move& move) {
  if (!move.valid()) return false;
  if constexpr (requires { move.bound(); }) {
    if (move.bound() <= kEpsilon) return false;
  }
  if (move.gain() <= kEpsilon) return false;
  move.apply(&state_);
  return true;
}

void LocalSearch::run(std::vector<std::vector<int>>* routes,
                      const Penalties& penalties, std::mt19937* rng) {
  state_.load(*routes, penalties);
  last_tested_.assign(in_.num_jobs(), -1);
  std::shuffle(order_.begin(), order_.end(), *rng);
  // Reshuffle a few neighbour lists per call, as HGS does.
  for (int k = 0; k < std::max(1, in_.num_jobs() / 10); ++k) {
    auto& list = neighbours_[(*rng)() % neighbours_.size()];
    std::shuffle(list.begin(), list.end(), *rng);
  }
  bool improved = true;
  for (int loop = 0; improved && loop < kMaxLoops; ++loop) {
    improved = false;
    for (int u : order_) {
      while (improve_job(u, loop == 0)) improved = true;
    }
  }
  *routes = state_.routes_as_lists();
}

bool LocalSearch::improve_job(int u, bool first_loop) {
  if (state_.route_of(u) == SearchState::kUnassigned) return try_unassigned(u);
  if (!in_.job(u).mandatory && take(RemoveJob(state_, u))) return true;
  const int64_t tested_at = last_tested_[u];
  last_tested_[u] = state_.move_count();
  const int ru = state_.route_of(u);
  for (int v : neighbours_[u]) {
    const int rv = state_.route_of(v);
    if (rv == SearchState::kUnassigned) continue;
    if (!first_loop && std::max(state_.route(ru).modified_at,
                                state_.route(rv).modified_at) <= tested_at) {
      continue;
    }
    if (improve_with_neighbour(u, v)) return true;
  }
  return try_empty_route(u);
}

bool LocalSearch::improve_with_neighbour(int u, int v) {
  const int ru = state_.route_of(u), i = state_.position_of(u);
  const int rv = state_.route_of(v), j = state_.position_of(v);
  const SearchState& s = state_;
  if (take(Relocate(s, ru, i, 1, rv, j + 1))) return true;
  if (take(Relocate(s, ru, i, 1, rv, j))) return true;
  if (take(Relocate(s, ru, i, 2, rv, j + 1))) return true;
  if (take(Swap(s, ru, i, 1, rv, j, 1))) return true;
  if (take(Swap(s, ru, i, 2, rv, j, 1))) return true;
  if (take(Swap(s, ru, i, 2, rv, j, 2))) return true;
  if (ru != rv) {
    if (take(TwoOptStar(s, ru, i + 1, rv, j + 1))) return true;
    if (take(TwoOptStar(s, ru, i + 1, rv, j))) return true;
    return false;
  }
  if (i < j) return take(TwoOpt(s, ru, i + 1, j));
  return take(TwoOpt(s, ru, j + 1, i));
}

bool LocalSearch::try_empty_route(int u) {
  const int ru = state_.route_of(u);
  if (state_.route(ru).size() <= 1) return false;
  // One empty route per vehicle type is enough: same-type slots are equal.
  int last_type = -1;
  for (int r = 0; r < state_.num_routes(); ++r) {
    if (state_.route(r).size() != 0) continue;
    const int type = in_.slot(state_.route(r).slot).type;
    if (type == last_type) continue;
    last_type = type;
    if (take(Relocate(state_, ru, state_.position_of(u), 1, r, 0))) return true;
  }
  return false;
}

bool LocalSearch::try_unassigned(int u) {
  double best = kEpsilon;
  int best_route = -1, best_pos = 0;
  auto consider = [&](int r, int pos) {
    InsertJob m(state_, u, r, pos);
    if (!m.valid()) return;
    const double g = m.gain();
    if (g > best) {
      best = g;
      best_route = r;
      best_pos = pos;
    }
  };
  for (int v : neighbours_[u]) {
    const int rv = state_.route_of(v);
    if (rv == SearchState::kUnassigned) continue;
    consider(rv, state_.position_of(v));
    consider(rv, state_.position_of(v) + 1);
  }
  for (int r = 0; r < state_.num_routes(); ++r) {
    if (state_.route(r).size() == 0) {
      consider(r, 0);
      break;
    }
  }
  if (best_route < 0) return false;
  InsertJob(state_, u, best_route, best_pos).apply(&state_);
  return true;
}

}  // namespace cocity::vrp
