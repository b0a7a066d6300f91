#include "sim/simulator.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

namespace cocity::sim {

SimStats run_simulation(CityModel& model, Publisher& publisher,
                        const SimOptions& options,
                        const std::atomic<bool>* stop) {
  using Steady = std::chrono::steady_clock;
  SimStats stats;
  const TimePoint end = options.start + options.duration;
  const auto real_start = Steady::now();
  TimePoint next_report =
      options.start + std::chrono::hours(options.report_every_hours);
  stats.reached = options.start;
  while (stats.readings < options.max_readings &&
         !(stop && stop->load(std::memory_order_relaxed))) {
    TimePoint due = model.next_due();
    if (due > end) break;
    if (options.speed > 0) {
      // Wait until real time catches up with the simulated clock, waking
      // up at least every 100 ms to notice a stop request.
      auto sim_elapsed = std::chrono::duration<double>(due - options.start);
      auto target = real_start + std::chrono::duration_cast<Steady::duration>(
                                     sim_elapsed / options.speed);
      while (Steady::now() < target &&
             !(stop && stop->load(std::memory_order_relaxed))) {
        std::this_thread::sleep_until(
            std::min(target, Steady::now() + std::chrono::milliseconds(100)));
      }
      if (stop && stop->load(std::memory_order_relaxed)) break;
    }
    while (options.wall_clock && options.wall_clock->now() < due &&
           !(stop && stop->load(std::memory_order_relaxed))) {
      auto wait = std::min<Micros>(due - options.wall_clock->now(),
                                   std::chrono::milliseconds(100));
      std::this_thread::sleep_for(wait);
    }
    if (stop && stop->load(std::memory_order_relaxed)) break;
    std::vector<json::object> readings = model.advance(due);
    if (readings.size() > options.max_readings - stats.readings) {
      readings.resize(options.max_readings - stats.readings);
    }
    stats.readings += readings.size();
    ++stats.publishes;
    if (auto s = publisher.publish(readings); !s) {
      stats.failed += readings.size();
      stats.last_error = s.error().detail;
    }
    stats.reached = due;
    if (options.report_every_hours > 0 && due >= next_report) {
      std::printf("cocity sim: %s, %llu readings sent, %llu failed\n",
                  format_iso_time(due).c_str(),
                  static_cast<unsigned long long>(stats.readings),
                  static_cast<unsigned long long>(stats.failed));
      std::fflush(stdout);
      next_report += std::chrono::hours(options.report_every_hours);
    }
  }
  stats.seconds =
      std::chrono::duration<double>(Steady::now() - real_start).count();
  return stats;
}

}  // namespace cocity::sim
