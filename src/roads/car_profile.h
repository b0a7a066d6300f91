// Which OSM ways a car may drive, in which direction, and how fast.
//
// The profile is a pure function of a way's tags, so it is tested without
// any OSM file. Rules (German defaults, documented in docs/roads.md):
//  - highway classes not in the speed table (footway, cycleway, path,
//    steps, pedestrian, bridleway, construction, proposed, ...) are not
//    routable; neither is area=yes.
//  - access: the most specific of motorcar, motor_vehicle, vehicle, access
//    that is present decides; no, private, agricultural, forestry,
//    emergency, psv, bus and unknown-to-cars values exclude the way;
//    yes, destination, permissive, designated, delivery, customers allow it.
//    highway=track is routable only without such a restriction.
//  - speed: a parsed maxspeed if present, else the class default.
//  - oneway: yes/true/1 and -1/reverse; implied by motorway,
//    motorway_link and junction=roundabout/circular; oneway=no overrides
//    the implication; reversible/alternating ways are left out.
// Turn restrictions are not modelled.
#pragma once

#include <optional>
#include <string_view>

namespace cocity::roads {

// The tag values the profile reads; empty when a tag is absent. Views must
// stay valid for the duration of the call only.
struct WayTags {
  std::string_view highway = {};
  std::string_view maxspeed = {};
  std::string_view oneway = {};
  std::string_view junction = {};
  std::string_view access = {};
  std::string_view vehicle = {};
  std::string_view motor_vehicle = {};
  std::string_view motorcar = {};
  std::string_view area = {};
};

enum class Direction {
  kBoth,      // two-way road
  kForward,   // only in the order of the way's nodes
  kBackward,  // only against it (oneway=-1)
};

struct CarWay {
  double speed_kmh = 0;
  Direction direction = Direction::kBoth;
};

// The car attributes of a way, or nullopt if cars may not use it.
std::optional<CarWay> car_way(const WayTags& tags);

// The default speed of a highway class in km/h, nullopt when the class is
// not for cars.
std::optional<double> default_speed_kmh(std::string_view highway);

// Parses an OSM maxspeed value: "50", "50 km/h", "30 mph", "DE:urban",
// "DE:rural", "DE:zone30", "DE:living_street", "walk", several values
// separated by ';' (the lowest wins). nullopt for "none", "signals",
// "variable" and anything unparseable: the caller then uses the class
// default.
std::optional<double> parse_maxspeed_kmh(std::string_view value);

}  // namespace cocity::roads
