#include "apps/waste/forecast.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace cocity::apps::waste {

namespace {

constexpr double kSecondsPerDay = 86400;
constexpr double kSparseLow = 0.5;
constexpr double kSparseHigh = 1.5;
constexpr int kMinCycles = 3;
constexpr size_t kMaxTheilSenPoints = 200;
constexpr int kHuberIterations = 6;

double days_between(TimePoint a, TimePoint b) {
  return std::chrono::duration<double>(b - a).count() / kSecondsPerDay;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double pos = q * double(v.size() - 1);
  size_t lo = size_t(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

double median(std::vector<double> v) { return quantile(std::move(v), 0.5); }

// Calls fn(weekday, days) for each piece of [from, to) inside one local
// hour, `days` weighted by the hour's relative fill speed (weekday 0 =
// Monday).
template <typename F>
void for_each_hour(TimePoint from, TimePoint to, const ForecastOptions& o,
                   F fn) {
  double mean = 0;
  for (double w : o.hourly_weight) mean += std::max(0.0, w);
  mean /= 24;
  if (mean <= 0) mean = 1;
  int64_t local_us = to_micros(from) + int64_t(o.utc_offset_s) * 1'000'000;
  int64_t hour = local_us >= 0 ? local_us / 3'600'000'000
                               : -((-local_us + 3'599'999'999) / 3'600'000'000);
  TimePoint t = from;
  while (t < to) {
    TimePoint boundary = from_micros((hour + 1) * 3'600'000'000 -
                                     int64_t(o.utc_offset_s) * 1'000'000);
    TimePoint next = std::min(to, boundary);
    int64_t day = hour >= 0 ? hour / 24 : -((-hour + 23) / 24);
    int weekday = int(((day % 7) + 7 + 3) % 7);  // 1970-01-01: Thursday
    int h = int(((hour % 24) + 24) % 24);
    double weight = std::max(0.0, o.hourly_weight[size_t(h)]) / mean;
    if (!fn(weekday, days_between(t, next) * weight, next)) return;
    t = next;
    ++hour;
  }
}

// Weighted days of each weekday inside [from, to).
std::array<double, 7> weekday_days(TimePoint from, TimePoint to,
                                   const ForecastOptions& o) {
  std::array<double, 7> out{};
  for_each_hour(from, to, o, [&out](int wd, double days, TimePoint) {
    out[size_t(wd)] += days;
    return true;
  });
  return out;
}

std::vector<FillReading> clean(std::span<const FillReading> history,
                               const ForecastOptions& o) {
  std::vector<FillReading> r;
  for (const auto& x : history) {
    if (!std::isfinite(x.level) || x.level < -0.1 || x.level > 1.2) continue;
    r.push_back({x.time, std::clamp(x.level, 0.0, 1.0)});
  }
  std::stable_sort(r.begin(), r.end(), [](const auto& a, const auto& b) {
    return a.time < b.time;
  });
  // A drop that the next reading undoes faster than any bin fills is a
  // glitch, not an emptying.
  std::vector<FillReading> out;
  for (size_t i = 0; i < r.size(); ++i) {
    if (!out.empty() && i + 1 < r.size()) {
      double prev = out.back().level;
      bool drop = r[i].level <= prev - o.emptying_drop;
      bool undone = r[i + 1].level >= prev - o.glitch_tolerance;
      double d = days_between(r[i].time, r[i + 1].time);
      bool too_fast =
          d <= 0 || (r[i + 1].level - r[i].level) / d > o.glitch_rate_per_day;
      if (drop && undone && too_fast) continue;
    }
    out.push_back(r[i]);
  }
  return out;
}

// Theil-Sen slope (level per day) of readings [first, last].
double robust_slope(const std::vector<FillReading>& r, size_t first,
                    size_t last) {
  std::vector<size_t> idx;
  size_t n = last - first + 1;
  size_t step = std::max<size_t>(1, n / kMaxTheilSenPoints);
  for (size_t i = first; i <= last; i += step) idx.push_back(i);
  std::vector<double> slopes;
  for (size_t a = 0; a < idx.size(); ++a) {
    for (size_t b = a + 1; b < idx.size(); ++b) {
      double d = days_between(r[idx[a]].time, r[idx[b]].time);
      if (d > 0) slopes.push_back((r[idx[b]].level - r[idx[a]].level) / d);
    }
  }
  return slopes.empty() ? 0 : median(std::move(slopes));
}

void add_cycle(const std::vector<FillReading>& r, size_t first, size_t last,
               const ForecastOptions& o, std::vector<FillCycle>* out) {
  if (last <= first) return;
  double d = days_between(r[first].time, r[last].time);
  if (d * 24 < o.min_cycle_h) return;
  double rise = last - first == 1 ? r[last].level - r[first].level
                                  : robust_slope(r, first, last) * d;
  rise = std::max(0.0, rise);
  if (rise / d > o.max_rate_per_day) return;
  out->push_back(
      {r[first].time, r[last].time, rise, r[last].level >= o.full_level});
}

struct Row {
  std::array<double, 7> share{};  // fraction of the cycle on each weekday
  double rate = 0;                // observed level per day
  double days = 0;
};

double predicted_rate(const Row& row, const std::array<double, 7>& r) {
  double s = 0;
  for (int w = 0; w < 7; ++w) s += row.share[w] * r[w];
  return s;
}

// Solves the 7x7 system a x = b by Gaussian elimination with pivoting.
std::array<double, 7> solve7(std::array<std::array<double, 7>, 7> a,
                             std::array<double, 7> b) {
  for (int c = 0; c < 7; ++c) {
    int p = c;
    for (int i = c + 1; i < 7; ++i) {
      if (std::abs(a[i][c]) > std::abs(a[p][c])) p = i;
    }
    std::swap(a[c], a[p]);
    std::swap(b[c], b[p]);
    for (int i = c + 1; i < 7; ++i) {
      double f = a[i][c] / a[c][c];
      for (int j = c; j < 7; ++j) a[i][j] -= f * a[c][j];
      b[i] -= f * b[c];
    }
  }
  std::array<double, 7> x{};
  for (int i = 6; i >= 0; --i) {
    double s = b[i];
    for (int j = i + 1; j < 7; ++j) s -= a[i][j] * x[j];
    x[i] = s / a[i][i];
  }
  return x;
}

// Weighted least squares with a ridge towards `prior` (which keeps the
// system regular): rows weighted by days * weight[i].
std::array<double, 7> weighted_fit(const std::vector<Row>& rows,
                                   const std::vector<double>& weight,
                                   double prior, double lambda) {
  std::array<std::array<double, 7>, 7> a{};
  std::array<double, 7> b{};
  for (int w = 0; w < 7; ++w) {
    a[w][w] = lambda;
    b[w] = lambda * prior;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    double wt = rows[i].days * weight[i];
    for (int u = 0; u < 7; ++u) {
      b[u] += wt * rows[i].share[u] * rows[i].rate;
      for (int v = 0; v < 7; ++v) {
        a[u][v] += wt * rows[i].share[u] * rows[i].share[v];
      }
    }
  }
  auto x = solve7(a, b);
  for (double& v : x) v = std::max(0.0, v);
  return x;
}

std::array<double, 7> huber_fit(const std::vector<Row>& rows, double prior,
                                const ForecastOptions& o) {
  std::vector<double> weight(rows.size(), 1.0);
  auto r = weighted_fit(rows, weight, prior, o.shrinkage_days);
  for (int it = 0; it < kHuberIterations; ++it) {
    std::vector<double> res;
    for (const auto& row : rows)
      res.push_back(row.rate - predicted_rate(row, r));
    std::vector<double> abs_res;
    for (double e : res) abs_res.push_back(std::abs(e));
    double scale = std::max(1.4826 * median(abs_res), 0.05 * prior + 1e-6);
    for (size_t i = 0; i < rows.size(); ++i) {
      double lim = o.huber_k * scale;
      weight[i] = std::abs(res[i]) <= lim ? 1.0 : lim / std::abs(res[i]);
    }
    r = weighted_fit(rows, weight, prior, o.shrinkage_days);
  }
  return r;
}

std::vector<Row> rows_of(const std::vector<FillCycle>& cycles,
                         const ForecastOptions& o) {
  std::vector<Row> rows;
  for (const auto& c : cycles) {
    Row row;
    row.share = weekday_days(c.start, c.end, o);
    double total = 0;
    for (double v : row.share) total += v;
    if (total <= 1e-6) continue;  // only hours of weight 0
    for (double& s : row.share) s /= total;
    row.rate = c.rise / total;
    row.days = total;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

std::vector<FillCycle> fill_cycles(std::span<const FillReading> history,
                                   const ForecastOptions& options) {
  auto r = clean(history, options);
  std::vector<FillCycle> out;
  size_t first = 0;
  for (size_t i = 1; i < r.size(); ++i) {
    if (r[i].level <= r[i - 1].level - options.emptying_drop) {
      add_cycle(r, first, i - 1, options, &out);
      first = i;
    }
  }
  if (!r.empty()) add_cycle(r, first, r.size() - 1, options, &out);
  return out;
}

FillModel fit_fill_model(std::span<const FillReading> history,
                         const ForecastOptions& options) {
  auto all = fill_cycles(history, options);
  std::vector<FillCycle> used;
  for (const auto& c : all) {
    if (!c.censored) used.push_back(c);
  }
  if (used.size() < size_t(kMinCycles)) used = all;
  auto rows = rows_of(used, options);
  FillModel m;
  m.cycles = int(rows.size());
  if (rows.empty()) {
    m.rate_per_day.fill(options.default_rate_per_day);
    m.median_rate_per_day = options.default_rate_per_day;
    m.ratio_low = kSparseLow;
    m.ratio_high = kSparseHigh;
    return m;
  }
  std::vector<double> rates;
  for (const auto& row : rows) rates.push_back(row.rate);
  m.median_rate_per_day = median(rates);
  m.rate_per_day = huber_fit(rows, m.median_rate_per_day, options);
  if (m.cycles < kMinCycles) {
    m.ratio_low = kSparseLow;
    m.ratio_high = kSparseHigh;
    return m;
  }
  std::vector<double> ratios;
  for (const auto& row : rows) {
    double p = predicted_rate(row, m.rate_per_day);
    if (p > 0) ratios.push_back(row.rate / p);
  }
  m.ratio_low = std::min(1.0, quantile(ratios, options.quantile_low));
  m.ratio_high = std::max(1.0, quantile(ratios, options.quantile_high));
  return m;
}

double predict_level(const FillModel& model, double level, TimePoint from,
                     TimePoint to, const ForecastOptions& options,
                     double rate_factor) {
  if (to <= from) return level;
  auto days = weekday_days(from, to, options);
  for (int w = 0; w < 7; ++w) {
    level += days[w] * model.rate_per_day[w] * rate_factor;
  }
  return level;
}

std::optional<TimePoint> time_to_level(const FillModel& model, double level,
                                       TimePoint from, double target,
                                       const ForecastOptions& options,
                                       double rate_factor,
                                       double horizon_days) {
  if (level >= target) return from;
  TimePoint end = from + Micros(int64_t(horizon_days * kSecondsPerDay * 1e6));
  std::optional<TimePoint> hit;
  TimePoint t = from;
  for_each_hour(from, end, options, [&](int wd, double days, TimePoint next) {
    double gain = model.rate_per_day[size_t(wd)] * rate_factor * days;
    if (gain > 0 && level + gain >= target) {
      double part = (target - level) / gain;
      hit = t + Micros(int64_t(part * double(to_micros(next) - to_micros(t))));
      return false;
    }
    level += gain;
    t = next;
    return true;
  });
  return hit;
}

Result<Forecast> forecast(std::span<const FillReading> history,
                          double threshold, const ForecastOptions& options) {
  if (!(threshold > 0 && threshold <= 1.5)) {
    return fail(Code::kBadRequestData, "threshold must be in (0, 1.5]");
  }
  auto cleaned = clean(history, options);
  if (cleaned.empty()) {
    return fail(Code::kBadRequestData,
                "the fill-level history holds no valid reading");
  }
  Forecast f;
  f.as_of = cleaned.back().time;
  f.level = cleaned.back().level;
  f.model = fit_fill_model(cleaned, options);
  f.earliest = time_to_level(f.model, f.level, f.as_of, threshold, options,
                             f.model.ratio_high);
  f.expected = time_to_level(f.model, f.level, f.as_of, threshold, options);
  f.latest = time_to_level(f.model, f.level, f.as_of, threshold, options,
                           f.model.ratio_low);
  return f;
}

}  // namespace cocity::apps::waste
