#include "apps/waste/forecast.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>

namespace cocity::apps::waste {
namespace {

// 2026-11-23 00:00 UTC is a Monday.
const TimePoint kMonday = *parse_iso_time("2026-11-23T00:00:00Z");

TimePoint at(double days) { return kMonday + Micros(int64_t(days * 86400e6)); }

// A bin filling at `rate(weekday)` per day, read every `step_h` hours,
// emptied whenever it passes `empty_at`.
std::vector<FillReading> simulate(double days, double step_h,
                                  const std::array<double, 7>& rate,
                                  double empty_at, double noise = 0,
                                  uint32_t seed = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0, noise);
  std::vector<FillReading> out;
  double level = 0;
  for (double t = 0; t < days; t += step_h / 24) {
    int wd = int(std::floor(t)) % 7;
    level += rate[size_t(wd)] * step_h / 24;
    if (level >= empty_at) level = 0;
    out.push_back({at(t), level + (noise > 0 ? n(rng) : 0)});
  }
  return out;
}

TEST(ForecastTest, ConstantRateIsRecovered) {
  std::array<double, 7> rate;
  rate.fill(0.2);
  auto h = simulate(60, 6, rate, 0.9);
  auto m = fit_fill_model(h);
  EXPECT_GE(m.cycles, 10);
  for (double r : m.rate_per_day) EXPECT_NEAR(r, 0.2, 0.02);
  EXPECT_NEAR(m.median_rate_per_day, 0.2, 0.02);
}

TEST(ForecastTest, WeekdayPatternIsRecovered) {
  // Busy weekends: three times the weekday rate.
  std::array<double, 7> rate{0.1, 0.1, 0.1, 0.1, 0.1, 0.3, 0.3};
  auto h = simulate(240, 3, rate, 0.5);
  auto m = fit_fill_model(h);
  EXPECT_NEAR(m.rate_per_day[0], 0.1, 0.03);
  EXPECT_NEAR(m.rate_per_day[2], 0.1, 0.03);
  EXPECT_NEAR(m.rate_per_day[5], 0.3, 0.06);
  EXPECT_NEAR(m.rate_per_day[6], 0.3, 0.06);
}

TEST(ForecastTest, NoiseAndGlitchesDoNotBreakTheRate) {
  std::array<double, 7> rate;
  rate.fill(0.25);
  auto h = simulate(60, 2, rate, 0.9, /*noise=*/0.03);
  // Sensor glitches: single readings of 0 (a false "empty") and of 1.5
  // (out of range), and a NaN.
  for (size_t i = 50; i < h.size(); i += 97) h[i].level = 0;
  h[20].level = 1.5;
  h[30].level = std::nan("");
  auto cycles = fill_cycles(h);
  // 60 days at 0.25/day emptied at 0.9: ~16 cycles, the glitches ignored.
  EXPECT_GE(cycles.size(), 14u);
  EXPECT_LE(cycles.size(), 18u);
  auto m = fit_fill_model(h);
  EXPECT_NEAR(m.median_rate_per_day, 0.25, 0.04);
  EXPECT_LE(m.ratio_low, 1.0);
  EXPECT_GE(m.ratio_high, 1.0);
}

TEST(ForecastTest, EmptyingsSplitCycles) {
  std::vector<FillReading> h{{at(0), 0.0},
                             {at(1), 0.3},
                             {at(2), 0.6},
                             {at(2.01), 0.05},
                             {at(3), 0.35}};
  auto c = fill_cycles(h);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_NEAR(c[0].rise, 0.6, 1e-9);
  EXPECT_NEAR(c[1].rise, 0.3, 0.01);
  EXPECT_FALSE(c[0].censored);
}

TEST(ForecastTest, CensoredCyclesOnlyWhenFewOthers) {
  // Three cycles at 0.2/day, one that hit the ceiling (rate unknown, >= 0.5).
  std::vector<FillReading> h{{at(0), 0},    {at(2), 0.4},  {at(2.01), 0},
                             {at(4), 0.4},  {at(4.01), 0}, {at(6), 0.4},
                             {at(6.01), 0}, {at(8), 1.0},  {at(8.01), 0}};
  auto m = fit_fill_model(h);
  EXPECT_EQ(m.cycles, 3);
  EXPECT_NEAR(m.median_rate_per_day, 0.2, 0.01);
}

TEST(ForecastTest, NoHistoryUsesTheDefaultRate) {
  ForecastOptions o;
  o.default_rate_per_day = 0.3;
  auto m = fit_fill_model({}, o);
  EXPECT_EQ(m.cycles, 0);
  EXPECT_EQ(m.rate_per_day[3], 0.3);
  EXPECT_LT(m.ratio_low, 1.0);
  EXPECT_GT(m.ratio_high, 1.0);
}

TEST(ForecastTest, PredictAndTimeToLevelAgree) {
  FillModel m;
  m.rate_per_day = {0.1, 0.1, 0.1, 0.1, 0.1, 0.4, 0.4};
  // From Friday 12:00 at 0.2: +0.05 Friday, then 0.4/day on Saturday.
  TimePoint fri_noon = at(4.5);
  EXPECT_NEAR(predict_level(m, 0.2, fri_noon, at(6)), 0.2 + 0.05 + 0.4, 1e-9);
  auto t = time_to_level(m, 0.2, fri_noon, 0.85);
  ASSERT_TRUE(t);
  EXPECT_NEAR(predict_level(m, 0.2, fri_noon, *t), 0.85, 1e-6);
  EXPECT_GT(*t, at(6));
  EXPECT_LT(*t, at(7));
  // Twice the rate reaches it sooner.
  auto fast = time_to_level(m, 0.2, fri_noon, 0.85, {}, 2.0);
  EXPECT_LT(*fast, *t);
  // Never with a zero rate.
  FillModel zero;
  EXPECT_FALSE(time_to_level(zero, 0.2, fri_noon, 0.85));
}

TEST(ForecastTest, ForecastGivesAnOrderedBand) {
  std::array<double, 7> rate;
  rate.fill(0.2);
  auto h = simulate(40, 4, rate, 0.9, 0.02, 7);
  auto f = forecast(h, 0.8);
  ASSERT_TRUE(f) << f.error().detail;
  ASSERT_TRUE(f->earliest && f->expected && f->latest);
  EXPECT_LE(*f->earliest, *f->expected);
  EXPECT_LE(*f->expected, *f->latest);
  EXPECT_GE(*f->expected, f->as_of);
}

TEST(ForecastTest, BadInputIsAnError) {
  EXPECT_FALSE(forecast({}, 0.8));
  std::vector<FillReading> h{{at(0), 0.5}};
  EXPECT_FALSE(forecast(h, 0));
  EXPECT_FALSE(forecast(h, std::nan("")));
  auto f = forecast(h, 0.4);  // already above: reached now
  ASSERT_TRUE(f);
  EXPECT_EQ(*f->expected, f->as_of);
}

TEST(ForecastTest, WeekdaysFollowTheLocalOffset) {
  FillModel m;
  m.rate_per_day = {1, 0, 0, 0, 0, 0, 0};  // only Mondays
  ForecastOptions o;
  // Sunday 22:00 UTC is Monday 00:00 at UTC+2: two hours of Monday by then.
  o.utc_offset_s = 2 * 3600;
  EXPECT_NEAR(predict_level(m, 0, at(-1), at(0), o), 2.0 / 24, 1e-9);
  EXPECT_NEAR(predict_level(m, 0, at(-1), at(0)), 0, 1e-9);
}

TEST(ForecastTest, HourlyWeightsShiftTheFillIntoTheDay) {
  FillModel m;
  m.rate_per_day.fill(0.24);
  ForecastOptions o;
  o.hourly_weight.fill(0);
  for (int h = 8; h < 20; ++h) o.hourly_weight[size_t(h)] = 1;
  // Midnight to 8 am: nothing; 8 am to 8 pm: the whole day's 0.24.
  EXPECT_NEAR(predict_level(m, 0, at(0), at(8.0 / 24), o), 0, 1e-12);
  EXPECT_NEAR(predict_level(m, 0, at(0), at(20.0 / 24), o), 0.24, 1e-9);
  EXPECT_NEAR(predict_level(m, 0, at(0), at(1), o), 0.24, 1e-9);
  auto t = time_to_level(m, 0, at(0), 0.12, o);
  ASSERT_TRUE(t);
  // Half-way through the day's hours.
  EXPECT_NEAR(double(to_micros(*t) - to_micros(at(14.0 / 24))), 0, 1000);
}

}  // namespace
}  // namespace cocity::apps::waste
