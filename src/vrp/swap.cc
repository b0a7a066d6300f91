#include "vrp/swap.h"

#include <algorithm>

namespace cocity::vrp {

bool Swap::valid() const {
  if (len_a_ < 1 || len_b_ < 1 || i_ < 0 || j_ < 0) return false;
  if (i_ + len_a_ > s_.route(a_).size()) return false;
  if (j_ + len_b_ > s_.route(b_).size()) return false;
  if (a_ == b_) return i_ + len_a_ <= j_ || j_ + len_b_ <= i_;
  return true;
}

double Swap::bound() const {
  using P = SearchState::Piece;
  const SearchRoute& ra = s_.route(a_);
  if (a_ == b_) {
    int p = i_, lp = len_a_, q = j_, lq = len_b_;
    if (q < p) {
      std::swap(p, q);
      std::swap(lp, lq);
    }
    const double lb = s_.cost_lower_bound(
        a_,
        {SearchState::piece(ra.prefix[p]), s_.forward_piece(a_, q, q + lq - 1),
         s_.forward_piece(a_, p + lp, q - 1),
         s_.forward_piece(a_, p, p + lp - 1),
         SearchState::piece(ra.suffix[q + lq])},
        ra.size());
    return ra.cost - lb;
  }
  // Between routes: O(1) from cached locations and cumulative distances.
  const SearchRoute& rb = s_.route(b_);
  const SolverInstance& in = s_.instance();
  const auto& la = ra.locations;
  const auto& lb = rb.locations;
  const auto& ca = ra.cumulative;
  const auto& cb = rb.cumulative;
  const int64_t inner_a = ca[i_ + len_a_] - ca[i_ + 1];
  const int64_t inner_b = cb[j_ + len_b_] - cb[j_ + 1];
  const int64_t dist_a = ra.distance() - (ca[i_ + len_a_ + 1] - ca[i_]) +
                         in.distance(la[i_], lb[j_ + 1]) + inner_b +
                         in.distance(lb[j_ + len_b_], la[i_ + len_a_ + 1]);
  const int64_t dist_b = rb.distance() - (cb[j_ + len_b_ + 1] - cb[j_]) +
                         in.distance(lb[j_], la[i_ + 1]) + inner_a +
                         in.distance(la[i_ + len_a_], lb[j_ + len_b_ + 1]);
  return ra.cost + rb.cost -
         ra.lower_bound(dist_a, ra.size() - len_a_ + len_b_) -
         rb.lower_bound(dist_b, rb.size() - len_b_ + len_a_);
}

double Swap::gain() const {
  if (a_ == b_) return intra_gain();
  const SolverInstance& in = s_.instance();
  const SearchRoute& ra = s_.route(a_);
  const SearchRoute& rb = s_.route(b_);
  const Segment run_a = s_.range(a_, i_, i_ + len_a_ - 1);
  const Segment run_b = s_.range(b_, j_, j_ + len_b_ - 1);
  const double new_a = s_.cost_with(
      a_, concat(in, concat(in, ra.prefix[i_], run_b), ra.suffix[i_ + len_a_]),
      ra.size() - len_a_ + len_b_);
  const double new_b = s_.cost_with(
      b_, concat(in, concat(in, rb.prefix[j_], run_a), rb.suffix[j_ + len_b_]),
      rb.size() - len_b_ + len_a_);
  return ra.cost + rb.cost - new_a - new_b;
}

double Swap::intra_gain() const {
  const SolverInstance& in = s_.instance();
  const SearchRoute& r = s_.route(a_);
  int p = i_, lp = len_a_, q = j_, lq = len_b_;
  if (q < p) {
    std::swap(p, q);
    std::swap(lp, lq);
  }
  Segment body = concat(in, r.prefix[p], s_.range(a_, q, q + lq - 1));
  if (q > p + lp) body = concat(in, body, s_.range(a_, p + lp, q - 1));
  body = concat(in, body, s_.range(a_, p, p + lp - 1));
  body = concat(in, body, r.suffix[q + lq]);
  return r.cost - s_.cost_with(a_, body, r.size());
}

void Swap::apply(SearchState* state) const {
  if (a_ == b_) {
    std::vector<int>& jobs = state->route(a_).jobs;
    int p = i_, lp = len_a_, q = j_, lq = len_b_;
    if (q < p) {
      std::swap(p, q);
      std::swap(lp, lq);
    }
    std::vector<int> out(jobs.begin(), jobs.begin() + p);
    out.insert(out.end(), jobs.begin() + q, jobs.begin() + q + lq);
    out.insert(out.end(), jobs.begin() + p + lp, jobs.begin() + q);
    out.insert(out.end(), jobs.begin() + p, jobs.begin() + p + lp);
    out.insert(out.end(), jobs.begin() + q + lq, jobs.end());
    jobs = std::move(out);
    state->update_route(a_);
    return;
  }
  std::vector<int>& ja = state->route(a_).jobs;
  std::vector<int>& jb = state->route(b_).jobs;
  std::vector<int> run_a(ja.begin() + i_, ja.begin() + i_ + len_a_);
  std::vector<int> run_b(jb.begin() + j_, jb.begin() + j_ + len_b_);
  ja.erase(ja.begin() + i_, ja.begin() + i_ + len_a_);
  ja.insert(ja.begin() + i_, run_b.begin(), run_b.end());
  jb.erase(jb.begin() + j_, jb.begin() + j_ + len_b_);
  jb.insert(jb.begin() + j_, run_a.begin(), run_a.end());
  state->update_route(a_);
  state->update_route(b_);
}

}  // namespace cocity::vrp
