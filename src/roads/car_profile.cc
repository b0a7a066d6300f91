#include "roads/car_profile.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "core/text.h"

namespace cocity::roads {
namespace {

constexpr double kWalkKmh = 7;
constexpr double kKmhPerMph = 1.609344;

struct ClassSpeed {
  std::string_view highway;
  double speed_kmh;
};

// Typical travel speeds of German roads, urban where the class is mostly
// urban (a primary road through a town is driven at ~50 km/h).
constexpr std::array kClassSpeeds = {
    ClassSpeed{"motorway", 120},
    ClassSpeed{"motorway_link", 60},
    ClassSpeed{"trunk", 90},
    ClassSpeed{"trunk_link", 50},
    ClassSpeed{"primary", 50},
    ClassSpeed{"primary_link", 40},
    ClassSpeed{"secondary", 50},
    ClassSpeed{"secondary_link", 40},
    ClassSpeed{"tertiary", 40},
    ClassSpeed{"tertiary_link", 30},
    ClassSpeed{"unclassified", 30},
    ClassSpeed{"residential", 30},
    ClassSpeed{"living_street", kWalkKmh},
    ClassSpeed{"service", 15},
    ClassSpeed{"road", 30},
    ClassSpeed{"track", 10},
};

struct ZoneSpeed {
  std::string_view value;
  double speed_kmh;
};

constexpr std::array kZoneSpeeds = {
    ZoneSpeed{"de:urban", 50},
    ZoneSpeed{"de:rural", 100},
    ZoneSpeed{"de:living_street", kWalkKmh},
    ZoneSpeed{"de:zone30", 30},
    ZoneSpeed{"de:zone:30", 30},
    ZoneSpeed{"de:zone20", 20},
    ZoneSpeed{"de:zone:20", 20},
    ZoneSpeed{"de:bicycle_road", 30},
    ZoneSpeed{"de:walk", kWalkKmh},
    ZoneSpeed{"walk", kWalkKmh},
};

// One maxspeed value without ';'.
std::optional<double> parse_one_maxspeed(std::string_view v) {
  v = trim(v);
  for (const ZoneSpeed& z : kZoneSpeeds) {
    if (iequals(v, z.value)) return z.speed_kmh;
  }
  double number = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
  if (ec != std::errc() || number <= 0 || number > 300) return std::nullopt;
  std::string_view unit = trim(std::string_view(end, v.data() + v.size()));
  if (unit.empty() || iequals(unit, "km/h") || iequals(unit, "kmh") ||
      iequals(unit, "kph")) {
    return number;
  }
  if (iequals(unit, "mph")) return number * kKmhPerMph;
  return std::nullopt;
}

enum class Access { kUnset, kAllowed, kDenied };

Access access_of(std::string_view v) {
  if (v.empty()) return Access::kUnset;
  for (std::string_view ok : {"yes", "destination", "permissive", "designated",
                              "delivery", "customers"}) {
    if (v == ok) return Access::kAllowed;
  }
  return Access::kDenied;  // no, private, agricultural, forestry, psv, ...
}

// The most specific access tag that is set decides.
Access car_access(const WayTags& t) {
  for (std::string_view v :
       {t.motorcar, t.motor_vehicle, t.vehicle, t.access}) {
    Access a = access_of(v);
    if (a != Access::kUnset) return a;
  }
  return Access::kUnset;
}

// Returns nullopt for ways that may be driven in neither direction.
std::optional<Direction> direction_of(const WayTags& t) {
  std::string_view o = t.oneway;
  if (o == "yes" || o == "true" || o == "1") return Direction::kForward;
  if (o == "-1" || o == "reverse") return Direction::kBackward;
  if (o == "reversible" || o == "alternating") return std::nullopt;
  if (o == "no" || o == "false" || o == "0") return Direction::kBoth;
  if (t.highway == "motorway" || t.highway == "motorway_link" ||
      t.junction == "roundabout" || t.junction == "circular") {
    return Direction::kForward;
  }
  return Direction::kBoth;
}

}  // namespace

std::optional<double> default_speed_kmh(std::string_view highway) {
  for (const ClassSpeed& c : kClassSpeeds) {
    if (c.highway == highway) return c.speed_kmh;
  }
  return std::nullopt;
}

std::optional<double> parse_maxspeed_kmh(std::string_view value) {
  std::optional<double> lowest;
  while (!value.empty()) {
    size_t semi = value.find(';');
    std::optional<double> v = parse_one_maxspeed(value.substr(0, semi));
    if (v && (!lowest || *v < *lowest)) lowest = v;
    if (semi == std::string_view::npos) break;
    value.remove_prefix(semi + 1);
  }
  return lowest;
}

std::optional<CarWay> car_way(const WayTags& tags) {
  std::optional<double> class_speed = default_speed_kmh(tags.highway);
  if (!class_speed || tags.area == "yes") return std::nullopt;
  Access access = car_access(tags);
  if (access == Access::kDenied) return std::nullopt;
  std::optional<Direction> direction = direction_of(tags);
  if (!direction) return std::nullopt;
  CarWay way;
  way.speed_kmh = parse_maxspeed_kmh(tags.maxspeed).value_or(*class_speed);
  way.direction = *direction;
  return way;
}

}  // namespace cocity::roads
