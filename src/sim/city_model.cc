#include "sim/city_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/profiles.h"

namespace cocity::sim {

namespace {

// Kaiserslautern's centre (Stiftskirche); containers within kCentreM of it
// fill faster.
constexpr double kCentreLon = 7.7690;
constexpr double kCentreLat = 49.4440;
constexpr double kCentreM = 900;
constexpr double kJitterM = 600;  // spread of sensors added by `scale`

double distance_m(double lon1, double lat1, double lon2, double lat2) {
  constexpr double kRad = std::numbers::pi / 180;
  double x = (lon2 - lon1) * kRad * std::cos((lat1 + lat2) / 2 * kRad);
  double y = (lat2 - lat1) * kRad;
  return std::sqrt(x * x + y * y) * 6371000;
}

// The first coordinate pair of a GeoJSON geometry (a point of it).
bool first_position(const json::value& geometry, double* lon, double* lat) {
  const json::value* v = geometry.is_object()
                             ? geometry.as_object().if_contains("coordinates")
                             : nullptr;
  while (v && v->is_array() && !v->as_array().empty() &&
         v->as_array()[0].is_array()) {
    v = &v->as_array()[0];
  }
  if (!v || !v->is_array() || v->as_array().size() < 2) return false;
  const auto& a = v->as_array();
  if (!a[0].is_number() || !a[1].is_number()) return false;
  *lon = a[0].to_number<double>();
  *lat = a[1].to_number<double>();
  return true;
}

json::value moved(const json::value& geometry, double dx_m, double dy_m) {
  json::value out = geometry;
  double dlat = dy_m / 111320.0;
  double lon = 0, lat = 0;
  first_position(geometry, &lon, &lat);
  double dlon = dx_m / (111320.0 * std::cos(lat * std::numbers::pi / 180));
  // Shift every position of the geometry.
  auto shift = [&](auto& self, json::value& v) -> void {
    if (!v.is_array()) return;
    auto& a = v.as_array();
    if (a.size() >= 2 && a[0].is_number() && a[1].is_number()) {
      a[0] = a[0].to_number<double>() + dlon;
      a[1] = a[1].to_number<double>() + dlat;
      return;
    }
    for (auto& item : a) self(self, item);
  };
  if (out.is_object()) {
    if (auto* c = out.as_object().if_contains("coordinates")) shift(shift, *c);
  }
  return out;
}

json::object property(json::value value, const char* unit,
                      const std::string& observed_at) {
  json::object p;
  p["type"] = "Property";
  p["value"] = std::move(value);
  if (unit) p["unitCode"] = unit;
  p["observedAt"] = observed_at;
  return p;
}

// Rounds to `decimals` places; dividing by a power of ten (rather than
// multiplying by 0.1) gives the double that prints as the short decimal.
double round_to(double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

}  // namespace

Result<CityModel> CityModel::create(const json::array& entities, int scale,
                                    uint64_t seed, TimePoint start) {
  if (scale < 1 || scale > 10000) {
    return fail(Code::kBadRequestData,
                "scale must be 1..10000, not " + std::to_string(scale));
  }
  CityModel m;
  m.rng_.seed(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<double> jitter(0, kJitterM);
  for (const auto& item : entities) {
    if (!item.is_object()) continue;
    const auto& e = item.as_object();
    const auto* id = e.if_contains("id");
    const auto* type = e.if_contains("type");
    const auto* location = e.if_contains("location");
    if (!id || !id->is_string() || !type || !type->is_string() || !location ||
        !location->is_object()) {
      continue;
    }
    const json::value* geometry = location->as_object().if_contains("value");
    double lon = 0, lat = 0;
    if (!geometry || !first_position(*geometry, &lon, &lat)) continue;
    std::string t(type->as_string());
    SensorKind kind;
    if (t == "AirQualityObserved") {
      kind = SensorKind::kAirQuality;
    } else if (t == "TrafficFlowObserved") {
      kind = SensorKind::kTraffic;
    } else if (t == "WasteContainer") {
      kind = SensorKind::kWaste;
    } else {
      continue;
    }
    for (int copy = 0; copy < scale; ++copy) {
      Sensor s;
      s.entity_id = std::string(id->as_string());
      if (copy > 0) s.entity_id += "-s" + std::to_string(copy);
      s.entity_type = t;
      s.kind = kind;
      double dx = copy > 0 ? jitter(m.rng_) : 0;
      double dy = copy > 0 ? jitter(m.rng_) : 0;
      s.location = copy > 0 ? moved(*geometry, dx, dy) : *geometry;
      double slon = lon, slat = lat;
      first_position(s.location, &slon, &slat);
      bool centre = distance_m(slon, slat, kCentreLon, kCentreLat) < kCentreM;
      switch (kind) {
        case SensorKind::kAirQuality:
          // Traffic stations in the centre, urban background elsewhere.
          s.level = (centre ? 38 : 22) * (0.85 + 0.3 * unit(m.rng_));
          s.rate = (centre ? 24 : 18) * (0.85 + 0.3 * unit(m.rng_));
          break;
        case SensorKind::kTraffic:
          // Two lanes of the measured busiest-hour mean, varied by road.
          s.level = 2 * 393 * (0.6 + 1.0 * unit(m.rng_));
          break;
        case SensorKind::kWaste:
          s.rate =
              centre ? 0.18 + 0.17 * unit(m.rng_) : 0.05 + 0.10 * unit(m.rng_);
          s.level = 0.05 + 0.6 * unit(m.rng_);
          // Areas are collected on different weekdays (Mon-Fri).
          s.collection_day = static_cast<int>(unit(m.rng_) * 5) % 5;
          break;
      }
      // Align the first reading to the kind's period.
      Micros p = period(kind);
      s.last = TimePoint((start.time_since_epoch() / p) * p);
      m.sensors_.push_back(std::move(s));
    }
  }
  if (m.sensors_.empty()) {
    return fail(Code::kBadRequestData,
                "the city has no AirQualityObserved, TrafficFlowObserved or "
                "WasteContainer entity with a location to simulate");
  }
  return m;
}

Micros CityModel::period(SensorKind kind) {
  switch (kind) {
    case SensorKind::kAirQuality:
      return kAirPeriod;
    case SensorKind::kTraffic:
      return kTrafficPeriod;
    case SensorKind::kWaste:
      return kWastePeriod;
  }
  return kWastePeriod;
}

TimePoint CityModel::next_due() const {
  TimePoint next = TimePoint::max();
  for (const auto& s : sensors_) next = std::min(next, s.last + period(s.kind));
  return next;
}

std::vector<json::object> CityModel::advance(TimePoint t) {
  std::vector<std::pair<TimePoint, json::object>> due;
  for (auto& s : sensors_) {
    Micros p = period(s.kind);
    while (s.last + p <= t) {
      TimePoint at = s.last + p;
      update_episode(at);
      due.emplace_back(at, read(s, at));
      s.last = at;
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  std::vector<json::object> out;
  out.reserve(due.size());
  for (auto& d : due) out.push_back(std::move(d.second));
  return out;
}

void CityModel::update_episode(TimePoint t) {
  int64_t day = local_time(t).day;
  if (day <= episode_day_) return;
  std::uniform_real_distribution<double> unit(0, 1);
  for (int64_t d = episode_day_ + 1; d <= day; ++d) {
    if (episode_day_ < 0) d = day;  // first call: draw for today only
    if (episode_days_left_ > 0) {
      --episode_days_left_;
    } else if (unit(rng_) < 0.06) {
      // About every 2-3 weeks, an inversion holds particles for 2-5 days.
      episode_days_left_ = 1 + static_cast<int>(unit(rng_) * 4);
      episode_factor_ = 2.0 + 1.5 * unit(rng_);
    }
    if (episode_days_left_ == 0) episode_factor_ = 1;
  }
  episode_day_ = day;
}

json::object CityModel::read(Sensor& s, TimePoint t) {
  json::object f;
  switch (s.kind) {
    case SensorKind::kAirQuality:
      f = read_air(s, t);
      break;
    case SensorKind::kTraffic:
      f = read_traffic(s, t);
      break;
    case SensorKind::kWaste:
      f = read_waste(s, t);
      break;
  }
  f["id"] = s.entity_id;
  f["type"] = s.entity_type;
  if (!s.published) {
    json::object loc;
    loc["type"] = "GeoProperty";
    loc["value"] = s.location;
    f["location"] = std::move(loc);
    s.published = true;
  }
  return f;
}

json::object CityModel::read_air(Sensor& s, TimePoint t) {
  LocalTime lt = local_time(t);
  std::normal_distribution<double> n(0, 1);
  // AR(1) in log space: 15-minute steps, correlation over a few hours.
  s.noise = 0.93 * s.noise + 0.09 * n(rng_);
  s.noise_pm = 0.97 * s.noise_pm + 0.05 * n(rng_);
  double no2 = s.level * no2_factor(lt.weekend, lt.hour) * std::exp(s.noise);
  double pm10 = s.rate * episode_factor_ * std::exp(s.noise_pm);
  double pm25 = pm10 * (0.64 + 0.08 * std::tanh(n(rng_)));
  std::string at = format_iso_time(t);
  json::object f;
  f["no2"] = property(round_to(no2, 1), "GQ", at);
  f["pm10"] = property(round_to(pm10, 1), "GQ", at);
  f["pm25"] = property(round_to(pm25, 1), "GQ", at);
  json::object date;
  date["type"] = "Property";
  date["value"] = at;
  f["dateObserved"] = std::move(date);
  return f;
}

json::object CityModel::read_traffic(Sensor& s, TimePoint t) {
  LocalTime lt = local_time(t);
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<double> n(0, 1);
  // About one incident per counter and ten days, 20-90 minutes long.
  constexpr double kReadingsPerDay =
      static_cast<double>(std::chrono::hours(24) / kTrafficPeriod);
  if (t >= s.incident_until && unit(rng_) < 0.1 / kReadingsPerDay) {
    s.incident_until =
        t + std::chrono::minutes(20 + static_cast<int>(unit(rng_) * 70));
  }
  bool incident = t < s.incident_until;
  s.noise = 0.8 * s.noise + 0.08 * n(rng_);
  double per_hour =
      s.level * traffic_factor(lt.weekend, lt.hour) * std::exp(s.noise);
  double speed =
      traffic_speed_kmh(lt.weekend, lt.hour) * (1 + 0.05 * std::tanh(n(rng_)));
  if (incident) {
    per_hour *= 0.5;
    speed = 8 + 12 * unit(rng_);
  }
  double minutes =
      std::chrono::duration<double, std::ratio<60>>(kTrafficPeriod).count();
  double count = std::round(per_hour * minutes / 60);
  // Occupancy: vehicles per km per lane times an effective vehicle length.
  double occupancy = std::min(0.95, per_hour / 2 / speed * 6.5 / 1000);
  std::string at = format_iso_time(t);
  json::object f;
  f["intensity"] = property(static_cast<int64_t>(count), nullptr, at);
  f["averageVehicleSpeed"] = property(round_to(speed, 1), "KMH", at);
  f["occupancy"] = property(round_to(occupancy, 3), "C62", at);
  f["congested"] = property(speed < 20, nullptr, at);
  return f;
}

json::object CityModel::read_waste(Sensor& s, TimePoint t) {
  LocalTime lt = local_time(t);
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<double> n(0, 1);
  // Waste comes between 07:00 and 22:00; a third more at weekends.
  if (lt.hour >= 7 && lt.hour < 22) {
    double per_hour = s.rate / 15 * (lt.weekend ? 1.3 : 1.0);
    s.level += per_hour * std::exp(0.3 * n(rng_) - 0.045);
  }
  if (lt.weekday == s.collection_day && lt.hour == 9 && s.level > 0.15) {
    emptyings_.push_back(Emptying{s.entity_id, t, s.level});
    if (emptyings_.size() > kKeptEmptyings) emptyings_.pop_front();
    ++emptying_count_;
    s.level = 0.01 + 0.03 * unit(rng_);  // emptied by the collection round
    s.overflowing = false;
  }
  if (s.level >= 1) {
    if (!s.overflowing) ++overflows_;
    s.overflowing = true;
    s.level = 1;  // full: what comes now lands beside the container
  }
  double reading = std::clamp(s.level + 0.015 * n(rng_), 0.0, 1.0);
  if (unit(rng_) < 0.005) reading = 0;  // lost echo: a glitch
  json::object f;
  f["fillingLevel"] = property(round_to(reading, 2), "C62", format_iso_time(t));
  return f;
}

}  // namespace cocity::sim
