#include "vrp/relocate.h"

namespace cocity::vrp {

bool Relocate::valid() const {
  const int n = s_.route(source_).size();
  if (length_ < 1 || from_ < 0 || from_ + length_ > n) return false;
  if (to_ < 0 || to_ > s_.route(target_).size()) return false;
  if (source_ == target_ && to_ >= from_ && to_ <= from_ + length_) {
    return false;  // no change
  }
  return true;
}

double Relocate::bound() const {
  using P = SearchState::Piece;
  const SearchRoute& a = s_.route(source_);
  const int last = from_ + length_ - 1;
  if (source_ == target_) {
    const P moved = s_.forward_piece(source_, from_, last);
    double lb;
    if (to_ < from_) {
      lb = s_.cost_lower_bound(source_,
                               {SearchState::piece(a.prefix[to_]), moved,
                                s_.forward_piece(source_, to_, from_ - 1),
                                SearchState::piece(a.suffix[last + 1])},
                               a.size());
    } else {
      lb = s_.cost_lower_bound(source_,
                               {SearchState::piece(a.prefix[from_]),
                                s_.forward_piece(source_, last + 1, to_ - 1),
                                moved, SearchState::piece(a.suffix[to_])},
                               a.size());
    }
    return a.cost - lb;
  }
  // Between routes: O(1) from cached locations and cumulative distances.
  const SearchRoute& b = s_.route(target_);
  const SolverInstance& in = s_.instance();
  const auto& la = a.locations;
  const auto& ca = a.cumulative;
  const int i = from_, m = length_;
  const int64_t inner = ca[i + m] - ca[i + 1];
  const int64_t dist_a = a.distance() - (ca[i + m + 1] - ca[i]) +
                         in.distance(la[i], la[i + m + 1]);
  const int64_t dist_b = b.distance() -
                         in.distance(b.locations[to_], b.locations[to_ + 1]) +
                         in.distance(b.locations[to_], la[i + 1]) + inner +
                         in.distance(la[i + m], b.locations[to_ + 1]);
  return a.cost + b.cost - a.lower_bound(dist_a, a.size() - m) -
         b.lower_bound(dist_b, b.size() + m);
}

double Relocate::gain() const {
  if (source_ == target_) return intra_gain();
  const SolverInstance& in = s_.instance();
  const SearchRoute& a = s_.route(source_);
  const SearchRoute& b = s_.route(target_);
  const Segment moved = s_.range(source_, from_, from_ + length_ - 1);
  const double new_a = s_.cost_with(
      source_, concat(in, a.prefix[from_], a.suffix[from_ + length_]),
      a.size() - length_);
  const double new_b = s_.cost_with(
      target_, concat(in, concat(in, b.prefix[to_], moved), b.suffix[to_]),
      b.size() + length_);
  return a.cost + b.cost - new_a - new_b;
}

double Relocate::intra_gain() const {
  const SolverInstance& in = s_.instance();
  const SearchRoute& a = s_.route(source_);
  const int last = from_ + length_ - 1;
  const Segment moved = s_.range(source_, from_, last);
  Segment body;
  if (to_ < from_) {
    body = concat(in, a.prefix[to_], moved);
    body = concat(in, body, s_.range(source_, to_, from_ - 1));
    body = concat(in, body, a.suffix[last + 1]);
  } else {
    body = concat(in, a.prefix[from_], s_.range(source_, last + 1, to_ - 1));
    body = concat(in, body, moved);
    body = concat(in, body, a.suffix[to_]);
  }
  return a.cost - s_.cost_with(source_, body, a.size());
}

void Relocate::apply(SearchState* state) const {
  std::vector<int>& a = state->route(source_).jobs;
  std::vector<int> moved(a.begin() + from_, a.begin() + from_ + length_);
  int to = to_;
  if (source_ == target_ && to > from_) to -= length_;
  a.erase(a.begin() + from_, a.begin() + from_ + length_);
  std::vector<int>& b = state->route(target_).jobs;
  b.insert(b.begin() + to, moved.begin(), moved.end());
  state->update_route(source_);
  if (target_ != source_) state->update_route(target_);
}

}  // namespace cocity::vrp
