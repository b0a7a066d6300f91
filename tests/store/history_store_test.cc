// The history layout of the SQLite store: the log, compaction into chunks,
// reads across both, edits, retention and the migration of schema v1.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite/history_writer.h"
#include "store/store.h"
#include "test_util.h"

namespace cocity::store {
namespace {

using namespace testing;

constexpr int64_t kT0 = 1'700'000'000'000'000;
constexpr int64_t kStep = 900'000'000;  // 15 minutes

int64_t count_rows(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sql;
  int64_t n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

// How many tables, indexes or views named `name` the database has.
int64_t schema_objects(const std::string& db_path, const std::string& name) {
  return count_rows(
      db_path,
      "SELECT count(*) FROM sqlite_master WHERE name = '" + name + "'");
}

// Runs `sql` on the database file itself, to leave it as an older cocity
// would have.
void exec_sql(const std::string& db_path, const std::string& sql) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &raw), SQLITE_OK);
  int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr);
  std::string error = sqlite3_errmsg(raw);
  sqlite3_close(raw);
  ASSERT_EQ(rc, SQLITE_OK) << error;
}

// One op that writes value `v` of kNo2 observed at `at_us`.
WriteOp reading(const std::string& id, double v, int64_t at_us) {
  ngsi::Entity e = air_entity(id, v);
  e.modified_at = from_micros(at_us);
  return WriteOp{id, put_entity(e)};
}

class HistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open(std::chrono::seconds retention = std::chrono::seconds(0)) {
    StoreOptions options;
    options.data_dir = dir_.path();
    options.history_retention = retention;
    options.history_compact_rows = 64;
    auto store = open_sqlite_store(options);
    ASSERT_TRUE(store) << store.error().detail;
    store_ = std::move(*store);
    auto t = store_->tenant("", true);
    ASSERT_TRUE(t) << t.error().detail;
    tenant_ = *t;
  }
  void close() {
    tenant_.reset();
    if (store_) store_->close();
    store_.reset();
  }
  // Writes `n` readings of `id`, value i, every 15 minutes from `first`, in
  // one group (so the writer compacts when it is idle afterwards).
  void write_series(const std::string& id, int n, int first = 0) {
    std::vector<WriteOp> ops;
    for (int i = first; i < first + n; ++i)
      ops.push_back(reading(id, i, kT0 + i * kStep));
    for (const auto& s : write_sync(*tenant_, std::move(ops)))
      ASSERT_TRUE(s) << s.error().detail;
  }
  std::vector<HistoryEntry> no2(std::optional<int64_t> from = {},
                                std::optional<int64_t> to = {}) {
    HistoryQuery q;
    q.entity_id = "urn:s";
    q.attrs = {kNo2};
    q.limit = 1'000'000;
    if (from) q.from = from_micros(*from);
    if (to) q.to = from_micros(*to);
    auto h = tenant_->history(q);
    EXPECT_TRUE(h) << h.error().detail;
    return h ? *h : std::vector<HistoryEntry>();
  }
  std::string db() const { return dir_.path() + "/_default.db"; }
  // Waits until the writer's idle compaction emptied the log.
  void wait_compacted() {
    for (int i = 0; i < 500; ++i) {
      if (count_rows(db(), "SELECT count(*) FROM history_log") == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "the log was not compacted";
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<TenantStore> tenant_;
};

void expect_values(const std::vector<HistoryEntry>& h, int first, int n) {
  ASSERT_EQ(h.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(h[i].instance.at("value").to_number<double>(), first + i);
    EXPECT_EQ(h[i].observed_at, from_micros(kT0 + (first + i) * kStep));
  }
}

TEST_F(HistoryStoreTest, OneLogRowPerEntityChange) {
  write_series("urn:s", 10);
  close();
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history_log"), 10);
  EXPECT_EQ(count_rows(db(), "SELECT sum(count) FROM history_log"), 30);
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history"), 30);
}

TEST_F(HistoryStoreTest, CompactionMovesTheLogIntoChunks) {
  write_series("urn:s", 5000);  // over the idle threshold: compacted
  wait_compacted();
  write_series("urn:s", 5, 5000);  // stays in the log
  expect_values(no2(), 0, 5005);
  expect_values(no2(kT0 + 1000 * kStep, kT0 + 5003 * kStep), 1000, 4003);
  close();
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history_log"), 5);
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history"), 3 * 5005);
  EXPECT_GT(count_rows(db(), "SELECT count(*) FROM history_chunks"), 0);
  // Chunks are cut at kSealedEntries; all chunks are time-ordered.
  EXPECT_EQ(count_rows(db(), "SELECT max(count) FROM history_chunks"), 4096);
  EXPECT_EQ(count_rows(db(),
                       "SELECT count(*) FROM history_chunks "
                       "WHERE last_at < first_at"),
            0);
  open();
  expect_values(no2(), 0, 5005);
}

// Entries marked unless_stored are dropped when their series already holds
// an entry at that time: in the chunks, in the log, or earlier in the op.
TEST_F(HistoryStoreTest, UnlessStoredEntriesAreWrittenOnce) {
  write_series("urn:s", 100);
  wait_compacted();               // 0..99 in chunks
  write_series("urn:s", 5, 100);  // 100..104 in the log
  auto entry = [](int i, const std::string& dataset) {
    HistoryEntry h;
    h.attr = std::string(kNo2);
    h.dataset_id = dataset;
    h.observed_at = from_micros(kT0 + i * kStep);
    h.recorded_at = h.observed_at;
    h.instance = json::object{{"type", "Property"}, {"value", 1000 + i}};
    if (!dataset.empty()) h.instance["datasetId"] = dataset;
    h.unless_stored = true;
    return h;
  };
  Mutation late = [&](ngsi::Entity*) -> Result<Change> {
    Change c;
    c.kind = Change::Kind::kNone;
    c.history = {entry(50, ""), entry(102, ""), entry(200, ""), entry(200, ""),
                 entry(50, "urn:d")};
    return c;
  };
  for (const auto& s : write_sync(*tenant_, {WriteOp{"urn:s", late}}))
    ASSERT_TRUE(s) << s.error().detail;
  auto h = no2();
  ASSERT_EQ(h.size(), 107u);
  int added = 0;
  for (const auto& e : h) {
    double v = e.instance.at("value").to_number<double>();
    if (v >= 1000) {
      ++added;
      EXPECT_TRUE(v == 1200 || (v == 1050 && e.dataset_id == "urn:d")) << v;
    }
  }
  EXPECT_EQ(added, 2);
}

// A log larger than one slice is compacted slice by slice (whole entities
// each), every entry lands in the chunks once, and reads see all of it
// before, during and after.
TEST_F(HistoryStoreTest, CompactionRunsInSlicesOfWholeEntities) {
  constexpr int kEntities = 12;
  constexpr int kRows = 1000;  // 12,000 log rows: two slices
  static_assert(kEntities * kRows > sqlite::HistoryWriter::kSliceRows);
  // One group, so that the whole log is there when compaction starts.
  std::vector<WriteOp> ops;
  for (int e = 0; e < kEntities; ++e) {
    for (int i = 0; i < kRows; ++i) {
      ops.push_back(reading("urn:s" + std::to_string(e), i, kT0 + i * kStep));
    }
  }
  for (const auto& s : write_sync(*tenant_, std::move(ops)))
    ASSERT_TRUE(s) << s.error().detail;
  wait_compacted();
  write_series("urn:s", 3, 0);  // the log again, after the compaction
  for (int e = 0; e < kEntities; ++e) {
    HistoryQuery q;
    q.entity_id = "urn:s" + std::to_string(e);
    q.attrs = {kNo2};
    q.limit = 1'000'000;
    auto h = tenant_->history(q);
    ASSERT_TRUE(h) << h.error().detail;
    expect_values(*h, 0, kRows);
  }
  expect_values(no2(), 0, 3);
  close();
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history_log"), 3);
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history"),
            3 * (kEntities * kRows + 3));
}

// Compaction runs beside the writes (slices of 64 rows here: marks and
// front deletes all the time) while a reader reads one series again and
// again: each read holds every entry written before it exactly once.
TEST_F(HistoryStoreTest, ReadsDuringCompactionSeeEveryEntryOnce) {
  constexpr int kRounds = 150;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int round = 0; round < kRounds; ++round) {
      std::vector<WriteOp> ops;
      for (int i = 0; i < 40; ++i) {
        ops.push_back(
            reading("urn:o" + std::to_string(i), round, kT0 + round * kStep));
      }
      ops.push_back(reading("urn:s", round, kT0 + round * kStep));
      for (const auto& s : write_sync(*tenant_, std::move(ops))) {
        EXPECT_TRUE(s) << s.error().detail;
      }
    }
    done = true;
  });
  size_t seen = 0;
  int reads = 0;
  while (!done) {
    auto h = no2();
    ASSERT_GE(h.size(), seen);
    seen = h.size();
    for (size_t i = 0; i < h.size(); ++i) {
      ASSERT_EQ(h[i].instance.at("value").to_number<double>(),
                static_cast<double>(i))
          << "read " << reads << " of " << h.size() << " entries";
    }
    ++reads;
  }
  writer.join();
  EXPECT_GT(reads, 1);
  wait_compacted();
  expect_values(no2(), 0, kRounds);
  close();
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history"), 3 * 41 * kRounds);
}

TEST_F(HistoryStoreTest, SmallChunksAreMergedTieredBounded) {
  // Many small compactions of one series: each adds a small chunk; merging
  // keeps the count of chunks logarithmic.
  for (int round = 0; round < 40; ++round) {
    std::vector<WriteOp> ops;
    for (int i = 0; i < 70; ++i) {
      std::string id = "urn:other" + std::to_string(i);
      ops.push_back(reading(id, i, kT0 + round * kStep));
    }
    ops.push_back(reading("urn:s", round, kT0 + round * kStep));
    for (const auto& s : write_sync(*tenant_, std::move(ops))) ASSERT_TRUE(s);
    wait_compacted();
  }
  expect_values(no2(), 0, 40);
  close();
  EXPECT_LE(count_rows(db(),
                       "SELECT count(*) FROM history_chunks h JOIN "
                       "entity_ids i ON h.entity = i.key AND "
                       "i.id = 'urn:s'"),
            12);
}

TEST_F(HistoryStoreTest, LateValuesAreReadInTimeOrder) {
  write_series("urn:s", 2000, 100);
  write_series("urn:s", 100, 0);  // late arrivals, older than all chunks
  expect_values(no2(), 0, 2100);
  expect_values(no2(kT0 + 50 * kStep, kT0 + 150 * kStep), 50, 100);
}

TEST_F(HistoryStoreTest, LastNAndRecordedTime) {
  write_series("urn:s", 1500);
  HistoryQuery q;
  q.entity_id = "urn:s";
  q.last_n = 3;
  q.values_only = true;
  auto h = tenant_->history(q);
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 9u);  // 3 per attribute
  for (const auto& e : *h) {
    EXPECT_GE(e.observed_at, from_micros(kT0 + 1497 * kStep));
    if (e.attr == kNo2) {
      ASSERT_TRUE(e.number);
      EXPECT_TRUE(e.instance.empty());
    }
  }
  q = HistoryQuery();
  q.entity_id = "urn:s";
  q.attrs = {kNo2};
  q.by_recorded = true;
  q.from = from_micros(kT0 + 10 * kStep);
  q.to = from_micros(kT0 + 20 * kStep);
  h = tenant_->history(q);
  ASSERT_TRUE(h);
  expect_values(*h, 10, 10);
}

Mutation edit(HistoryEdit e) {
  return [e](const ngsi::Entity*) -> Result<Change> {
    Change c;
    c.kind = Change::Kind::kNone;
    c.history_edits.push_back(e);
    return c;
  };
}

TEST_F(HistoryStoreTest, InstancesAreDeletedAndReplacedInChunksAndLog) {
  write_series("urn:s", 1200);
  wait_compacted();
  write_series("urn:s", 3, 1200);
  auto h = no2();
  ASSERT_EQ(h.size(), 1203u);
  HistoryEdit del;
  del.kind = HistoryEdit::Kind::kDeleteInstance;
  del.attr = kNo2;
  del.instance_id = h[500].instance_id;  // in a chunk
  HistoryEdit del_log = del;
  del_log.instance_id = h[1201].instance_id;  // in the log
  HistoryEdit replace;
  replace.kind = HistoryEdit::Kind::kReplaceInstance;
  replace.attr = kNo2;
  replace.instance_id = h[10].instance_id;
  replace.instance = property(-1.5);
  std::vector<WriteOp> ops;
  ops.push_back({"urn:s", edit(del)});
  ops.push_back({"urn:s", edit(del_log)});
  ops.push_back({"urn:s", edit(replace)});
  ops.push_back({"urn:s", edit(del)});  // already gone
  auto s = write_sync(*tenant_, std::move(ops));
  EXPECT_TRUE(s[0]);
  EXPECT_TRUE(s[1]);
  EXPECT_TRUE(s[2]);
  ASSERT_FALSE(s[3]);
  EXPECT_EQ(s[3].error().code, Code::kNotFound);
  auto after = no2();
  ASSERT_EQ(after.size(), 1201u);
  EXPECT_EQ(after[10].instance.at("value").to_number<double>(), -1.5);
  EXPECT_EQ(after[10].instance_id, h[10].instance_id);
  EXPECT_EQ(after[500].instance.at("value").to_number<double>(), 501);

  HistoryEdit all;
  all.kind = HistoryEdit::Kind::kDeleteAttr;
  all.attr = kNo2;
  ops.clear();
  ops.push_back({"urn:s", edit(all)});
  EXPECT_TRUE(write_sync(*tenant_, std::move(ops))[0]);
  EXPECT_TRUE(no2().empty());
  HistoryQuery q;
  q.entity_id = "urn:s";
  q.limit = 100'000;
  EXPECT_EQ(tenant_->history(q)->size(), 2u * 1203u);  // pm10, location
}

TEST_F(HistoryStoreTest, RetentionDropsOldChunks) {
  close();
  // The system clock is "now"; data from 2023 is older than a year.
  open(std::chrono::hours(24 * 365));
  write_series("urn:s", 1100);
  wait_compacted();
  close();
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history"), 0);
}

// The log has no index on entity (schema v3): which rows belong to which
// entity is rebuilt in memory when the tenant opens.
TEST_F(HistoryStoreTest, LogRowsAreFoundAfterReopenWithoutAnIndex) {
  write_series("urn:s", 10);
  write_series("urn:other", 5);
  close();
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history_log"), 15);
  EXPECT_EQ(schema_objects(db(), "history_log_entity"), 0);
  open();
  auto h = no2();
  ASSERT_EQ(h.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(h[i].instance.at("value").to_number<double>(), i);
  }
  // Appends after the reopen join the rebuilt list.
  write_series("urn:s", 3, 10);
  EXPECT_EQ(no2().size(), 13u);
}

// A schema-v2 database (with the index on the log) opens as v3 with its
// log rows readable.
TEST_F(HistoryStoreTest, SchemaV2DropsTheLogIndex) {
  write_series("urn:s", 4);
  close();
  ASSERT_NO_FATAL_FAILURE(exec_sql(db(),
                                   "CREATE INDEX history_log_entity ON "
                                   "history_log(entity); "
                                   "PRAGMA user_version = 2;"));
  open();
  EXPECT_EQ(no2().size(), 4u);
  close();
  EXPECT_EQ(count_rows(db(), "PRAGMA user_version"), 6);
  EXPECT_EQ(schema_objects(db(), "history_log_entity"), 0);
}

// Schema v5 kept an index on the entities' metadata that nothing reads
// any more; opening drops it, and the entities and their history stay.
TEST_F(HistoryStoreTest, SchemaV5DropsTheEntitiesMetaIndex) {
  write_series("urn:s", 4);
  close();
  ASSERT_NO_FATAL_FAILURE(exec_sql(db(),
                                   "CREATE INDEX entities_meta ON entities("
                                   "id, types, min_lon, min_lat, max_lon, "
                                   "max_lat); PRAGMA user_version = 5;"));
  open();
  auto e = tenant_->get("urn:s");
  ASSERT_TRUE(e) << e.error().detail;
  ASSERT_TRUE(e->has_value());
  EXPECT_EQ(no2().size(), 4u);
  close();
  EXPECT_EQ(count_rows(db(), "PRAGMA user_version"), 6);
  EXPECT_EQ(schema_objects(db(), "entities_meta"), 0);
}

// Schema v3 kept the chunks in a WITHOUT ROWID table; opening moves them
// into the rowid table with its covering index, entry for entry.
TEST_F(HistoryStoreTest, SchemaV3ChunksMoveToARowidTable) {
  write_series("urn:s", 5000);
  wait_compacted();
  write_series("urn:s", 5, 5000);  // stays in the log
  close();
  int64_t chunks = count_rows(db(), "SELECT count(*) FROM history_chunks");
  ASSERT_GT(chunks, 1);
  // The v3 layout, rebuilt by hand from the current one.
  ASSERT_NO_FATAL_FAILURE(exec_sql(
      db(),
      "DROP VIEW history;"
      "CREATE TABLE old_chunks(entity INTEGER NOT NULL, attr INTEGER NOT "
      "NULL, first_at INTEGER NOT NULL, seq INTEGER NOT NULL, last_at "
      "INTEGER NOT NULL, count INTEGER NOT NULL, data BLOB NOT NULL, "
      "PRIMARY KEY(entity, attr, first_at, seq)) WITHOUT ROWID;"
      "INSERT INTO old_chunks SELECT entity, attr, first_at, seq, "
      "last_at, count, data FROM history_chunks;"
      "DROP TABLE history_chunks;"
      "ALTER TABLE old_chunks RENAME TO history_chunks;"
      "CREATE VIEW history(entity, attr) AS SELECT entity, attr "
      "FROM history_chunks;"
      "PRAGMA user_version = 3;"));
  auto without_rowid = [this] {
    return count_rows(db(),
                      "SELECT count(*) FROM sqlite_master WHERE name = "
                      "'history_chunks' AND sql LIKE '%WITHOUT ROWID%'");
  };
  ASSERT_EQ(without_rowid(), 1);
  open();
  expect_values(no2(), 0, 5005);
  close();
  EXPECT_EQ(count_rows(db(), "PRAGMA user_version"), 6);
  EXPECT_EQ(without_rowid(), 0);
  EXPECT_EQ(count_rows(db(),
                       "SELECT count(*) FROM sqlite_master "
                       "WHERE name LIKE 'history_chunks%'"),
            2);  // the table and its index; the old table is gone
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history_chunks"), chunks);
  EXPECT_EQ(count_rows(db(), "SELECT count(*) FROM history"), 3 * 5005);
}

TEST_F(HistoryStoreTest, SchemaV1IsMigratedOnOpen) {
  close();
  std::string path = db();
  std::filesystem::remove(path);
  std::string sql = R"sql(
CREATE TABLE entity_ids(key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
CREATE TABLE attr_names(key INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE TABLE entities(key INTEGER PRIMARY KEY, id TEXT NOT NULL,
  types TEXT NOT NULL, min_lon REAL, min_lat REAL, max_lon REAL,
  max_lat REAL, body TEXT NOT NULL);
CREATE INDEX entities_meta ON entities(id, types, min_lon, min_lat, max_lon,
  max_lat);
CREATE TABLE history(entity INTEGER NOT NULL, attr INTEGER NOT NULL,
  dataset_id TEXT NOT NULL, observed_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL, deleted INTEGER NOT NULL, instance TEXT);
INSERT INTO entity_ids VALUES (1, 'urn:s');
INSERT INTO attr_names VALUES (1, ')sql" +
                    std::string(kNo2) + R"sql(');
INSERT INTO history VALUES (1, 1, '', 1000000, 1000000, 0,
  '{"type":"Property","value":1.5}');
INSERT INTO history VALUES (1, 1, 'urn:d', 2000000, 2000000, 0,
  '{"type":"Property","value":"x","datasetId":"urn:d"}');
INSERT INTO history VALUES (1, 1, '', 3000000, 3000000, 1, NULL);
PRAGMA user_version = 1;
)sql";
  ASSERT_NO_FATAL_FAILURE(exec_sql(path, sql));
  open();
  auto h = no2();
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].instance.at("value").to_number<double>(), 1.5);
  EXPECT_EQ(h[1].dataset_id, "urn:d");
  EXPECT_EQ(h[1].instance.at("value").as_string(), "x");
  EXPECT_TRUE(h[2].deleted);
  close();
  EXPECT_EQ(count_rows(path, "PRAGMA user_version"), 6);
  EXPECT_EQ(count_rows(path, "SELECT count(*) FROM history"), 3);
  EXPECT_EQ(schema_objects(path, "entities_meta"), 0);
}

}  // namespace
}  // namespace cocity::store
