// Fill-level forecasts for waste containers.
//
// A container reports its fill level (0 = empty, 1 = full) from time to
// time; emptying shows as a sudden drop. fit_fill_model() cuts the history
// into fill cycles at the emptyings, measures how much each cycle rose over
// how many days of each weekday, and fits one fill rate per weekday by
// robust regression (Huber-weighted least squares, shrunk towards the
// container's median rate so that a weekday seen once does not run away).
// The spread of the cycles' observed rates around the model gives the
// uncertainty: forecast() predicts when the level reaches a threshold at
// the median rate and at the low and high quantiles of that spread.
//
// Robustness: readings outside [-0.1, 1.2] or non-finite are dropped; a drop
// that the next reading undoes faster than glitch_rate_per_day is a sensor
// glitch, not an emptying; cycles shorter than min_cycle_h or rising faster
// than max_rate_per_day are ignored. A cycle that ends at the sensor's ceiling
// (level >= full_level) only bounds its rate from below; it is used only when
// too few cycles are not censored.
//
// Times: weekdays are taken in local time, utc_offset_s east of UTC.
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace cocity::apps::waste {

struct FillReading {
  TimePoint time;
  double level = 0;  // 0..1
};

struct ForecastOptions {
  double emptying_drop = 0.2;      // a fall at least this large empties
  double glitch_tolerance = 0.1;   // a drop undone within this is a glitch
  double glitch_rate_per_day = 2;  // ... when undone faster than this
  double min_cycle_h = 2;          // shorter cycles carry no rate
  double max_rate_per_day = 5;     // faster cycles are sensor errors
  double full_level = 0.98;        // at or above: the cycle is censored
  double shrinkage_days = 1;       // weight of the prior per weekday, in days
  double huber_k = 1.5;            // Huber threshold in robust standard errors
  int utc_offset_s = 0;            // local time of the weekdays and hours
  // Relative fill speed per local hour (0 = midnight to 1 am); litter bins
  // fill by day. Normalised to mean 1 inside; all equal (the default): no
  // daily pattern. A cycle's exposure to a weekday counts its hours with
  // these weights, so rates are per "average day".
  std::array<double, 24> hourly_weight = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  // Used when the history holds no usable cycle (new containers).
  double default_rate_per_day = 0.15;
  double quantile_low = 0.1;  // of the observed rate ratios
  double quantile_high = 0.9;
};

// One fill cycle: from just after an emptying to the last reading before
// the next one.
struct FillCycle {
  TimePoint start;
  TimePoint end;
  double rise = 0;  // level gained
  bool censored = false;
};

// Fill rate per weekday (index 0 = Monday), in levels per day.
struct FillModel {
  std::array<double, 7> rate_per_day{};
  double median_rate_per_day = 0;
  // Observed cycle rate / model rate: the quantiles of the ratio give the
  // uncertainty band (0.5 and 1.5 when fewer than 3 cycles were seen).
  double ratio_low = 1;
  double ratio_high = 1;
  int cycles = 0;  // cycles the fit used
};

// The cycles of a history (sorted by time inside; the input need not be).
std::vector<FillCycle> fill_cycles(std::span<const FillReading> history,
                                   const ForecastOptions& options = {});

FillModel fit_fill_model(std::span<const FillReading> history,
                         const ForecastOptions& options = {});

// The level at `to` of a container at `level` at `from`, filling at the
// model's weekday rates times `rate_factor`; not capped at 1.
double predict_level(const FillModel& model, double level, TimePoint from,
                     TimePoint to, const ForecastOptions& options = {},
                     double rate_factor = 1);

// When the level reaches `target`, or nullopt if not within `horizon_days`.
std::optional<TimePoint> time_to_level(const FillModel& model, double level,
                                       TimePoint from, double target,
                                       const ForecastOptions& options = {},
                                       double rate_factor = 1,
                                       double horizon_days = 60);

struct Forecast {
  TimePoint as_of;   // time of the last reading
  double level = 0;  // last reading (after glitch removal)
  FillModel model;
  // When the threshold is reached: at the high rate quantile (earliest), the
  // model rate (expected) and the low quantile (latest). Unset: not within
  // the horizon. All equal `as_of` when the level is already above.
  std::optional<TimePoint> earliest;
  std::optional<TimePoint> expected;
  std::optional<TimePoint> latest;
};

// Fits the model and predicts the threshold time. Errors: kBadRequestData
// when the history holds no valid reading or the threshold is not in
// (0, 1.5].
Result<Forecast> forecast(std::span<const FillReading> history,
                          double threshold,
                          const ForecastOptions& options = {});

}  // namespace cocity::apps::waste
