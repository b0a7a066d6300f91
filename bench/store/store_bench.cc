// store_bench: the store's figures in one run.
//
//   1. raw SQLite: plain-table inserts in 10k-row transactions (WAL, FULL);
//   2. the store: batch upserts of 1,000 AirQualityObserved-like entities
//      (3 observed attributes each, history kept) from several concurrent
//      writers, each waiting for its acknowledgement as an HTTP client would;
//   3. --entities entities of ~10 attributes: load, resident memory, get-by-id
//      latency (p50/p99), restart (index rebuild) time and memory.
//
// Usage: store_bench [--dir D] [--entities N] [--writers W] [--rounds R]
//                    [--reopen-only 1]  (reopen D as a fresh server: open
//                    time, memory, get latency; D is not wiped)
// The data directory is wiped first; default store-bench-data (in the
// working directory).
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

namespace {

using namespace cocity;
using SteadyClock = std::chrono::steady_clock;

constexpr char kAirType[] =
    "https://smartdatamodels.org/dataModel.Environment/AirQualityObserved";
constexpr char kBase[] = "https://smartdatamodels.org/dataModel.Environment/";

struct Flags {
  std::string dir = "store-bench-data";
  uint64_t entities = 1'000'000;
  int writers = 4;
  int rounds = 10;           // upsert rounds per writer (1,000 entities each)
  int stations = 10'000;     // distinct ids per writer in phase 2
  bool reopen_only = false;  // skip loading: reopen --dir as a fresh server
  bool raw_only = false;     // only the raw SQLite insert rate
};

// Process CPU time (user + system), to report cost per entity independent
// of how busy the machine is.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU seconds used so far by the store's writer threads (all tenants),
// from /proc/self/task/*/stat; 10 ms resolution.
double writer_cpu_seconds() {
  double total = 0;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    if (name != "store-writer") continue;
    std::ifstream stat(task.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14 || i == 15) ticks += std::stod(field);
    }
    total += ticks / sysconf(_SC_CLK_TCK);
  }
  return total;
}

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

std::string proc_status(const char* field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field, 0) == 0) {
      auto pos = line.find_first_not_of(" \t", strlen(field));
      return line.substr(pos);
    }
  }
  return "?";
}

// --- phase 1 -------------------------------------------------------------

void raw_sqlite(const std::string& dir) {
  // "_" prefix: never taken for a tenant database by the store.
  std::string path = dir + "/_raw.db";
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE t(series INTEGER, attr INTEGER, at INTEGER, "
               "value REAL, instance TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)", -1, &stmt,
                     nullptr);
  constexpr int kRows = 1'000'000, kPerTxn = 10'000;
  const char* instance = "{\"type\":\"Property\",\"value\":12.5}";
  auto start = SteadyClock::now();
  for (int i = 0; i < kRows; ++i) {
    if (i % kPerTxn == 0) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_bind_int64(stmt, 1, i % 10000);
    sqlite3_bind_int64(stmt, 2, i % 3);
    sqlite3_bind_int64(stmt, 3, 1'700'000'000'000'000 + i);
    sqlite3_bind_double(stmt, 4, i * 0.5);
    sqlite3_bind_text(stmt, 5, instance, -1, SQLITE_STATIC);
    sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (i % kPerTxn == kPerTxn - 1) {
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
  }
  double s = seconds_since(start);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  std::printf("raw sqlite: %d rows in %.2f s = %.0f rows/s (10k-row txns)\n",
              kRows, s, kRows / s);
}

// --- entities --------------------------------------------------------------

json::object property(double value, TimePoint at) {
  json::object p;
  p["type"] = "Property";
  p["value"] = value;
  p["observedAt"] = format_iso_time(at);
  p["unitCode"] = "GQ";
  return p;
}

ngsi::Entity make_entity(const std::string& id, int attrs, double seed,
                         TimePoint at) {
  ngsi::Entity e;
  e.id = id;
  e.types = {kAirType};
  e.created_at = at;
  e.modified_at = at;
  static const char* kNames[] = {
      "no2",      "pm10", "o3",          "pm25",
      "so2",      "co",   "temperature", "relativeHumidity",
      "windSpeed"};
  for (int a = 0; a < attrs - 1 && a < 9; ++a) {
    e.attrs[std::string(kBase) + kNames[a]] =
        json::array{property(seed + a, at)};
  }
  double lon = 6 + std::fmod(seed, 9), lat = 47 + std::fmod(seed * 0.37, 8);
  json::object loc;
  loc["type"] = "GeoProperty";
  loc["value"] =
      json::object{{"type", "Point"}, {"coordinates", json::array{lon, lat}}};
  e.attrs["https://uri.etsi.org/ngsi-ld/location"] = json::array{loc};
  return e;
}

// Merges the observed attributes into the current state, as the broker's
// upsert does, and appends one history entry per observed attribute.
store::Mutation upsert(ngsi::Entity update, int observed) {
  return [update = std::move(update),
          observed](const ngsi::Entity* current) -> Result<store::Change> {
    store::Change c;
    c.kind = store::Change::Kind::kPut;
    c.entity = current ? *current : update;
    c.entity.modified_at = update.modified_at;
    int n = 0;
    for (const auto& kv : update.attrs) {
      if (n++ >= observed) break;
      c.entity.attrs[kv.key()] = kv.value();
      store::HistoryEntry h;
      h.attr = std::string(kv.key());
      h.observed_at = update.modified_at;
      h.recorded_at = update.modified_at;
      h.instance = kv.value().as_array()[0].as_object();
      c.history.push_back(std::move(h));
    }
    return c;
  };
}

void write_batch(store::TenantStore& t, std::vector<store::WriteOp> ops) {
  std::promise<void> done;
  auto f = done.get_future();
  t.write(std::move(ops), [&done](std::vector<Status> s) {
    for (const auto& st : s) {
      if (!st)
        std::fprintf(stderr, "write failed: %s\n", st.error().detail.c_str());
    }
    done.set_value();
  });
  f.wait();
}

// --- phase 2 -----------------------------------------------------------------

void batch_upserts(store::Store& s, const Flags& flags) {
  auto tenant = *s.tenant("upserts", true);
  auto run = [&](int round_from, int round_to) {
    std::vector<std::thread> threads;
    for (int w = 0; w < flags.writers; ++w) {
      threads.emplace_back([&, w] {
        for (int r = round_from; r < round_to; ++r) {
          std::vector<store::WriteOp> ops;
          TimePoint at = from_micros(1'700'000'000'000'000 + r * 1000);
          int first = (r * 1000) % flags.stations;
          for (int i = 0; i < 1000; ++i) {
            std::string id = "urn:ngsi-ld:AirQualityObserved:w" +
                             std::to_string(w) + "-" +
                             std::to_string(first + i);
            ops.push_back({id, upsert(make_entity(id, 4, r + i, at), 3)});
          }
          write_batch(*tenant, std::move(ops));
        }
      });
    }
    for (auto& t : threads) t.join();
  };
  int create_rounds = flags.stations / 1000;
  auto start = SteadyClock::now();
  run(0, create_rounds);
  double s1 = seconds_since(start);
  double n1 = 1000.0 * create_rounds * flags.writers;
  std::printf(
      "store upsert (create): %.0f entities in %.2f s = %.0f entities/s"
      " (%.0f attribute values/s)\n",
      n1, s1, n1 / s1, 3 * n1 / s1);
  auto before = s.stats();
  double cpu0 = cpu_seconds(), writer0 = writer_cpu_seconds();
  start = SteadyClock::now();
  run(create_rounds, create_rounds + flags.rounds);
  double s2 = seconds_since(start);
  double cpu = cpu_seconds() - cpu0;
  double writer_cpu = writer_cpu_seconds() - writer0;
  auto after = s.stats();
  double n2 = 1000.0 * flags.rounds * flags.writers;
  std::printf(
      "store upsert (update, %d writers x 1000-entity batches): %.0f "
      "entities in %.2f s = %.0f entities/s (%.0f attribute values/s); "
      "%.0f ops/commit; process CPU %.1f us per entity "
      "(clients included), writer thread %.1f us per entity\n",
      flags.writers, n2, s2, n2 / s2, 3 * n2 / s2,
      double(after.committed_ops - before.committed_ops) /
          double(std::max<uint64_t>(1, after.commits - before.commits)),
      cpu / n2 * 1e6, writer_cpu / n2 * 1e6);
}

// --- phase 3 -----------------------------------------------------------------

std::string big_id(uint64_t i) {
  return "urn:ngsi-ld:AirQualityObserved:station-" + std::to_string(i);
}

void load_entities(store::TenantStore& t, const Flags& flags) {
  auto start = SteadyClock::now();
  std::atomic<uint64_t> next{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&] {
      for (;;) {
        uint64_t first = next.fetch_add(1000);
        if (first >= flags.entities) return;
        uint64_t last = std::min(flags.entities, first + 1000);
        std::vector<store::WriteOp> ops;
        TimePoint at = from_micros(1'700'000'000'000'000);
        for (uint64_t i = first; i < last; ++i) {
          std::string id = big_id(i);
          ops.push_back({id, upsert(make_entity(id, 10, double(i), at), 9)});
        }
        write_batch(t, std::move(ops));
      }
    });
  }
  for (auto& th : threads) th.join();
  double s = seconds_since(start);
  std::printf("loaded %llu entities of 10 attributes in %.1f s (%.0f/s)\n",
              (unsigned long long)flags.entities, s, flags.entities / s);
}

void get_latency(store::TenantStore& t, const Flags& flags) {
  std::mt19937_64 rng(42);
  constexpr int kSamples = 100'000;
  std::vector<double> us;
  us.reserve(kSamples);
  int missing = 0;
  for (int i = 0; i < kSamples; ++i) {
    std::string id = big_id(rng() % flags.entities);
    auto start = SteadyClock::now();
    auto e = t.get(id);
    us.push_back(seconds_since(start) * 1e6);
    if (!e || !*e) ++missing;
  }
  std::sort(us.begin(), us.end());
  std::printf(
      "get by id at %llu entities: p50 %.1f us, p99 %.1f us, "
      "max %.0f us (%d samples, %d missing)\n",
      (unsigned long long)flags.entities, us[kSamples / 2],
      us[kSamples * 99 / 100], us.back(), kSamples, missing);
}

// Opens the data directory as a starting server would and reads from it.
int reopen(const Flags& flags) {
  std::printf("before open: VmRSS %s\n", proc_status("VmRSS:").c_str());
  store::StoreOptions options;
  options.data_dir = flags.dir;
  auto start = SteadyClock::now();
  auto s = store::open_sqlite_store(options);
  if (!s) return std::fprintf(stderr, "%s\n", s.error().detail.c_str()), 1;
  std::printf("open (index rebuild of all tenants): %.2f s, VmRSS %s\n",
              seconds_since(start), proc_status("VmRSS:").c_str());
  auto big = (*s)->tenant("big", false);
  if (!big)
    return std::fprintf(stderr, "no tenant 'big' in %s\n", flags.dir.c_str()),
           1;
  get_latency(**big, flags);
  std::printf("after gets: VmRSS %s, VmHWM %s\n", proc_status("VmRSS:").c_str(),
              proc_status("VmHWM:").c_str());
  return 0;
}

constexpr const char* kUsage =
    "usage: store_bench [--dir D] [--entities N] [--writers W] [--rounds R]\n"
    "                   [--reopen-only 1] [--raw-only 1]\n"
    "D (default store-bench-data) is wiped first, except with --reopen-only\n";

Flags parse_flags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--help" || k == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "flag %s needs a value\n%s", k.c_str(), kUsage);
      std::exit(2);
    }
    std::string v = argv[i + 1];
    if (k == "--dir") {
      f.dir = v;
    } else if (k == "--entities") {
      f.entities = std::stoull(v);
    } else if (k == "--writers") {
      f.writers = std::stoi(v);
    } else if (k == "--rounds") {
      f.rounds = std::stoi(v);
    } else if (k == "--reopen-only") {
      f.reopen_only = v == "1";
    } else if (k == "--raw-only") {
      f.raw_only = v == "1";
    } else {
      std::fprintf(stderr, "unknown flag %s\n%s", k.c_str(), kUsage);
      std::exit(2);
    }
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Flags flags = parse_flags(argc, argv);
  if (flags.reopen_only) return reopen(flags);
  std::filesystem::remove_all(flags.dir);
  std::filesystem::create_directories(flags.dir);
  raw_sqlite(flags.dir);
  if (flags.raw_only) return 0;

  store::StoreOptions options;
  options.data_dir = flags.dir;
  {
    auto s = store::open_sqlite_store(options);
    if (!s) return std::fprintf(stderr, "%s\n", s.error().detail.c_str()), 1;
    batch_upserts(**s, flags);
    auto big = *(*s)->tenant("big", true);
    load_entities(*big, flags);
    std::printf("after load: VmRSS %s, VmHWM %s\n",
                proc_status("VmRSS:").c_str(), proc_status("VmHWM:").c_str());
    get_latency(*big, flags);
    (*s)->close();
  }
  std::printf("after close: VmRSS %s\n", proc_status("VmRSS:").c_str());
  return reopen(flags);
}
