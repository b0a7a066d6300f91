#include "store/history_aggregate.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cocity::store {
namespace {

std::vector<HistoryEntry> series(const std::vector<double>& values,
                                 int64_t step_us) {
  std::vector<HistoryEntry> out;
  for (size_t i = 0; i < values.size(); ++i) {
    HistoryEntry h;
    h.attr = "urn:a";
    h.observed_at = h.recorded_at = from_micros(i * step_us);
    h.number = values[i];
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<const HistoryEntry*> pointers(const std::vector<HistoryEntry>& v) {
  std::vector<const HistoryEntry*> out;
  for (const auto& e : v) out.push_back(&e);
  return out;
}

TEST(HistoryAggregate, Durations) {
  EXPECT_EQ(*parse_iso_duration("PT1H"), std::chrono::hours(1));
  EXPECT_EQ(*parse_iso_duration("P1D"), std::chrono::hours(24));
  EXPECT_EQ(*parse_iso_duration("P1W"), std::chrono::hours(24 * 7));
  EXPECT_EQ(*parse_iso_duration("P1DT1H30M"), std::chrono::minutes(1530));
  EXPECT_EQ(*parse_iso_duration("PT0.5S"), std::chrono::milliseconds(500));
  EXPECT_EQ(parse_iso_duration("P0D")->count(), 0);
  for (const char* bad : {"", "P", "PT", "1H", "P1M", "P1Y", "PT1D", "P1H",
                          "PT-1H", "PTT1H", "P1DX", "PTH"}) {
    auto d = parse_iso_duration(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_EQ(d.error().code, Code::kBadRequestData);
    EXPECT_NE(d.error().detail.find("aggrPeriodDuration"), std::string::npos);
  }
}

TEST(HistoryAggregate, Methods) {
  EXPECT_EQ(*parse_aggr_method("stddev"), AggrMethod::kStddev);
  EXPECT_EQ(aggr_method_name(AggrMethod::kSumsq), "sumsq");
  EXPECT_FALSE(parse_aggr_method("median"));
}

TEST(HistoryAggregate, PeriodsAndEveryMethod) {
  // Two periods of 4 values each, then a gap, then one value.
  auto entries = series({1, 2, 2, 5, 10, 10, 10, 10, 0, 0, 0, 0, 7}, 1'000'000);
  entries.erase(entries.begin() + 8, entries.begin() + 12);  // the gap
  std::vector<AggrMethod> all = {
      AggrMethod::kTotalCount, AggrMethod::kDistinctCount, AggrMethod::kSum,
      AggrMethod::kAvg,        AggrMethod::kMin,           AggrMethod::kMax,
      AggrMethod::kStddev,     AggrMethod::kSumsq};
  auto periods =
      aggregate(pointers(entries), all, from_micros(0), from_micros(13'000'000),
                std::chrono::seconds(4), false);
  ASSERT_EQ(periods.size(), 3u);
  EXPECT_EQ(periods[0].start, from_micros(0));
  EXPECT_EQ(periods[0].end, from_micros(4'000'000));
  EXPECT_EQ(periods[2].start, from_micros(12'000'000));
  const auto& p = periods[0].values;
  EXPECT_EQ(*p[0], 4);
  EXPECT_EQ(*p[1], 3);
  EXPECT_EQ(*p[2], 10);
  EXPECT_EQ(*p[3], 2.5);
  EXPECT_EQ(*p[4], 1);
  EXPECT_EQ(*p[5], 5);
  EXPECT_NEAR(*p[6], std::sqrt(((1.5 * 1.5) + 0.25 + 0.25 + 6.25) / 4), 1e-12);
  EXPECT_EQ(*p[7], 34);
  EXPECT_EQ(*periods[1].values[6], 0);
  EXPECT_EQ(*periods[2].values[2], 7);
}

TEST(HistoryAggregate, NonNumericAndDeletedInstances) {
  std::vector<HistoryEntry> entries(3);
  for (int i = 0; i < 3; ++i) {
    entries[i].observed_at = from_micros(i);
    entries[i].instance["type"] = "Property";
    entries[i].instance["value"] = i == 1 ? "b" : "a";
  }
  entries[2].deleted = true;
  entries[2].instance.clear();
  auto periods = aggregate(
      pointers(entries),
      {AggrMethod::kTotalCount, AggrMethod::kDistinctCount, AggrMethod::kAvg},
      from_micros(0), from_micros(3), Micros(0), false);
  ASSERT_EQ(periods.size(), 1u);
  EXPECT_EQ(*periods[0].values[0], 2);
  EXPECT_EQ(*periods[0].values[1], 2);
  EXPECT_FALSE(periods[0].values[2]);
}

}  // namespace
}  // namespace cocity::store
