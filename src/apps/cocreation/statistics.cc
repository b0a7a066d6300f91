#include "apps/cocreation/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace cocity::apps::cocreation {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

constexpr double kT975[] = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

// The rating at 0-based position `pos` of the sorted ratings.
int rating_at(const std::array<uint32_t, 5>& counts, size_t pos) {
  size_t seen = 0;
  for (int r = 0; r < 5; ++r) {
    seen += counts[r];
    if (pos < seen) return r + 1;
  }
  return 5;
}

}  // namespace

size_t RatingCounts::n() const {
  return std::accumulate(counts.begin(), counts.end(), size_t{0});
}

RatingSummary summarize(const RatingCounts& c) {
  RatingSummary s;
  s.n = c.n();
  s.dont_know = c.dont_know;
  s.distribution = c.counts;
  s.mean = s.median = s.stddev = s.ci_low = s.ci_high = kNan;
  if (s.n == 0) return s;
  double sum = 0;
  for (int r = 0; r < 5; ++r) sum += double(c.counts[r]) * (r + 1);
  s.mean = sum / double(s.n);
  s.median =
      s.n % 2 == 1
          ? rating_at(c.counts, s.n / 2)
          : (rating_at(c.counts, s.n / 2 - 1) + rating_at(c.counts, s.n / 2)) /
                2.0;
  if (s.n < 2) return s;
  double ss = 0;
  for (int r = 0; r < 5; ++r) {
    double d = (r + 1) - s.mean;
    ss += double(c.counts[r]) * d * d;
  }
  s.stddev = std::sqrt(ss / double(s.n - 1));
  double half =
      t_quantile_975(double(s.n - 1)) * s.stddev / std::sqrt(double(s.n));
  // A mean of 1-5 ratings cannot leave the scale; neither does its interval.
  s.ci_low = std::max(1.0, s.mean - half);
  s.ci_high = std::min(5.0, s.mean + half);
  return s;
}

double t_quantile_975(double df) {
  if (df < 1) df = 1;
  if (df <= 30) return kT975[static_cast<size_t>(df) - 1];
  constexpr double kZ = 1.959963984540054;
  double z2 = kZ * kZ, z3 = z2 * kZ, z5 = z3 * z2, z7 = z5 * z2;
  return kZ + (z3 + kZ) / (4 * df) +
         (5 * z5 + 16 * z3 + 3 * kZ) / (96 * df * df) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * kZ) / (384 * df * df * df);
}

bool significantly_different(const RatingSummary& a, const RatingSummary& b) {
  if (a.n < 2 || b.n < 2) return false;
  double va = a.stddev * a.stddev / double(a.n);
  double vb = b.stddev * b.stddev / double(b.n);
  double se2 = va + vb;
  if (se2 == 0) return a.mean != b.mean;
  double t = std::fabs(a.mean - b.mean) / std::sqrt(se2);
  double df =
      se2 * se2 / (va * va / double(a.n - 1) + vb * vb / double(b.n - 1));
  return t > t_quantile_975(df);
}

std::vector<RankEntry> rank_with_uncertainty(
    const std::vector<RatingSummary>& items) {
  std::vector<size_t> order(items.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto key = [&](size_t i) { return items[i].n == 0 ? -1.0 : items[i].mean; };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return key(a) > key(b); });
  std::vector<RankEntry> out;
  for (size_t pos = 0; pos < order.size(); ++pos) {
    RankEntry e;
    e.item = order[pos];
    e.rank = pos + 1;
    const RatingSummary& me = items[e.item];
    if (me.n == 0) {
      e.rank_low = e.rank_high = e.rank;
      out.push_back(std::move(e));
      continue;
    }
    size_t better = 0, worse = 0;
    for (size_t other = 0; other < items.size(); ++other) {
      if (other == e.item || items[other].n == 0) {
        if (other != e.item) ++worse;  // unrated items rank below
        continue;
      }
      if (!significantly_different(me, items[other])) {
        e.tied_with.push_back(other);
      } else if (items[other].mean > me.mean) {
        ++better;
      } else {
        ++worse;
      }
    }
    e.rank_low = better + 1;
    e.rank_high = items.size() - worse;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace cocity::apps::cocreation
