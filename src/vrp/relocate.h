// Move: relocate a run of 1..3 consecutive jobs to another place, in the
// same or another route.
//
// Lifecycle shared by all moves: construct over a SearchState, check
// valid(), optionally bound(), read gain() (penalised cost decrease; > 0
// improves), apply(). A move is evaluated against the state at construction and
// must be applied before the state changes.
#pragma once

#include "vrp/search_state.h"

namespace cocity::vrp {

class Relocate {
 public:
  // Moves jobs[from .. from+length-1] of route `source` so that they come
  // before position `to` of route `target` (to == size: at the end).
  // Positions refer to the routes before the move.
  Relocate(const SearchState& state, int source, int from, int length,
           int target, int to)
      : s_(state),
        source_(source),
        from_(from),
        length_(length),
        target_(target),
        to_(to) {}

  bool valid() const;
  // An upper bound of gain() from distances alone, O(1) for moves between
  // routes; moves with bound() <= 0 need no full evaluation.
  double bound() const;
  double gain() const;
  void apply(SearchState* state) const;

 private:
  double intra_gain() const;

  const SearchState& s_;
  int source_, from_, length_, target_, to_;
};

}  // namespace cocity::vrp
