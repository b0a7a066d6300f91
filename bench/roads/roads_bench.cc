// Road graph benchmark driver.
//
//   roads_bench [OSM_FILE] [--points N]
//
// Default file: ../shared/data/osm/kaiserslautern.osm.gz next to the
// repository. Prints one line per phase: wall time and peak resident memory
// (VmHWM from /proc/self/status, monotone over the run).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "roads/ch.h"
#include "roads/ch_query.h"
#include "roads/graph_file.h"
#include "roads/matrix.h"
#include "roads/osm_reader.h"
#include "roads/snapping.h"

namespace {

using Clock = std::chrono::steady_clock;
using cocity::roads::LatLon;
using cocity::roads::Snap;

long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void report(const char* phase, double seconds, const std::string& extra) {
  std::printf("%-28s %9.3f s  peak RSS %7.1f MB  %s\n", phase, seconds,
              peak_rss_kb() / 1024.0, extra.c_str());
}

// Points near random graph nodes (jittered by up to ~100 m), snapped.
std::vector<Snap> random_snaps(const cocity::roads::Graph& g,
                               const cocity::roads::SnapIndex& index,
                               size_t count, std::mt19937_64* rng) {
  std::uniform_int_distribution<size_t> node(0, g.node_count() - 1);
  std::uniform_real_distribution<double> jitter(-0.001, 0.001);
  std::vector<Snap> snaps;
  while (snaps.size() < count) {
    LatLon p = g.coords[node(*rng)];
    p.lat += jitter(*rng);
    p.lon += jitter(*rng);
    if (auto s = index.snap(p)) snaps.push_back(*s);
  }
  return snaps;
}

void bench_matrix(const cocity::roads::Graph& g,
                  const cocity::roads::ContractedGraph& ch,
                  const std::vector<Snap>& a, const std::vector<Snap>& b,
                  size_t threads) {
  auto start = Clock::now();
  auto m = cocity::roads::duration_distance_matrix(g, ch, a, b,
                                                   {.threads = threads});
  double s = seconds_since(start);
  if (!m) {
    std::fprintf(stderr, "%s\n", m.error().detail.c_str());
    return;
  }
  size_t reachable = 0;
  double sum_s = 0;
  for (size_t i = 0; i < m->sources; ++i) {
    for (size_t j = 0; j < m->targets; ++j) {
      if (m->reachable(i, j)) ++reachable, sum_s += m->duration(i, j);
    }
  }
  std::string name = "matrix " + std::to_string(a.size()) + "x" +
                     std::to_string(b.size()) + " (" + std::to_string(threads) +
                     " thr)";
  report(name.c_str(), s,
         std::to_string(reachable) + " reachable, mean " +
             std::to_string(sum_s / std::max<size_t>(reachable, 1)) + " s");
}

void bench_routes(const cocity::roads::Graph& g,
                  const cocity::roads::ContractedGraph& ch,
                  const std::vector<Snap>& a, const std::vector<Snap>& b) {
  auto start = Clock::now();
  cocity::roads::ChRouter router(g, ch);
  size_t points = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (auto r = router.route(a[i], b[i])) points += r->geometry.size();
  }
  report("routes with geometry", seconds_since(start),
         std::to_string(a.size()) + " routes, " + std::to_string(points) +
             " points");
}

void bench_file(const cocity::roads::RoadNetwork& net) {
  std::string file = "/tmp/roads_bench.graph";
  auto start = Clock::now();
  if (auto s = cocity::roads::write_road_network(net, file); !s) {
    std::fprintf(stderr, "%s\n", s.error().detail.c_str());
    return;
  }
  report("write graph file", seconds_since(start), file);
  start = Clock::now();
  auto loaded = cocity::roads::read_road_network(file);
  report("read + validate graph file", seconds_since(start),
         loaded ? "ok" : loaded.error().detail);
  std::remove(file.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = std::string(COCITY_SOURCE_DIR) +
                     "/../shared/data/osm/kaiserslautern.osm.gz";
  size_t points = 1000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--points" && i + 1 < argc) {
      points = std::strtoul(argv[++i], nullptr, 10);
    } else {
      path = arg;
    }
  }

  auto start = Clock::now();
  auto graph = cocity::roads::build_graph_from_file(path);
  if (!graph) {
    std::fprintf(stderr, "%s\n", graph.error().detail.c_str());
    return 1;
  }
  report("graph build (OSM -> SCC)", seconds_since(start),
         std::to_string(graph->node_count()) + " nodes, " +
             std::to_string(graph->edge_count()) + " edges");

  start = Clock::now();
  cocity::roads::ContractedGraph ch = cocity::roads::contract(*graph);
  report("contraction hierarchy", seconds_since(start),
         std::to_string(ch.shortcut_count()) + " shortcuts");

  start = Clock::now();
  cocity::roads::SnapIndex index(*graph);
  std::mt19937_64 rng(42);
  std::vector<Snap> a = random_snaps(*graph, index, points, &rng);
  std::vector<Snap> b = random_snaps(*graph, index, points, &rng);
  report("snap index + points", seconds_since(start),
         std::to_string(2 * points) + " points");

  bench_matrix(*graph, ch, a, b, 1);
  bench_matrix(*graph, ch, a, b, 2);
  bench_routes(*graph, ch, a, b);
  bench_file({std::move(*graph), std::move(ch)});
  return 0;
}
