// A synthetic collection day on a real road graph, for the plan tests:
// containers placed next to random road nodes with random levels (not
// filling during the day), trucks at one depot, one disposal site. Gives
// the API request body and the Scenario the checker needs.
#pragma once

#include <random>
#include <string>

#include "core/json.h"
#include "plan_check.h"
#include "roads/graph.h"

namespace cocity::apps::waste::testing {

struct Day {
  json::object body;  // POST /api/v1/waste/plans, with inline containers
  json::array containers;
  Scenario scenario;
};

inline json::array lon_lat_json(roads::LatLon p) {
  return json::array{p.lon, p.lat};
}

inline std::string clock(int64_t s) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", int(s / 3600), int(s / 60 % 60));
  return buf;
}

inline Day make_day(const roads::Graph& g, int containers, int trucks,
                    double capacity_l, uint32_t seed = 42) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> node(0, g.node_count() - 1);
  std::uniform_real_distribution<double> level(0, 1);
  std::uniform_real_distribution<double> jitter(-0.0001, 0.0001);
  Day d;
  Scenario& sc = d.scenario;
  roads::LatLon depot = g.coords[node(rng)];
  roads::LatLon site = g.coords[node(rng)];
  sc.sites["S1"] = {site, 5 * 3600, 20 * 3600, 600};
  json::array fleet;
  for (int t = 0; t < trucks; ++t) {
    std::string id = "T" + std::to_string(t + 1);
    int64_t start = 6 * 3600 + t * 900;
    sc.trucks[id] = {depot, capacity_l, start, start + 8 * 3600, 7 * 3600};
    fleet.push_back(json::object{
        {"id", id},
        {"depot", "D1"},
        {"capacity_l", capacity_l},
        {"shift", json::array{clock(start), clock(start + 8 * 3600)}},
        {"max_duration_s", 7 * 3600}});
  }
  for (int i = 0; i < containers; ++i) {
    roads::LatLon p = g.coords[node(rng)];
    p.lat += jitter(rng);
    p.lon += jitter(rng);
    double l = std::round(level(rng) * 100) / 100;
    double volume = i % 3 == 0 ? 240 : 1100;
    std::string id = "urn:ngsi-ld:WasteContainer:c" + std::to_string(i);
    sc.containers[id] = {p, l, volume};
    d.containers.push_back(json::object{{"id", id},
                                        {"location", lon_lat_json(p)},
                                        {"level", l},
                                        {"volume_l", volume}});
  }
  d.body = json::object{
      {"date", "2026-11-25"},
      {"fleet", fleet},
      {"depots", json::array{json::object{{"id", "D1"},
                                          {"location", lon_lat_json(depot)}}}},
      {"disposal_sites",
       json::array{json::object{{"id", "S1"},
                                {"location", lon_lat_json(site)},
                                {"open", "05:00"},
                                {"close", "20:00"},
                                {"unload_s", 600}}}},
      {"policy", json::object{{"threshold", sc.threshold},
                              {"may_level", sc.may_level},
                              {"service_s", sc.service_s},
                              {"default_fill_rate_per_day", 0}}},
      {"time_limit_s", 1}};
  return d;
}

}  // namespace cocity::apps::waste::testing
