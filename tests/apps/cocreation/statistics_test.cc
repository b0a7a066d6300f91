#include "apps/cocreation/statistics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cocity::apps::cocreation {
namespace {

RatingCounts counts(std::initializer_list<int> ratings) {
  RatingCounts c;
  for (int r : ratings) c.add(r);
  return c;
}

TEST(StatisticsTest, SummaryOfOneToFive) {
  // Computed by hand: mean 3, s = sqrt(10/4) = 1.58114, t(0.975, 4) = 2.776,
  // half width 2.776 * 1.58114 / sqrt(5) = 1.96293.
  RatingSummary s = summarize(counts({1, 2, 3, 4, 5}));
  EXPECT_EQ(s.n, 5u);
  EXPECT_DOUBLE_EQ(s.mean, 3.0);
  EXPECT_DOUBLE_EQ(s.median, 3.0);
  EXPECT_NEAR(s.stddev, 1.58114, 1e-5);
  EXPECT_NEAR(s.ci_low, 1.03707, 1e-5);
  EXPECT_NEAR(s.ci_high, 4.96293, 1e-5);
  EXPECT_EQ(s.distribution, (std::array<uint32_t, 5>{1, 1, 1, 1, 1}));
}

TEST(StatisticsTest, EvenMedianDontKnowExcluded) {
  // Ratings 2, 2, 4, 5 (and two "don't know"): mean 13/4, median (2+4)/2.
  RatingSummary s = summarize(counts({2, 0, 2, 4, 0, 5}));
  EXPECT_EQ(s.n, 4u);
  EXPECT_EQ(s.dont_know, 2u);
  EXPECT_DOUBLE_EQ(s.mean, 3.25);
  EXPECT_DOUBLE_EQ(s.median, 3.0);
  // s^2 = (1.5625 + 1.5625 + 0.5625 + 3.0625) / 3 = 2.25, s = 1.5;
  // half width t(3) = 3.182 * 1.5 / 2 = 2.3865: (0.86, 5.64), clipped to
  // the scale.
  EXPECT_DOUBLE_EQ(s.ci_low, 1.0);
  EXPECT_DOUBLE_EQ(s.ci_high, 5.0);
}

TEST(StatisticsTest, TooFewForAnInterval) {
  RatingSummary one = summarize(counts({4}));
  EXPECT_DOUBLE_EQ(one.mean, 4.0);
  EXPECT_TRUE(std::isnan(one.ci_low));
  RatingSummary none = summarize(counts({0, 0}));
  EXPECT_EQ(none.n, 0u);
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_TRUE(std::isnan(none.median));
}

TEST(StatisticsTest, TQuantileMatchesTables) {
  EXPECT_DOUBLE_EQ(t_quantile_975(1), 12.706);
  EXPECT_DOUBLE_EQ(t_quantile_975(30), 2.042);
  EXPECT_DOUBLE_EQ(t_quantile_975(4.7), 2.776);  // rounded down
  EXPECT_NEAR(t_quantile_975(40), 2.021075, 1e-4);
  EXPECT_NEAR(t_quantile_975(60), 2.000298, 1e-4);
  EXPECT_NEAR(t_quantile_975(1000), 1.962339, 1e-4);
}

TEST(StatisticsTest, WelchTellsApartOrTies) {
  RatingSummary high = summarize(counts({5, 5, 5, 5, 4, 4}));
  RatingSummary low = summarize(counts({1, 1, 2, 2, 1, 2}));
  RatingSummary mid_a = summarize(counts({3, 4, 3, 4}));
  RatingSummary mid_b = summarize(counts({4, 3, 4, 3, 3}));
  EXPECT_TRUE(significantly_different(high, low));
  EXPECT_FALSE(significantly_different(mid_a, mid_b));
  EXPECT_FALSE(significantly_different(high, summarize(counts({1}))));
  // No variance on either side: different exactly when the means differ.
  EXPECT_TRUE(significantly_different(summarize(counts({5, 5})),
                                      summarize(counts({4, 4}))));
}

TEST(StatisticsTest, RankingWithUncertainty) {
  std::vector<RatingSummary> items = {
      summarize(counts({3, 4, 3, 4})),        // 0: mean 3.5
      summarize(counts({5, 5, 5, 5, 5, 4})),  // 1: clearly best
      summarize(counts({4, 3, 3, 3})),        // 2: mean 3.25, tied with 0
      summarize(counts({0})),                 // 3: no ratings
  };
  auto r = rank_with_uncertainty(items);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].item, 1u);
  EXPECT_EQ(r[0].rank_low, 1u);
  EXPECT_EQ(r[0].rank_high, 1u);
  EXPECT_TRUE(r[0].tied_with.empty());
  EXPECT_EQ(r[1].item, 0u);
  EXPECT_EQ(r[1].rank_low, 2u);
  EXPECT_EQ(r[1].rank_high, 3u);
  EXPECT_EQ(r[1].tied_with, std::vector<size_t>{2});
  EXPECT_EQ(r[2].item, 2u);
  EXPECT_EQ(r[2].rank_low, 2u);
  EXPECT_EQ(r[2].rank_high, 3u);
  EXPECT_EQ(r[3].item, 3u);
  EXPECT_EQ(r[3].rank, 4u);
  EXPECT_EQ(r[3].rank_high, 4u);
}

}  // namespace
}  // namespace cocity::apps::cocreation
