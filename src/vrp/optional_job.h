// Moves for optional jobs (those with a prize): insert an unserved one, or
// drop a served one. The gain counts the prize: serving a job earns its
// prize back. Mandatory jobs are never dropped. Lifecycle as in relocate.h.
#pragma once

#include "vrp/search_state.h"

namespace cocity::vrp {

class InsertJob {
 public:
  // Inserts unassigned `job` before position `to` of route r.
  InsertJob(const SearchState& state, int job, int r, int to)
      : s_(state), job_(job), r_(r), to_(to) {}

  bool valid() const;
  double gain() const;
  void apply(SearchState* state) const;

 private:
  const SearchState& s_;
  int job_, r_, to_;
};

class RemoveJob {
 public:
  RemoveJob(const SearchState& state, int job) : s_(state), job_(job) {}

  bool valid() const;
  double gain() const;
  void apply(SearchState* state) const;

 private:
  const SearchState& s_;
  int job_;
};

}  // namespace cocity::vrp
