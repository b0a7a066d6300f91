#include "apps/waste/selection.h"

#include <gtest/gtest.h>

namespace cocity::apps::waste {
namespace {

const TimePoint kMorning = *parse_iso_time("2026-11-25T06:00:00Z");

Container bin(std::string id, double level, double rate) {
  Container c;
  c.id = std::move(id);
  c.level = level;
  c.level_time = kMorning;
  c.model = flat_model(rate, 0.5, 1.5);
  return c;
}

TEST(SelectionTest, MustMayAndSkip) {
  ThresholdPolicy p;  // threshold 0.8, may 0.5, next visit in 1 day
  std::vector<Container> c{
      bin("full", 0.85, 0.0),  // already over
      bin("fast", 0.55, 0.2),  // 0.55 + 1.5 * 0.2 = 0.85 tomorrow
      bin("slow", 0.55, 0.1),  // 0.70 tomorrow even when fast: may
      bin("empty", 0.1, 0.1),  // skip
  };
  auto s = select_containers(c, kMorning, p);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].priority, Priority::kMust);
  EXPECT_EQ(s[1].priority, Priority::kMust);
  EXPECT_EQ(s[2].priority, Priority::kMay);
  EXPECT_EQ(s[3].priority, Priority::kSkip);
  EXPECT_NEAR(s[1].level_at_next, 0.85, 1e-9);
  EXPECT_NEAR(s[2].level_at_visit, 0.55, 1e-9);
}

TEST(SelectionTest, CautionUsesTheHighQuantile) {
  ThresholdPolicy p;
  p.cautious = false;
  std::vector<Container> c{bin("fast", 0.55, 0.2)};  // 0.75 at the median
  EXPECT_EQ(select_containers(c, kMorning, p)[0].priority, Priority::kMay);
  p.cautious = true;
  EXPECT_EQ(select_containers(c, kMorning, p)[0].priority, Priority::kMust);
}

TEST(SelectionTest, LevelsAreForecastToTheVisit) {
  ThresholdPolicy p;
  p.next_visit_days = 7;  // weekly: anything filling must go
  auto c = bin("b", 0.2, 0.1);
  c.level_time = kMorning - std::chrono::hours(48);  // read two days ago
  auto s = select_containers(std::vector<Container>{c}, kMorning, p);
  EXPECT_NEAR(s[0].level_at_visit, 0.4, 1e-9);
  EXPECT_EQ(s[0].priority, Priority::kMust);  // 0.4 + 1.05 by next week
}

TEST(SelectionTest, LevelAtVisitIsCapped) {
  ThresholdPolicy p;
  auto c = bin("b", 0.9, 0.5);
  c.level_time = kMorning - std::chrono::hours(48);
  auto s = select_containers(std::vector<Container>{c}, kMorning, p);
  EXPECT_EQ(s[0].level_at_visit, 1.0);
}

}  // namespace
}  // namespace cocity::apps::waste
