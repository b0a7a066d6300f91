// The simulated city: its sensors and how each one behaves.
//
// A CityModel is built from a municipality's NGSI-LD entities (the demo
// city's file): every AirQualityObserved, TrafficFlowObserved and
// WasteContainer entity becomes a sensor at its location; `scale` adds
// more sensors of the same kinds around each one (for load tests). The
// model then produces readings for simulated time: NO2 with the measured
// rush hours (profiles.h) and correlated noise, PM10/PM2.5 with city-wide
// episodes of several days (winter inversions), traffic counts and speeds
// with the measured daily profile and random incidents, and fill levels of
// waste containers that fill by day, faster in the centre and at weekends,
// are emptied on their area's collection day, and read with sensor noise and
// the occasional glitch.
//
// Deterministic: the same entities, scale, seed and times give the same
// readings. Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "core/time.h"

namespace cocity::sim {

enum class SensorKind { kAirQuality, kTraffic, kWaste };

struct Sensor {
  std::string entity_id;
  std::string entity_type;  // "AirQualityObserved", ...
  SensorKind kind = SensorKind::kAirQuality;
  json::value location;    // GeoJSON geometry
  bool published = false;  // location sent once

  // Behaviour, drawn from the seed when the model is built.
  double level = 0;        // NO2 mean ug/m3 | peak vehicles/h | fill 0..1
  double rate = 0;         // PM10 mean ug/m3 | - | fill per day at weekdays
  int collection_day = 0;  // waste: 0 = Monday
  double noise = 0;        // AR(1) state (log scale)
  double noise_pm = 0;
  TimePoint incident_until{};  // traffic
  bool overflowing = false;    // waste: full since the last emptying
  TimePoint last{};            // time of the last reading
};

// Readings are due every this long, per kind.
inline constexpr Micros kAirPeriod = std::chrono::minutes(15);
inline constexpr Micros kTrafficPeriod = std::chrono::minutes(5);
inline constexpr Micros kWastePeriod = std::chrono::hours(1);

class CityModel {
 public:
  // `entities` is an array of NGSI-LD entities (normalized, no @context);
  // entities of other types are ignored. kBadRequestData if none is a
  // sensor kind or scale is not in 1..10000.
  static Result<CityModel> create(const json::array& entities, int scale,
                                  uint64_t seed, TimePoint start);

  // The time the next reading is due.
  TimePoint next_due() const;

  // Advances every sensor to `t` and returns the NGSI-LD entity fragments
  // (id, type, attributes with observedAt) of the readings due at or
  // before `t`, in time order.
  std::vector<json::object> advance(TimePoint t);

  const std::vector<Sensor>& sensors() const { return sensors_; }

  // How often a container became full before it was emptied.
  uint64_t overflows() const { return overflows_; }

  // The collection rounds' emptyings: the truth behind the fill-level
  // readings (which carry noise and glitches). The last kKeptEmptyings are
  // kept.
  struct Emptying {
    std::string entity_id;
    TimePoint at{};
    double level = 0;  // true fill level before emptying
  };
  static constexpr size_t kKeptEmptyings = 10000;
  const std::deque<Emptying>& emptyings() const { return emptyings_; }
  uint64_t emptying_count() const { return emptying_count_; }

 private:
  CityModel() = default;
  json::object read(Sensor& s, TimePoint t);
  json::object read_air(Sensor& s, TimePoint t);
  json::object read_traffic(Sensor& s, TimePoint t);
  json::object read_waste(Sensor& s, TimePoint t);
  void update_episode(TimePoint t);
  static Micros period(SensorKind kind);

  std::vector<Sensor> sensors_;
  std::mt19937_64 rng_;
  int64_t episode_day_ = -1;   // local day the episode state was drawn for
  int episode_days_left_ = 0;  // city-wide PM episode
  double episode_factor_ = 1;
  uint64_t overflows_ = 0;
  std::deque<Emptying> emptyings_;
  uint64_t emptying_count_ = 0;
};

}  // namespace cocity::sim
