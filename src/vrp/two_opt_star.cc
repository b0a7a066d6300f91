#include "vrp/two_opt_star.h"

namespace cocity::vrp {

bool TwoOptStar::valid() const {
  if (a_ == b_ || i_ < 0 || j_ < 0) return false;
  if (i_ > s_.route(a_).size() || j_ > s_.route(b_).size()) return false;
  // Exchanging two empty tails or two whole routes changes nothing useful.
  const bool tails_empty =
      i_ == s_.route(a_).size() && j_ == s_.route(b_).size();
  const bool whole = i_ == 0 && j_ == 0;
  return !tails_empty && !whole;
}

namespace {

// Distance of route x's first `keep` jobs followed by route y's jobs from
// position `from` on, ending at x's end.
int64_t joined_distance(const SolverInstance& in, const SearchRoute& x,
                        int keep, const SearchRoute& y, int from) {
  const int end = x.locations.back();
  if (from == y.size()) {
    return x.cumulative[keep] + in.distance(x.locations[keep], end);
  }
  const int y_last = y.size();  // index of y's last job in locations
  return x.cumulative[keep] +
         in.distance(x.locations[keep], y.locations[from + 1]) +
         (y.cumulative[y_last] - y.cumulative[from + 1]) +
         in.distance(y.locations[y_last], end);
}

}  // namespace

double TwoOptStar::bound() const {
  const SolverInstance& in = s_.instance();
  const SearchRoute& ra = s_.route(a_);
  const SearchRoute& rb = s_.route(b_);
  return ra.cost + rb.cost -
         ra.lower_bound(joined_distance(in, ra, i_, rb, j_),
                        i_ + rb.size() - j_) -
         rb.lower_bound(joined_distance(in, rb, j_, ra, i_),
                        j_ + ra.size() - i_);
}

double TwoOptStar::gain() const {
  const SolverInstance& in = s_.instance();
  const SearchRoute& ra = s_.route(a_);
  const SearchRoute& rb = s_.route(b_);
  const int size_a = i_ + rb.size() - j_;
  const int size_b = j_ + ra.size() - i_;
  const double new_a =
      s_.cost_with(a_, concat(in, ra.prefix[i_], rb.suffix[j_]), size_a);
  const double new_b =
      s_.cost_with(b_, concat(in, rb.prefix[j_], ra.suffix[i_]), size_b);
  return ra.cost + rb.cost - new_a - new_b;
}

void TwoOptStar::apply(SearchState* state) const {
  std::vector<int>& ja = state->route(a_).jobs;
  std::vector<int>& jb = state->route(b_).jobs;
  std::vector<int> tail_a(ja.begin() + i_, ja.end());
  ja.resize(i_);
  ja.insert(ja.end(), jb.begin() + j_, jb.end());
  jb.resize(j_);
  jb.insert(jb.end(), tail_a.begin(), tail_a.end());
  state->update_route(a_);
  state->update_route(b_);
}

}  // namespace cocity::vrp
