// Replays the Edinburgh Enevo litter-bin collections in time order and
// predicts each collection's fill level from the events before it, with the
// waste app's forecast (weekday Huber fit; and its median rate alone)
// against two naive baselines: the last cycle's rate, and the mean fill at
// the container's earlier collections. Prints MAE and RMSE in percentage
// points and the coverage of the forecast's uncertainty band.
//
//   waste_forecast_eval [PATH/collections.csv] [--min-cycles N]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "apps/waste/forecast.h"
#include "core/time.h"

namespace {

using cocity::TimePoint;
using cocity::apps::waste::FillReading;

struct Event {
  std::string site;
  TimePoint time;
  double before = 0;
  double after = 0;
};

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

bool read_events(const std::string& path, std::vector<Event>* events) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto f = split_csv(line);
    if (f.size() < 12) continue;
    std::string iso = f[8];
    std::replace(iso.begin(), iso.end(), ' ', 'T');
    auto t = cocity::parse_iso_time(iso + "Z");  // local time kept as is
    if (!t) continue;
    events->push_back({f[1], *t, std::atof(f[10].c_str()) / 100.0,
                       std::atof(f[11].c_str()) / 100.0});
  }
  std::stable_sort(
      events->begin(), events->end(),
      [](const Event& a, const Event& b) { return a.time < b.time; });
  return true;
}

struct Error {
  double abs = 0;
  double sq = 0;
  int n = 0;
  void add(double predicted, double actual) {
    double e = (std::min(predicted, 1.0) - actual) * 100;
    abs += std::abs(e);
    sq += e * e;
    ++n;
  }
  void print(const char* name) const {
    std::printf("  %-34s MAE %5.2f pp  RMSE %5.2f pp\n", name, abs / n,
                std::sqrt(sq / n));
  }
};

double days(TimePoint a, TimePoint b) {
  return std::chrono::duration<double>(b - a).count() / 86400;
}

struct Site {
  std::vector<Event> events;
};

struct Scores {
  Error model, median, last_rate, mean_fill;
  int covered = 0;
  int over_actual = 0, over_hit = 0, over_predicted = 0;
};

void score(const Site& site, const Event& e, double pooled_rate, Scores* s) {
  const auto& prev = site.events;
  std::vector<FillReading> history;
  for (const auto& p : prev) {
    history.push_back({p.time, p.before});
    history.push_back({p.time + std::chrono::seconds(1), p.after});
  }
  cocity::apps::waste::ForecastOptions o;
  o.default_rate_per_day = pooled_rate;
  auto model = cocity::apps::waste::fit_fill_model(history, o);
  TimePoint from = prev.back().time + std::chrono::seconds(1);
  double level0 = prev.back().after;
  double p = cocity::apps::waste::predict_level(model, level0, from, e.time, o);
  s->model.add(p, e.before);
  s->median.add(level0 + model.median_rate_per_day * days(from, e.time),
                e.before);
  const auto& a = prev[prev.size() - 2];
  const auto& b = prev.back();
  double last_rate =
      (b.before - a.after) / std::max(days(a.time, b.time), 1e-3);
  s->last_rate.add(level0 + last_rate * days(from, e.time), e.before);
  double mean = 0;
  for (const auto& x : prev) mean += x.before;
  s->mean_fill.add(mean / double(prev.size()), e.before);
  double lo = cocity::apps::waste::predict_level(model, level0, from, e.time, o,
                                                 model.ratio_low);
  double hi = cocity::apps::waste::predict_level(model, level0, from, e.time, o,
                                                 model.ratio_high);
  if (e.before >= std::min(lo, 1.0) - 1e-9 &&
      e.before <= std::min(hi, 1.0) + 1e-9) {
    ++s->covered;
  }
  bool actual_over = e.before >= 0.8;
  bool predicted_over = p >= 0.8;
  s->over_actual += actual_over;
  s->over_predicted += predicted_over;
  s->over_hit += actual_over && predicted_over;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path =
      std::string(COCITY_DEFAULT_SOURCE_DIR) +
      "/../shared/data/waste/edinburgh-enevo-2016/collections.csv";
  int min_cycles = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--min-cycles" && i + 1 < argc) {
      min_cycles = std::atoi(argv[++i]);
    } else {
      path = a;
    }
  }
  std::vector<Event> events;
  if (!read_events(path, &events)) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  std::map<std::string, Site> sites;
  std::vector<double> observed_rates;
  Scores s;
  auto start = std::chrono::steady_clock::now();
  for (const auto& e : events) {
    Site& site = sites[e.site];
    int cycles = int(site.events.size()) - 1;
    if (cycles >= std::max(1, min_cycles)) {
      std::vector<double> r = observed_rates;
      std::nth_element(r.begin(), r.begin() + long(r.size() / 2), r.end());
      score(site, e, r[r.size() / 2], &s);
    }
    if (!site.events.empty()) {
      const auto& b = site.events.back();
      observed_rates.push_back((e.before - b.after) /
                               std::max(days(b.time, e.time), 1e-3));
    }
    site.events.push_back(e);
  }
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  int n = s.model.n;
  std::printf(
      "%zu events, %zu sites; %d collections predicted "
      "(>= %d earlier cycles), %.2f s\n",
      events.size(), sites.size(), n, min_cycles, secs);
  std::printf(
      "fill level at collection (percentage points of the sensor "
      "scale):\n");
  s.model.print("forecast (weekday Huber fit)");
  s.median.print("forecast median rate, no weekday");
  s.last_rate.print("baseline: last cycle's rate");
  s.mean_fill.print("baseline: mean fill at collection");
  std::printf(
      "uncertainty band (q10..q90 rate) covers %.1f%% of actual "
      "levels\n",
      100.0 * s.covered / n);
  std::printf(
      ">= 80%% at collection: %d actual, %d predicted, %d both "
      "(recall %.1f%%, precision %.1f%%)\n",
      s.over_actual, s.over_predicted, s.over_hit,
      100.0 * s.over_hit / std::max(1, s.over_actual),
      100.0 * s.over_hit / std::max(1, s.over_predicted));
  return 0;
}
