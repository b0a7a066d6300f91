// Move 2-opt*: exchange the tails of two different routes. Route a keeps
// jobs[0..i-1] and continues with route b's jobs[j..]; route b keeps
// jobs[0..j-1] and continues with a's jobs[i..]. Each keeps its own end
// depot. Lifecycle as in relocate.h.
#pragma once

#include "vrp/search_state.h"

namespace cocity::vrp {

class TwoOptStar {
 public:
  TwoOptStar(const SearchState& state, int a, int i, int b, int j)
      : s_(state), a_(a), i_(i), b_(b), j_(j) {}

  bool valid() const;
  // An upper bound of gain() from distances alone, O(1) for moves between
  // routes; moves with bound() <= 0 need no full evaluation.
  double bound() const;
  double gain() const;
  void apply(SearchState* state) const;

 private:
  const SearchState& s_;
  int a_, i_, b_, j_;
};

}  // namespace cocity::vrp
