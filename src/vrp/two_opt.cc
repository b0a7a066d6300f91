#include "vrp/two_opt.h"

#include <algorithm>

namespace cocity::vrp {

bool TwoOpt::valid() const {
  return i_ >= 0 && i_ < j_ && j_ < s_.route(r_).size();
}

double TwoOpt::bound() const {
  using P = SearchState::Piece;
  const SearchRoute& r = s_.route(r_);
  return r.cost - s_.cost_lower_bound(r_,
                                      {SearchState::piece(r.prefix[i_]),
                                       s_.reversed_piece(r_, i_, j_),
                                       SearchState::piece(r.suffix[j_ + 1])},
                                      r.size());
}

double TwoOpt::gain() const {
  const SolverInstance& in = s_.instance();
  const SearchRoute& r = s_.route(r_);
  Segment body = concat(in, r.prefix[i_], s_.reversed_range(r_, i_, j_));
  body = concat(in, body, r.suffix[j_ + 1]);
  return r.cost - s_.cost_with(r_, body, r.size());
}

void TwoOpt::apply(SearchState* state) const {
  std::vector<int>& jobs = state->route(r_).jobs;
  std::reverse(jobs.begin() + i_, jobs.begin() + j_ + 1);
  state->update_route(r_);
}

}  // namespace cocity::vrp
