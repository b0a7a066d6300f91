// Daily and weekly shapes of city sensor data, measured, for the simulator.
//
// The numbers are hour-of-day means of real measurements, normalised:
// - NO2 at a traffic station (Dresden-Nord, LfULG, all hours of 2011),
//   divided by the year's mean; weekdays show the morning and evening rush
//   hours, weekends a flat morning and an evening rise.
// - Motor-vehicle counts and mean speeds of 344 Berlin lane detectors
//   (VIZ Berlin, January 2024 without New Year's Day), counts divided by
//   the busiest hour's mean (393 vehicles per lane and hour).
// Hours are local time (Central European), 0 = 00:00-00:59.
#pragma once

#include "core/time.h"

namespace cocity::sim {

// NO2 relative to its long-term mean (the week averages about 1).
double no2_factor(bool weekend, int hour);

// Vehicles in this hour as a share of the busiest weekday hour.
double traffic_factor(bool weekend, int hour);

// Mean speed of urban traffic in this hour, km/h, without incidents.
double traffic_speed_kmh(bool weekend, int hour);

// Local (German) civil time of `t`: UTC+1, or UTC+2 from the last Sunday
// of March 01:00 UTC to the last Sunday of October 01:00 UTC.
struct LocalTime {
  int hour = 0;          // 0-23
  int weekday = 0;       // 0 = Monday ... 6 = Sunday
  bool weekend = false;  // Saturday or Sunday
  int64_t day = 0;       // local days since 1970-01-01
};
LocalTime local_time(TimePoint t);

}  // namespace cocity::sim
