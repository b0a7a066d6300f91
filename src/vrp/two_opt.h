// Move 2-opt: reverse jobs[i..j] of one route. Lifecycle as in relocate.h.
#pragma once

#include "vrp/search_state.h"

namespace cocity::vrp {

class TwoOpt {
 public:
  TwoOpt(const SearchState& state, int r, int i, int j)
      : s_(state), r_(r), i_(i), j_(j) {}

  bool valid() const;
  // An upper bound of gain() from distances alone, O(1) for moves between
  // routes; moves with bound() <= 0 need no full evaluation.
  double bound() const;
  double gain() const;
  void apply(SearchState* state) const;

 private:
  const SearchState& s_;
  int r_, i_, j_;
};

}  // namespace cocity::vrp
