// An independent check of a waste collection plan in its JSON form (the
// API's output): it recomputes every leg with the road graph's own
// distance provider (not the plan's matrix) and checks capacities, shifts,
// maximum durations, disposal visits, stop times, and that every must
// container is served exactly once. Used by the unit and end-to-end tests.
//
// REQUIRES: the scenario's containers do not fill during the day
// (fill rate 0, read at the day's start), so a container's load is
// ceil(level * volume_l), known without the forecast.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "roads/distance_provider.h"

namespace cocity::apps::waste::testing {

struct CheckContainer {
  roads::LatLon location;
  double level = 0;
  double volume_l = 0;
};

struct CheckTruck {
  roads::LatLon depot;
  double capacity_l = 0;
  int64_t shift_start_s = 0;
  int64_t shift_end_s = 0;
  int64_t max_duration_s = 0;
};

struct CheckSite {
  roads::LatLon location;
  int64_t open_s = 0;
  int64_t close_s = 0;
  int64_t unload_s = 0;
};

struct Scenario {
  std::map<std::string, CheckContainer> containers;
  std::map<std::string, CheckTruck> trucks;
  std::map<std::string, CheckSite> sites;
  double threshold = 0.8;
  double may_level = 0.5;
  int64_t service_s = 60;
};

inline roads::LatLon lat_lon(const json::value& v) {
  return {v.at(1).to_number<double>(), v.at(0).to_number<double>()};
}

inline int64_t num(const json::value& v) {
  return int64_t(std::llround(v.to_number<double>()));
}

// Checks one route; adds its containers to `served`.
inline void check_route(const json::object& r, const Scenario& sc,
                        const roads::DistanceProvider& roads,
                        std::multiset<std::string>* served) {
  std::string truck_id(r.at("truck").as_string());
  SCOPED_TRACE("truck " + truck_id);
  ASSERT_TRUE(sc.trucks.contains(truck_id));
  const auto& truck = sc.trucks.at(truck_id);
  int64_t depart = num(r.at("depart_s"));
  int64_t ret = num(r.at("return_s"));
  EXPECT_GE(depart, truck.shift_start_s);
  EXPECT_LE(ret, truck.shift_end_s);
  EXPECT_LE(ret - depart, truck.max_duration_s);
  // Every leg, recomputed on the road graph.
  std::vector<roads::LatLon> points{truck.depot};
  const auto& stops = r.at("stops").as_array();
  for (const auto& s : stops) points.push_back(lat_lon(s.at("location")));
  points.push_back(truck.depot);
  auto m = roads.matrix(points, points);
  ASSERT_TRUE(m) << m.error().detail;
  int64_t time = depart;
  double load = 0;
  double distance = 0;
  int containers = 0;
  for (size_t i = 0; i < stops.size(); ++i) {
    const auto& s = stops[i].as_object();
    std::string id(s.at("id").as_string());
    SCOPED_TRACE("stop " + std::to_string(i) + " " + id);
    double leg_s = m->duration(i, i + 1);
    double leg_m = m->distance(i, i + 1);
    int64_t arrival = num(s.at("arrival_s"));
    EXPECT_NEAR(double(arrival - time), leg_s, 1.0);
    EXPECT_NEAR(s.at("distance_m").to_number<double>(), leg_m, 1.5);
    distance += leg_m;
    int64_t start = num(s.at("start_s"));
    EXPECT_GE(start, arrival);
    if (s.at("type") == "container") {
      ASSERT_TRUE(sc.containers.contains(id));
      const auto& c = sc.containers.at(id);
      EXPECT_GE(c.level, sc.may_level);
      EXPECT_EQ(s.at("must").as_bool(), c.level >= sc.threshold);
      EXPECT_EQ(num(s.at("departure_s")) - start, sc.service_s);
      load += std::ceil(c.level * c.volume_l - 1e-9);
      EXPECT_LE(load, truck.capacity_l);
      served->insert(id);
      ++containers;
    } else {
      ASSERT_TRUE(sc.sites.contains(id));
      const auto& site = sc.sites.at(id);
      EXPECT_GE(start, site.open_s);
      EXPECT_LE(start, site.close_s);
      EXPECT_EQ(num(s.at("departure_s")) - start, site.unload_s);
      EXPECT_GT(load, 0) << "a disposal visit with an empty truck";
      load = 0;
    }
    EXPECT_NEAR(s.at("load_l").to_number<double>(), load, 1e-6);
    time = num(s.at("departure_s"));
  }
  if (!sc.sites.empty() && containers > 0) {
    EXPECT_EQ(load, 0) << "the truck returns loaded";
  }
  double back_s = m->duration(stops.size(), stops.size() + 1);
  EXPECT_NEAR(double(ret - time), back_s, 1.0);
  distance += m->distance(stops.size(), stops.size() + 1);
  EXPECT_NEAR(r.at("distance_m").to_number<double>(), distance,
              1.0 + 1.5 * double(stops.size()));
  EXPECT_EQ(num(r.at("containers")), containers);
  const auto& g = r.at("geometry").as_object();
  EXPECT_EQ(g.at("type"), "LineString");
  const auto& coords = g.at("coordinates").as_array();
  ASSERT_GE(coords.size(), 2u);
  EXPECT_LT(roads::distance_m(lat_lon(coords.front()), truck.depot), 1000);
  EXPECT_LT(roads::distance_m(lat_lon(coords.back()), truck.depot), 1000);
}

// Checks the whole plan; returns the number of containers served.
inline size_t check_plan(const json::object& plan, const Scenario& sc,
                         const roads::DistanceProvider& roads) {
  std::multiset<std::string> served;
  std::set<std::string> trucks;
  for (const auto& r : plan.at("routes").as_array()) {
    std::string t(r.at("truck").as_string());
    EXPECT_TRUE(trucks.insert(t).second) << "truck " << t << " used twice";
    check_route(r.as_object(), sc, roads, &served);
  }
  for (const auto& [id, c] : sc.containers) {
    EXPECT_LE(served.count(id), 1u) << id << " served twice";
    if (c.level >= sc.threshold) {
      EXPECT_EQ(served.count(id), 1u) << "must container " << id;
    }
  }
  EXPECT_EQ(num(plan.at("totals").at("containers")), int64_t(served.size()));
  return served.size();
}

}  // namespace cocity::apps::waste::testing
