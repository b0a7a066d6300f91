#include "sim/profiles.h"

#include <array>
#include <chrono>

namespace cocity::sim {

namespace {

using Hours = std::array<double, 24>;

constexpr Hours kNo2Weekday = {0.69, 0.65, 0.63, 0.67, 0.84, 1.10, 1.29, 1.36,
                               1.29, 1.19, 1.14, 1.08, 1.07, 1.10, 1.16, 1.24,
                               1.25, 1.29, 1.27, 1.26, 1.19, 1.13, 1.02, 0.84};
constexpr Hours kNo2Weekend = {0.83, 0.75, 0.69, 0.65, 0.65, 0.68, 0.65, 0.65,
                               0.69, 0.74, 0.74, 0.73, 0.74, 0.76, 0.79, 0.86,
                               0.94, 1.08, 1.11, 1.13, 1.05, 0.99, 0.95, 0.93};
constexpr Hours kTrafficWeekday = {
    0.16, 0.11, 0.09, 0.10, 0.16, 0.42, 0.66, 0.85, 0.91, 0.86, 0.82, 0.84,
    0.86, 0.89, 0.95, 1.00, 0.98, 0.93, 0.86, 0.69, 0.53, 0.43, 0.39, 0.28};
constexpr Hours kTrafficWeekend = {
    0.30, 0.23, 0.18, 0.15, 0.14, 0.17, 0.17, 0.19, 0.28, 0.44, 0.56, 0.66,
    0.74, 0.81, 0.84, 0.81, 0.79, 0.79, 0.73, 0.62, 0.51, 0.43, 0.39, 0.31};
constexpr Hours kSpeedWeekday = {47, 48, 47, 47, 47, 46, 44, 41,
                                 39, 41, 42, 42, 41, 41, 41, 40,
                                 39, 40, 41, 43, 44, 45, 45, 46};
constexpr Hours kSpeedWeekend = {47, 47, 48, 48, 48, 48, 48, 47,
                                 47, 46, 46, 45, 44, 43, 43, 43,
                                 43, 43, 43, 44, 45, 45, 45, 46};

int clamp_hour(int hour) { return hour < 0 ? 0 : (hour > 23 ? 23 : hour); }

// The last Sunday of `month` in `year`, 01:00 UTC.
std::chrono::sys_seconds last_sunday_0100_utc(std::chrono::year year,
                                              std::chrono::month month) {
  using namespace std::chrono;
  sys_days final_day{year / month / std::chrono::last};
  sys_days sunday = final_day - (weekday{final_day} - Sunday);
  return sunday + hours(1);
}

}  // namespace

double no2_factor(bool weekend, int hour) {
  return (weekend ? kNo2Weekend : kNo2Weekday)[clamp_hour(hour)];
}

double traffic_factor(bool weekend, int hour) {
  return (weekend ? kTrafficWeekend : kTrafficWeekday)[clamp_hour(hour)];
}

double traffic_speed_kmh(bool weekend, int hour) {
  return (weekend ? kSpeedWeekend : kSpeedWeekday)[clamp_hour(hour)];
}

LocalTime local_time(TimePoint t) {
  using namespace std::chrono;
  auto secs = time_point_cast<seconds>(t);
  year_month_day ymd{floor<days>(secs)};
  bool summer = secs >= last_sunday_0100_utc(ymd.year(), March) &&
                secs < last_sunday_0100_utc(ymd.year(), October);
  auto local = secs + hours(summer ? 2 : 1);
  auto day = floor<days>(local);
  LocalTime out;
  out.hour = static_cast<int>(duration_cast<hours>(local - day).count());
  out.weekday = static_cast<int>(weekday{day}.iso_encoding()) - 1;
  out.weekend = out.weekday >= 5;
  out.day = day.time_since_epoch().count();
  return out;
}

}  // namespace cocity::sim
