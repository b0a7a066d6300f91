// A collection day and a savings report on the Kaiserslautern road network
// (a driver program): 300 containers with random fill rates (0.03-0.15 per
// day) and levels, a depot, a disposal site, 5 trucks of 10 m3.
//
//   waste_plan_bench [--osm FILE] [--containers N] [--trucks N]
//                    [--time-limit S] [--days N] [--seed N]
//                    [--prize METRES] [--may-level L]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "apps/waste/plan.h"
#include "apps/waste/savings.h"
#include "roads/ch.h"
#include "roads/osm_reader.h"

namespace {

using namespace cocity;
using namespace cocity::apps::waste;

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

PlanRequest scenario(const roads::Graph& g, int containers, int trucks,
                     uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> node(0, g.node_count() - 1);
  std::uniform_real_distribution<double> u(0, 1);
  PlanRequest r;
  r.day_start = *parse_iso_date("2026-11-23");  // a Monday
  r.depots.push_back({"D1", g.coords[node(rng)]});
  r.disposal_sites.push_back(
      {"S1", g.coords[node(rng)], 5 * 3600, 20 * 3600, 600});
  for (int t = 0; t < trucks; ++t) {
    r.trucks.push_back({"T" + std::to_string(t + 1), "D1", 10000, 6 * 3600,
                        14 * 3600, 7 * 3600});
  }
  for (int i = 0; i < containers; ++i) {
    Container c;
    c.id = "c" + std::to_string(i);
    c.location = g.coords[node(rng)];
    c.volume_l = i % 3 == 0 ? 240 : 1100;
    c.level = u(rng) * 0.7;
    c.level_time = r.day_start;
    c.model = flat_model(0.03 + 0.12 * u(rng), 0.7, 1.3);
    r.containers.push_back(std::move(c));
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string osm = std::string(COCITY_DEFAULT_SOURCE_DIR) +
                    "/../shared/data/osm/kaiserslautern.osm.gz";
  int containers = 300, trucks = 5, days = 14;
  double time_limit = 5, prize_m = 4000, may_level = 0.5;
  uint32_t seed = 42;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    std::string v = argv[i + 1];
    if (a == "--osm")
      osm = v;
    else if (a == "--containers")
      containers = std::atoi(v.c_str());
    else if (a == "--trucks")
      trucks = std::atoi(v.c_str());
    else if (a == "--time-limit")
      time_limit = std::atof(v.c_str());
    else if (a == "--days")
      days = std::atoi(v.c_str());
    else if (a == "--seed")
      seed = uint32_t(std::atoi(v.c_str()));
    else if (a == "--prize")
      prize_m = std::atof(v.c_str());
    else if (a == "--may-level")
      may_level = std::atof(v.c_str());
  }
  auto t0 = std::chrono::steady_clock::now();
  auto g = roads::build_graph_from_file(osm);
  if (!g) {
    std::fprintf(stderr, "%s\n", g.error().detail.c_str());
    return 1;
  }
  auto network = std::make_shared<roads::RoadNetwork>();
  network->ch = roads::contract(*g);
  network->graph = std::move(*g);
  RoadIndex index(network);
  std::printf("graph: %zu nodes, built and contracted in %.2f s\n",
              network->graph.node_count(), since(t0));

  auto req = scenario(network->graph, containers, trucks, seed);
  req.time_limit_s = time_limit;
  req.policy.prize_m = prize_m;
  req.policy.may_level = may_level;
  auto t1 = std::chrono::steady_clock::now();
  auto plan = make_plan(req, index);
  if (!plan) {
    std::fprintf(stderr, "plan: %s\n", plan.error().detail.c_str());
    return 1;
  }
  std::printf(
      "plan: %d containers (%d must, %d may offered), %zu routes, "
      "%.1f km, %.2f h, %.2f s (solver %.2f s)\n",
      plan->collected, plan->must, plan->may, plan->routes.size(),
      plan->distance_m / 1000, plan->duration_s / 3600, since(t1),
      plan->solve_s);

  SavingsRequest sr;
  sr.base = req;
  sr.base.time_limit_s = 1;
  sr.days = days;
  sr.seed = seed;
  auto t2 = std::chrono::steady_clock::now();
  auto report = compare_strategies(sr, index);
  if (!report) {
    std::fprintf(stderr, "savings: %s\n", report.error().detail.c_str());
    return 1;
  }
  std::printf("savings over %d days (%.1f s):\n", days, since(t2));
  for (auto [name, f] : {std::pair{"weekly", report->weekly},
                         std::pair{"sensor", report->sensor}}) {
    std::printf(
        "  %-7s collections %4d  km %7.1f  hours %6.2f  "
        "overflow events %4d  truck-days %3d  infeasible days %d\n",
        name, f.collections, f.distance_km, f.duration_h, f.overflow_events,
        f.routes, f.infeasible_days);
  }
  return 0;
}
