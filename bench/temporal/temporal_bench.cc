// temporal_bench: attribute history at city scale, in one run.
//
//   1. load: --entities sensors, each with a year of 15-minute readings of
//      --attrs numeric attributes (35,040 per attribute), written as the
//      temporal API's append would (one op per sensor and day, all its
//      readings), compacted by the store's own writer;
//   2. bytes per stored value: the database file after a checkpoint divided
//      by the number of values;
//   3. reads of one sensor among them: a year of one attribute (values, and
//      full instances), and hourly aggregatedValues (avg, min, max) over the
//      year: p50/p99 over --reads runs.
//
// Usage: temporal_bench [--dir D] [--entities N] [--attrs A] [--days D]
//                       [--jitter 1] [--reads R] [--compact-rows N]
// --jitter 1 gives readings sensor-like timestamps: observedAt up to 2 s
// after the quarter hour, recorded 0.1-0.9 s later. The directory is wiped
// first; default temporal-bench-data.
#include <sqlite3.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <random>
#include <string>
#include <vector>

#include "store/history_aggregate.h"
#include "store/store.h"

namespace {

using namespace cocity;
using SteadyClock = std::chrono::steady_clock;

constexpr char kType[] =
    "https://smartdatamodels.org/dataModel.Environment/AirQualityObserved";
constexpr char kBase[] = "https://smartdatamodels.org/dataModel.Environment/a";
constexpr int64_t kT0 = 1'735'689'600'000'000;  // 2025-01-01T00:00:00Z
constexpr int64_t kStep = 900'000'000;          // 15 minutes
constexpr int kPerDay = 96;

struct Flags {
  std::string dir = "temporal-bench-data";
  int entities = 200;
  int attrs = 1;
  int days = 365;
  bool jitter = false;
  int reads = 200;
  // The store's history_compact_rows: 1,024 (the figures in bench/README.md)
  // compacts during the load; the default 65,536 leaves a short load in
  // the log.
  uint64_t compact_rows = 1024;
};

std::string entity_id(int i) {
  return "urn:ngsi-ld:AirQualityObserved:S" + std::to_string(i);
}

// One sensor's readings of one day, as history entries (no entity change).
store::Mutation day_of_readings(int sensor, int day, const Flags& flags) {
  return [sensor, day, &flags](const ngsi::Entity*) -> Result<store::Change> {
    store::Change c;
    std::mt19937 rng(sensor * 1000 + day);
    std::uniform_int_distribution<int64_t> obs_jitter(0, 2'000'000);
    std::uniform_int_distribution<int64_t> rec_delay(100'000, 900'000);
    for (int a = 0; a < flags.attrs; ++a) {
      for (int q = 0; q < kPerDay; ++q) {
        int64_t slot = kT0 + (int64_t{day} * kPerDay + q) * kStep;
        int64_t observed = slot + (flags.jitter ? obs_jitter(rng) : 0);
        store::HistoryEntry h;
        h.attr = kBase + std::to_string(a);
        h.observed_at = from_micros(observed);
        h.recorded_at =
            from_micros(observed + (flags.jitter ? rec_delay(rng) : 0));
        double x = 40 + 15 * std::sin((day * kPerDay + q) / 37.0 + sensor) +
                   (rng() % 100) / 10.0;
        h.instance["type"] = "Property";
        h.instance["value"] = std::round(x * 10) / 10;
        h.instance["observedAt"] = format_iso_time(h.observed_at);
        c.history.push_back(std::move(h));
      }
    }
    return c;
  };
}

store::Mutation create(int sensor) {
  return [sensor](const ngsi::Entity*) -> Result<store::Change> {
    store::Change c;
    c.kind = store::Change::Kind::kPut;
    c.entity.id = entity_id(sensor);
    c.entity.types = {kType};
    c.entity.created_at = c.entity.modified_at = from_micros(kT0);
    return c;
  };
}

void write_sync(store::TenantStore& t, std::vector<store::WriteOp> ops) {
  std::promise<void> done;
  t.write(std::move(ops), [&done](std::vector<Status> s) {
    for (const auto& st : s) {
      if (!st)
        std::fprintf(stderr, "write failed: %s\n", st.error().detail.c_str());
    }
    done.set_value();
  });
  done.get_future().get();
}

double ms_since(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start)
      .count();
}

struct Percentiles {
  double p50, p99;
};

Percentiles percentiles(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
  };
  return {at(0.5), at(0.99)};
}

void load(store::TenantStore& tenant, const Flags& flags) {
  std::vector<store::WriteOp> ops;
  for (int s = 0; s < flags.entities; ++s)
    ops.push_back({entity_id(s), create(s)});
  write_sync(tenant, std::move(ops));
  // Days in order, all sensors per day, in batches the size of a busy
  // ingest (several writers' worth of requests per group commit).
  for (int day = 0; day < flags.days; ++day) {
    ops.clear();
    for (int s = 0; s < flags.entities; ++s)
      ops.push_back({entity_id(s), day_of_readings(s, day, flags)});
    write_sync(tenant, std::move(ops));
  }
}

int64_t file_bytes(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

// Checkpoints the WAL into the main file so that its size is the data's.
void checkpoint(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr,
               nullptr);
  sqlite3_close(db);
}

int64_t count(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  int64_t n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

// CPU time of the calling thread: on a shared machine, what a read costs
// apart from waiting for a core.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Runs `fn` `runs` times; prints wall and CPU p50/p99 after `label`.
template <typename Fn>
void timed(const std::string& label, int runs, Fn fn) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < runs; ++i) {
    auto start = SteadyClock::now();
    double cpu_start = thread_cpu_ms();
    fn();
    wall.push_back(ms_since(start));
    cpu.push_back(thread_cpu_ms() - cpu_start);
  }
  auto w = percentiles(wall);
  auto c = percentiles(cpu);
  std::printf("%s: p50 %.2f ms, p99 %.2f ms (CPU p50 %.2f ms, p99 %.2f ms)\n",
              label.c_str(), w.p50, w.p99, c.p50, c.p99);
}

void reads(store::TenantStore& tenant, const Flags& flags) {
  store::HistoryQuery q;
  q.entity_id = entity_id(flags.entities / 2);
  q.attrs = {std::string(kBase) + "0"};
  q.limit = 1'000'000;
  size_t n = 0;
  for (bool values_only : {true, false}) {
    q.values_only = values_only;
    std::string what = values_only ? "numbers" : "JSON instances";
    timed("year of one attribute (" + what + ")", flags.reads, [&] {
      auto h = tenant.history(q);
      n = h ? h->size() : 0;
    });
  }
  std::printf("  (%zu values per read)\n", n);
  q.values_only = true;
  std::vector<store::AggrMethod> methods = {store::AggrMethod::kAvg,
                                            store::AggrMethod::kMin,
                                            store::AggrMethod::kMax};
  size_t periods = 0;
  timed("hourly avg,min,max over the year", flags.reads, [&] {
    auto h = tenant.history(q);
    if (!h || h->empty()) return;
    std::vector<const store::HistoryEntry*> entries;
    for (const auto& e : *h) entries.push_back(&e);
    periods =
        store::aggregate(entries, methods, from_micros(kT0),
                         h->back().observed_at, std::chrono::hours(1), false)
            .size();
  });
  std::printf("  (%zu periods)\n", periods);
}

Flags parse_flags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    if (k == "--dir") f.dir = v;
    if (k == "--entities") f.entities = std::stoi(v);
    if (k == "--attrs") f.attrs = std::stoi(v);
    if (k == "--days") f.days = std::stoi(v);
    if (k == "--jitter") f.jitter = v == "1";
    if (k == "--reads") f.reads = std::stoi(v);
    if (k == "--compact-rows") f.compact_rows = std::stoull(v);
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags = parse_flags(argc, argv);
  std::filesystem::remove_all(flags.dir);
  store::StoreOptions options;
  options.data_dir = flags.dir;
  options.history_compact_rows = flags.compact_rows;
  auto store = store::open_sqlite_store(options);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().detail.c_str());
    return 1;
  }
  auto tenant = (*store)->tenant("", true);
  if (!tenant) return 1;
  auto start = SteadyClock::now();
  load(**tenant, flags);
  double load_s = ms_since(start) / 1000;
  double values = double(flags.entities) * flags.attrs * flags.days * kPerDay;
  std::printf(
      "loaded %.0f values (%d sensors x %d attrs x %d days) in %.1f s: "
      "%.0f values/s\n",
      values, flags.entities, flags.attrs, flags.days, load_s, values / load_s);
  tenant->reset();
  (*store)->close();
  store->reset();
  std::string db = flags.dir + "/_default.db";
  checkpoint(db);
  double used =
      double(count(db,
                   "SELECT (SELECT page_count FROM pragma_page_count) - "
                   "(SELECT freelist_count FROM pragma_freelist_count)")) *
      double(count(db, "PRAGMA page_size"));
  std::printf(
      "database file %.1f MB, %.2f bytes per stored value (pages in use: "
      "%.2f); %lld chunks, %lld values still in the log\n",
      file_bytes(db) / 1e6, file_bytes(db) / values, used / values,
      static_cast<long long>(count(db, "SELECT count(*) FROM history_chunks")),
      static_cast<long long>(
          count(db, "SELECT coalesce(sum(count), 0) FROM history_log")));
  store = store::open_sqlite_store(options);
  if (!store) return 1;
  tenant = (*store)->tenant("", false);
  if (!tenant) return 1;
  reads(**tenant, flags);
  (*store)->close();
  return 0;
}
