#include "roads/car_profile.h"

#include <gtest/gtest.h>

namespace cocity::roads {
namespace {

TEST(CarProfileTest, ClassDefaults) {
  EXPECT_EQ(default_speed_kmh("motorway"), 120);
  EXPECT_EQ(default_speed_kmh("residential"), 30);
  EXPECT_EQ(default_speed_kmh("living_street"), 7);
  EXPECT_EQ(default_speed_kmh("service"), 15);
  EXPECT_FALSE(default_speed_kmh("footway"));
  EXPECT_FALSE(default_speed_kmh("cycleway"));
  EXPECT_FALSE(default_speed_kmh(""));
}

TEST(CarProfileTest, ParsesMaxspeed) {
  EXPECT_EQ(parse_maxspeed_kmh("50"), 50);
  EXPECT_EQ(parse_maxspeed_kmh(" 70 km/h"), 70);
  EXPECT_NEAR(*parse_maxspeed_kmh("30 mph"), 48.28, 0.01);
  EXPECT_EQ(parse_maxspeed_kmh("DE:urban"), 50);
  EXPECT_EQ(parse_maxspeed_kmh("DE:rural"), 100);
  EXPECT_EQ(parse_maxspeed_kmh("DE:zone30"), 30);
  EXPECT_EQ(parse_maxspeed_kmh("DE:living_street"), 7);
  EXPECT_EQ(parse_maxspeed_kmh("walk"), 7);
  EXPECT_EQ(parse_maxspeed_kmh("50;30"), 30);
  EXPECT_FALSE(parse_maxspeed_kmh("none"));
  EXPECT_FALSE(parse_maxspeed_kmh("signals"));
  EXPECT_FALSE(parse_maxspeed_kmh("fast"));
  EXPECT_FALSE(parse_maxspeed_kmh("-5"));
  EXPECT_FALSE(parse_maxspeed_kmh("30 knots"));
  EXPECT_FALSE(parse_maxspeed_kmh(""));
}

TEST(CarProfileTest, MaxspeedOverridesClassDefault) {
  EXPECT_EQ(car_way({.highway = "residential", .maxspeed = "50"})->speed_kmh,
            50);
  EXPECT_EQ(car_way({.highway = "motorway", .maxspeed = "none"})->speed_kmh,
            120);
}

TEST(CarProfileTest, Oneway) {
  EXPECT_EQ(car_way({.highway = "residential"})->direction, Direction::kBoth);
  EXPECT_EQ(car_way({.highway = "residential", .oneway = "yes"})->direction,
            Direction::kForward);
  EXPECT_EQ(car_way({.highway = "residential", .oneway = "-1"})->direction,
            Direction::kBackward);
  EXPECT_EQ(car_way({.highway = "motorway"})->direction, Direction::kForward);
  EXPECT_EQ(
      car_way({.highway = "tertiary", .junction = "roundabout"})->direction,
      Direction::kForward);
  EXPECT_EQ(car_way({.highway = "motorway", .oneway = "no"})->direction,
            Direction::kBoth);
  EXPECT_FALSE(car_way({.highway = "primary", .oneway = "reversible"}));
}

TEST(CarProfileTest, Access) {
  EXPECT_FALSE(car_way({.highway = "footway"}));
  EXPECT_FALSE(car_way({.highway = "pedestrian"}));
  EXPECT_FALSE(car_way({.highway = "steps"}));
  EXPECT_FALSE(car_way({.highway = "service", .access = "private"}));
  EXPECT_FALSE(car_way({.highway = "track", .motor_vehicle = "agricultural"}));
  EXPECT_FALSE(car_way({.highway = "residential", .motor_vehicle = "no"}));
  EXPECT_FALSE(car_way({.highway = "service", .area = "yes"}));
  EXPECT_TRUE(car_way({.highway = "residential", .access = "destination"}));
  EXPECT_TRUE(car_way({.highway = "track"}));
  // The most specific tag decides.
  EXPECT_TRUE(
      car_way({.highway = "service", .access = "no", .motorcar = "yes"}));
  EXPECT_FALSE(car_way(
      {.highway = "service", .access = "yes", .motor_vehicle = "private"}));
}

}  // namespace
}  // namespace cocity::roads
