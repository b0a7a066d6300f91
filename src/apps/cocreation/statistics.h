// Statistics of 1-5 ratings: summary, confidence interval and the test that
// decides whether two ideas are statistically tied.
//
// Method (docs/cocreation.md, "Results"): the 95% confidence interval of a
// mean is t-based, mean +- t(0.975, n-1) * s / sqrt(n) with the sample
// standard deviation s, clipped to the scale 1-5; it is undefined (NaN,
// written as null) for n < 2.
// Two means differ significantly when Welch's two-sided t-test rejects
// equality at the 5% level; otherwise they are "tied". "dont_know" answers
// are counted but excluded from every statistic.
//
// Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cocity::apps::cocreation {

// Counts of ratings 1..5 (index 0 is rating 1) and of "dont_know".
struct RatingCounts {
  std::array<uint32_t, 5> counts{};
  uint32_t dont_know = 0;

  void add(int rating) {  // 0: dont_know, 1..5: a rating
    if (rating == 0) {
      ++dont_know;
    } else {
      ++counts[static_cast<size_t>(rating - 1)];
    }
  }
  size_t n() const;  // ratings, without dont_know
};

struct RatingSummary {
  size_t n = 0;
  uint32_t dont_know = 0;
  double mean = 0;     // NaN when n == 0
  double median = 0;   // NaN when n == 0; mean of the middle two when even
  double stddev = 0;   // sample standard deviation; NaN when n < 2
  double ci_low = 0;   // NaN when n < 2
  double ci_high = 0;  // NaN when n < 2
  std::array<uint32_t, 5> distribution{};
};

RatingSummary summarize(const RatingCounts& counts);

// The 97.5% quantile of Student's t distribution with `df` degrees of
// freedom (df >= 1): exact table values (3 decimals) up to 30, rounding a
// fractional df down (conservative); a Cornish-Fisher expansion above.
double t_quantile_975(double df);

// Welch's two-sided t-test at the 5% level. False when either side has
// n < 2 (too little data to tell apart).
bool significantly_different(const RatingSummary& a, const RatingSummary& b);

// A ranking of items by mean, best first, with its uncertainty: an item's
// rank could plausibly be anywhere from rank_low to rank_high (1 + the items
// significantly better; the count of items not significantly worse), and
// tied_with lists the items it cannot be told apart from. Items with n == 0
// come last with rank_low = rank_high = their rank.
struct RankEntry {
  size_t item = 0;  // index into the input
  size_t rank = 0;  // 1-based, by mean (ties in the mean: by input order)
  size_t rank_low = 0;
  size_t rank_high = 0;
  std::vector<size_t> tied_with;  // item indexes
};
std::vector<RankEntry> rank_with_uncertainty(
    const std::vector<RatingSummary>& items);

}  // namespace cocity::apps::cocreation
