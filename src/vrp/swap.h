// Move: exchange two runs of consecutive jobs (lengths 1..3), in the same
// or different routes. Lifecycle as in relocate.h.
#pragma once

#include "vrp/search_state.h"

namespace cocity::vrp {

class Swap {
 public:
  // Exchanges jobs[i .. i+len_a-1] of route a with jobs[j .. j+len_b-1] of
  // route b. Within one route the runs must not overlap.
  Swap(const SearchState& state, int a, int i, int len_a, int b, int j,
       int len_b)
      : s_(state), a_(a), i_(i), len_a_(len_a), b_(b), j_(j), len_b_(len_b) {}

  bool valid() const;
  // An upper bound of gain() from distances alone, O(1) for moves between
  // routes; moves with bound() <= 0 need no full evaluation.
  double bound() const;
  double gain() const;
  void apply(SearchState* state) const;

 private:
  double intra_gain() const;

  const SearchState& s_;
  int a_, i_, len_a_, b_, j_, len_b_;
};

}  // namespace cocity::vrp
