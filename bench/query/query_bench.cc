// query_bench: query latency at 1M stored entities (bench/README.md,
// "Queries").
//
// Loads --entities WasteContainer entities (a Point location spread over a
// 20 km x 20 km city around Kaiserslautern, fillingLevel uniform in [0, 1),
// wasteType one of 4 strings) into a fresh SQLite store, then measures, as
// the query handler runs them (store index select, bodies read, q evaluated
// on them; count=true):
//   1. type + q returning ~100 entities (fillingLevel>0.9999, limit 100);
//   2. geoQ near;maxDistance==500 at random points (limit 100);
//   3. geoQ within a 200-vertex polygon of ~1 km radius (limit 100);
// each also without count (the page only); the resident memory of the
// loaded store, and the time to reopen it (start-up: the index rebuilt from
// the database).
//
// Usage: query_bench [--dir D] [--entities N] [--runs R] [--index-all 1]
//                    [--reuse 1]
//   --reuse 1      query the data an earlier run left in --dir
//   --index-all 1  the value index covers every attribute (default: the
//                  configured default list, which has fillingLevel and
//                  wasteType but not temperature)
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "ngsi/context.h"
#include "ngsi/geo_query.h"
#include "ngsi/query_eval.h"
#include "ngsi/query_parser.h"
#include "store/store.h"

namespace {

using namespace cocity;
using SteadyClock = std::chrono::steady_clock;

constexpr double kLon = 7.6, kLat = 49.35;          // south-west corner
constexpr double kSpanLon = 0.28, kSpanLat = 0.18;  // ~20 km x 20 km

struct Flags {
  std::string dir = "query-bench-data";
  uint64_t entities = 1'000'000;
  int runs = 200;
  bool index_all = false;
  bool reuse = false;  // keep the data of an earlier run, skip loading
};

// CPU time of this thread: what a query costs, independent of how many
// other processes share the cores.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double rss_mb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  }
  return 0;
}

ngsi::Entity container(uint64_t i, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  static const char* kinds[] = {"paper", "glass", "organic", "residual"};
  const std::string base = "https://uri.etsi.org/ngsi-ld/default-context/";
  ngsi::Entity e;
  char id[64];
  std::snprintf(id, sizeof id, "urn:ngsi-ld:WasteContainer:%08llu",
                (unsigned long long)i);
  e.id = id;
  e.types = {base + "WasteContainer"};
  json::object loc{{"type", "GeoProperty"}};
  loc["value"] = json::object{
      {"type", "Point"},
      {"coordinates",
       json::array{kLon + u(rng) * kSpanLon, kLat + u(rng) * kSpanLat}}};
  e.attrs[std::string(ngsi::kLocationIri)] = json::array{loc};
  e.attrs[base + "fillingLevel"] =
      json::array{json::object{{"type", "Property"}, {"value", u(rng)}}};
  e.attrs[base + "wasteType"] =
      json::array{json::object{{"type", "Property"}, {"value", kinds[i % 4]}}};
  e.attrs[base + "temperature"] = json::array{
      json::object{{"type", "Property"}, {"value", 5 + 20 * u(rng)}}};
  return e;
}

void load(store::TenantStore& t, const Flags& flags) {
  auto start = SteadyClock::now();
  std::mt19937_64 rng(42);
  for (uint64_t first = 0; first < flags.entities; first += 10'000) {
    std::vector<store::WriteOp> ops;
    uint64_t last = std::min(flags.entities, first + 10'000);
    for (uint64_t i = first; i < last; ++i) {
      auto e = std::make_shared<ngsi::Entity>(container(i, rng));
      std::string id = e->id;
      ops.push_back({id, [e](ngsi::Entity*) -> Result<store::Change> {
                       store::Change c;
                       c.kind = store::Change::Kind::kPut;
                       c.entity = std::move(*e);
                       return c;
                     }});
    }
    std::promise<void> done;
    t.write(std::move(ops), [&done](std::vector<Status>) { done.set_value(); });
    done.get_future().wait();
  }
  double s = std::chrono::duration<double>(SteadyClock::now() - start).count();
  std::printf("loaded %llu entities in %.1f s\n",
              (unsigned long long)flags.entities, s);
}

// What the query handler does: index select, bodies, q on them, count.
uint64_t run_query(store::TenantStore& t, const store::EntitySelector& sel,
                   const ngsi::Query* q, uint64_t limit) {
  if (!q) {
    auto page = t.find(sel, 0, limit);
    return page ? page->total : 0;
  }
  uint64_t total = 0;
  bool count = sel.count;
  store::EntitySelector chunk_sel = sel;
  chunk_sel.count = false;
  for (;;) {
    auto chunk = t.find(chunk_sel, 0, 1000);
    if (!chunk || chunk->entities.empty()) break;
    for (const auto& e : chunk->entities) total += ngsi::evaluate(*q, e);
    chunk_sel.after_id = chunk->entities.back().id;
    if (!count && total >= limit) break;
    if (chunk->total <= 1000) break;
  }
  return total;
}

template <typename MakeSelector>
void measure(const char* name, store::TenantStore& t, int runs,
             MakeSelector make, const ngsi::Query* q, uint64_t limit = 100,
             bool count = true) {
  std::vector<double> ms, cpu_ms;
  uint64_t results = 0;
  std::mt19937_64 rng(7);
  for (int r = 0; r < runs; ++r) {
    store::EntitySelector sel = make(rng);
    sel.count = count;
    double cpu0 = thread_cpu_ms();
    auto start = SteadyClock::now();
    results += run_query(t, sel, q, limit);
    ms.push_back(
        std::chrono::duration<double, std::milli>(SteadyClock::now() - start)
            .count());
    cpu_ms.push_back(thread_cpu_ms() - cpu0);
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu_ms.begin(), cpu_ms.end());
  std::printf(
      "%-44s wall p50 %6.2f p99 %6.2f ms | cpu p50 %6.2f p99 %6.2f ms "
      "(mean %.0f matches)\n",
      name, ms[ms.size() / 2], ms[ms.size() * 99 / 100], cpu_ms[ms.size() / 2],
      cpu_ms[ms.size() * 99 / 100], double(results) / runs);
}

ngsi::GeoQueryText near_text(double lon, double lat) {
  return {"near;maxDistance==500", "Point", json::array{lon, lat}, ""};
}

ngsi::GeoQueryText district_text(double lon, double lat) {
  json::array ring;
  for (int i = 0; i <= 200; ++i) {
    double a = 2 * std::numbers::pi * (i % 200) / 200;
    double r = 0.009 * (1 + 0.2 * std::sin(5 * a));  // ~1 km, not convex
    ring.push_back(
        json::array{lon + r * std::cos(a) / 0.65, lat + r * std::sin(a)});
  }
  return {"within", "Polygon", json::array{ring}, ""};
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--dir")) flags.dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--entities"))
      flags.entities = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) flags.runs = std::stoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--reuse"))
      flags.reuse = std::strcmp(argv[i + 1], "0") != 0;
    if (!std::strcmp(argv[i], "--index-all"))
      flags.index_all = std::strcmp(argv[i + 1], "0") != 0;
  }
  if (!flags.reuse) std::filesystem::remove_all(flags.dir);
  store::StoreOptions options;
  options.data_dir = flags.dir;
  if (flags.index_all) options.indexed_attributes.all = true;
  double rss0 = rss_mb();
  if (!flags.reuse) {
    auto s = store::open_sqlite_store(options);
    if (!s) {
      std::fprintf(stderr, "open: %s\n", s.error().detail.c_str());
      return 1;
    }
    load(**(*s)->tenant("bench", true), flags);
    std::printf("resident memory after load: %.0f MB (+%.0f MB)\n", rss_mb(),
                rss_mb() - rss0);
    (*s)->close();
  }
  // Start-up: reopen the tenant, which rebuilds the index from the file.
  double rss1 = rss_mb();
  auto reopen = SteadyClock::now();
  auto s = store::open_sqlite_store(options);
  if (!s) return 1;
  auto t = *(*s)->tenant("bench", false);
  std::printf(
      "reopened (index rebuilt) in %.2f s, +%.0f MB resident\n",
      std::chrono::duration<double>(SteadyClock::now() - reopen).count(),
      rss_mb() - rss1);

  const auto& ctx = *ngsi::Context::core();
  const std::string type = ctx.expand("WasteContainer");
  auto q = std::make_shared<const ngsi::Query>(
      *ngsi::parse_query("fillingLevel>0.9999", ctx));
  measure(
      "type + q (fillingLevel>0.9999), limit 100", *t, flags.runs,
      [&](std::mt19937_64&) {
        store::EntitySelector sel;
        sel.types = {type};
        sel.q_hint = q;
        return sel;
      },
      q.get());
  std::uniform_real_distribution<double> u(0.1, 0.9);
  measure(
      "geoQ near;maxDistance==500 Point, limit 100", *t, flags.runs,
      [&](std::mt19937_64& rng) {
        store::EntitySelector sel;
        sel.geo = std::make_shared<const ngsi::GeoQuery>(*ngsi::parse_geo_query(
            near_text(kLon + u(rng) * kSpanLon, kLat + u(rng) * kSpanLat),
            ctx));
        return sel;
      },
      nullptr);
  measure(
      "geoQ within 200-vertex polygon, limit 100", *t, flags.runs,
      [&](std::mt19937_64& rng) {
        store::EntitySelector sel;
        sel.types = {type};
        sel.geo = std::make_shared<const ngsi::GeoQuery>(*ngsi::parse_geo_query(
            district_text(kLon + u(rng) * kSpanLon, kLat + u(rng) * kSpanLat),
            ctx));
        return sel;
      },
      nullptr);
  measure(
      "  the same, index only (limit 0, count)", *t, flags.runs,
      [&](std::mt19937_64& rng) {
        store::EntitySelector sel;
        sel.types = {type};
        sel.geo = std::make_shared<const ngsi::GeoQuery>(*ngsi::parse_geo_query(
            district_text(kLon + u(rng) * kSpanLon, kLat + u(rng) * kSpanLat),
            ctx));
        return sel;
      },
      nullptr, 0);
  measure(
      "geoQ near 500 m, index only (limit 0, count)", *t, flags.runs,
      [&](std::mt19937_64& rng) {
        store::EntitySelector sel;
        sel.geo = std::make_shared<const ngsi::GeoQuery>(*ngsi::parse_geo_query(
            near_text(kLon + u(rng) * kSpanLon, kLat + u(rng) * kSpanLat),
            ctx));
        return sel;
      },
      nullptr, 0);
  measure(
      "type + q, limit 100, no count", *t, flags.runs,
      [&](std::mt19937_64&) {
        store::EntitySelector sel;
        sel.types = {type};
        sel.q_hint = q;
        return sel;
      },
      q.get(), 100, false);
  measure(
      "geoQ near 500 m, limit 100, no count", *t, flags.runs,
      [&](std::mt19937_64& rng) {
        store::EntitySelector sel;
        sel.geo = std::make_shared<const ngsi::GeoQuery>(*ngsi::parse_geo_query(
            near_text(kLon + u(rng) * kSpanLon, kLat + u(rng) * kSpanLat),
            ctx));
        return sel;
      },
      nullptr, 100, false);
  measure(
      "geoQ within polygon, limit 100, no count", *t, flags.runs,
      [&](std::mt19937_64& rng) {
        store::EntitySelector sel;
        sel.types = {type};
        sel.geo = std::make_shared<const ngsi::GeoQuery>(*ngsi::parse_geo_query(
            district_text(kLon + u(rng) * kSpanLon, kLat + u(rng) * kSpanLat),
            ctx));
        return sel;
      },
      nullptr, 100, false);
  auto q_unindexed = std::make_shared<const ngsi::Query>(
      *ngsi::parse_query("temperature>24.99", ctx));
  measure(
      "type + q on an un-indexed attribute (scan)", *t,
      std::max(1, flags.runs / 20),
      [&](std::mt19937_64&) {
        store::EntitySelector sel;
        sel.types = {type};
        sel.q_hint = q_unindexed;
        return sel;
      },
      q_unindexed.get());
  (*s)->close();
  return 0;
}
