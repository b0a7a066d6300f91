#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/sqlite/key_store.h"
#include "store/store.h"
#include "test_util.h"

namespace cocity::store {
namespace {

using namespace testing;

double no2_of(const ngsi::Entity& e) {
  return e.attrs.at(kNo2)
      .as_array()[0]
      .as_object()
      .at("value")
      .to_number<double>();
}

int64_t count_rows(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(
      sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
      SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  int64_t n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    StoreOptions options;
    options.data_dir = dir_.path();
    options.fail_commit = [this] { return fail_commit_.load(); };
    auto store = open_sqlite_store(options);
    ASSERT_TRUE(store) << store.error().detail;
    store_ = std::move(*store);
    auto t = store_->tenant("", true);
    ASSERT_TRUE(t) << t.error().detail;
    tenant_ = *t;
  }
  void reopen() {
    tenant_.reset();
    store_->close();
    store_.reset();
    open();
  }
  std::optional<ngsi::Entity> get(const std::string& id) {
    auto r = tenant_->get(id);
    EXPECT_TRUE(r) << r.error().detail;
    return r ? *r : std::nullopt;
  }

  TempDir dir_;
  std::atomic<bool> fail_commit_{false};
  std::unique_ptr<Store> store_;
  std::shared_ptr<TenantStore> tenant_;
};

TEST(TenantName, Validation) {
  EXPECT_TRUE(valid_tenant_name("berlin"));
  EXPECT_TRUE(valid_tenant_name("Bad-Homburg_2"));
  EXPECT_TRUE(valid_tenant_name(std::string(64, 'a')));
  for (std::string_view bad : {"", "-x", "_system", "..", "a/b", "a.b",
                               "../etc", "a b", "ä", "a\\b"}) {
    EXPECT_FALSE(valid_tenant_name(bad)) << bad;
  }
  EXPECT_FALSE(valid_tenant_name(std::string(65, 'a')));
  EXPECT_FALSE(valid_tenant_name(std::string_view("x\0y", 3)));
}

TEST_F(SqliteStoreTest, WriteThenGet) {
  ngsi::Entity e = air_entity("urn:a", 12.5);
  ASSERT_TRUE(put_sync(*tenant_, e));
  auto got = get("urn:a");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->attrs, e.attrs);
  EXPECT_EQ(got->types, e.types);
  EXPECT_EQ(got->modified_at, e.modified_at);
  EXPECT_FALSE(get("urn:missing"));
}

Mutation add_to_no2(double delta) {
  return [delta](const ngsi::Entity* current) -> Result<Change> {
    if (current == nullptr) return fail(Code::kNotFound, "missing");
    Change c;
    c.kind = Change::Kind::kPut;
    c.entity = *current;
    c.entity.attrs[kNo2] = json::array{property(no2_of(*current) + delta)};
    return c;
  };
}

TEST_F(SqliteStoreTest, MutationSeesEarlierOpsOfTheSameBatch) {
  std::vector<WriteOp> ops;
  ops.push_back({"urn:a", put_entity(air_entity("urn:a", 1))});
  ops.push_back({"urn:a", add_to_no2(10)});
  ops.push_back({"urn:a", add_to_no2(100)});
  auto statuses = write_sync(*tenant_, std::move(ops));
  ASSERT_EQ(statuses.size(), 3u);
  for (const auto& s : statuses) EXPECT_TRUE(s);
  EXPECT_EQ(no2_of(*get("urn:a")), 111);
}

TEST_F(SqliteStoreTest, ConcurrentReadModifyWriteIsAtomic) {
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:counter", 0)));
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < kEach; ++i) {
        std::vector<WriteOp> ops;
        ops.push_back({"urn:counter", add_to_no2(1)});
        EXPECT_TRUE(write_sync(*tenant_, std::move(ops)).front());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(no2_of(*get("urn:counter")), kThreads * kEach);
  StoreStats stats = store_->stats();
  EXPECT_EQ(stats.committed_ops, 1u + kThreads * kEach);
  EXPECT_LE(stats.commits, stats.committed_ops);
}

TEST_F(SqliteStoreTest, OpErrorsAreIndependent) {
  std::vector<WriteOp> ops;
  ops.push_back({"urn:a", put_entity(air_entity("urn:a", 1))});
  ops.push_back({"urn:x", [](const ngsi::Entity*) -> Result<Change> {
                   return fail(Code::kBadRequestData, "nope");
                 }});
  ops.push_back({"urn:y", [](const ngsi::Entity*) -> Result<Change> {
                   throw std::runtime_error("boom");
                 }});
  ops.push_back({"urn:z", put_entity(air_entity("urn:other", 1))});
  ops.push_back({"urn:w", nullptr});
  ops.push_back({"urn:b", put_entity(air_entity("urn:b", 2))});
  auto s = write_sync(*tenant_, std::move(ops));
  ASSERT_EQ(s.size(), 6u);
  EXPECT_TRUE(s[0]);
  ASSERT_FALSE(s[1]);
  EXPECT_EQ(s[1].error().code, Code::kBadRequestData);
  ASSERT_FALSE(s[2]);
  EXPECT_EQ(s[2].error().code, Code::kInternal);
  EXPECT_NE(s[2].error().detail.find("boom"), std::string::npos);
  ASSERT_FALSE(s[3]);
  EXPECT_EQ(s[3].error().code, Code::kInternal);
  EXPECT_FALSE(s[4]);
  EXPECT_TRUE(s[5]);
  EXPECT_TRUE(get("urn:a"));
  EXPECT_TRUE(get("urn:b"));
  EXPECT_FALSE(get("urn:z"));
  EXPECT_FALSE(get("urn:other"));
}

TEST_F(SqliteStoreTest, StoredTellsWhichIdsAreStoredNow) {
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:a", 1)));
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:b", 2)));
  std::vector<WriteOp> ops;
  ops.push_back({"urn:b", delete_entity()});
  ASSERT_TRUE(write_sync(*tenant_, std::move(ops)).front());
  EXPECT_EQ(tenant_->stored({"urn:a", "urn:b", "urn:z", "urn:a"}),
            std::vector<bool>({true, false, false, true}));
  EXPECT_TRUE(tenant_->stored({}).empty());
}

// An update finds the state the writer cached at the entity's last
// commit; after a restart the cache is empty, and the first update reads
// the stored state. Creating an entity needs no stored state.
TEST_F(SqliteStoreTest, CountsUpdatesFoundInTheEntityCache) {
  auto counts = [this] {
    StoreStats s = store_->stats();
    return std::make_pair(s.entity_cache_hits, s.entity_cache_misses);
  };
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:a", 1)));
  EXPECT_EQ(counts(), std::make_pair(uint64_t{0}, uint64_t{0}));
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:a", 2)));
  EXPECT_EQ(counts(), std::make_pair(uint64_t{1}, uint64_t{0}));
  reopen();
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:a", 3)));
  EXPECT_EQ(counts(), std::make_pair(uint64_t{0}, uint64_t{1}));
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:a", 4)));
  EXPECT_EQ(counts(), std::make_pair(uint64_t{1}, uint64_t{1}));
  EXPECT_EQ(no2_of(*get("urn:a")), 4);
}

TEST_F(SqliteStoreTest, DeleteAndRecreate) {
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:a", 1)));
  std::vector<WriteOp> ops;
  ops.push_back({"urn:a", delete_entity()});
  ops.push_back({"urn:a", delete_entity()});  // sees the delete: kNotFound
  auto s = write_sync(*tenant_, std::move(ops));
  EXPECT_TRUE(s[0]);
  ASSERT_FALSE(s[1]);
  EXPECT_EQ(s[1].error().code, Code::kNotFound);
  EXPECT_FALSE(get("urn:a"));
  EXPECT_TRUE(tenant_->types()->empty());
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:a", 7)));
  EXPECT_EQ(no2_of(*get("urn:a")), 7);
  // History of both lives under one entity key.
  std::string db = dir_.path() + "/_default.db";
  tenant_.reset();
  store_->close();
  EXPECT_EQ(count_rows(db, "SELECT count(DISTINCT entity) FROM history"), 1);
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM history"), 6);
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM attr_names"), 3);
}

TEST_F(SqliteStoreTest, HistoryIsReadableAfterDelete) {
  ngsi::Entity e = air_entity("urn:h", 1);
  for (int i = 0; i < 3; ++i) {
    e.modified_at = from_micros(1'700'000'000'000'000 + i * 1'000'000);
    e.attrs[kNo2] = json::array{property(i)};
    ASSERT_TRUE(put_sync(*tenant_, e));
  }
  std::vector<WriteOp> ops;
  ops.push_back({"urn:h", [](const ngsi::Entity*) -> Result<Change> {
                   Change c;
                   c.kind = Change::Kind::kDelete;
                   HistoryEntry h;
                   h.attr = kNo2;
                   h.observed_at = from_micros(1'700'000'010'000'000);
                   h.recorded_at = h.observed_at;
                   h.deleted = true;
                   c.history.push_back(h);
                   return c;
                 }});
  ASSERT_TRUE(write_sync(*tenant_, std::move(ops)).front());

  HistoryQuery q;
  q.entity_id = "urn:h";
  q.attrs = {kNo2};
  auto h = tenant_->history(q);
  ASSERT_TRUE(h) << h.error().detail;
  ASSERT_EQ(h->size(), 4u);
  EXPECT_EQ((*h)[1].instance.at("value").to_number<double>(), 1);
  EXPECT_EQ((*h)[1].observed_at, from_micros(1'700'000'001'000'000));
  EXPECT_TRUE((*h)[3].deleted);
  EXPECT_TRUE((*h)[3].instance.empty());

  q.from = from_micros(1'700'000'001'000'000);
  q.to = from_micros(1'700'000'002'000'000);
  q.attrs = {};
  h = tenant_->history(q);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->size(), 3u);  // no2, pm10, location of the second write
  q.limit = 2;
  EXPECT_EQ(tenant_->history(q)->size(), 2u);
  q.entity_id = "urn:unknown";
  EXPECT_TRUE(tenant_->history(q)->empty());
}

TEST_F(SqliteStoreTest, FindByTypeBoxAndIdsWithPaging) {
  std::vector<WriteOp> ops;
  for (int i = 0; i < 20; ++i) {
    char id[32];
    snprintf(id, sizeof id, "urn:e%02d", i);
    ngsi::Entity e = air_entity(id, i, /*lon=*/i, /*lat=*/0);
    if (i % 2) e.types = {"https://example.org/Other"};
    ops.push_back({id, put_entity(e)});
  }
  for (const auto& s : write_sync(*tenant_, std::move(ops))) ASSERT_TRUE(s);

  auto all = tenant_->find({}, 5, 3);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 20u);
  ASSERT_EQ(all->entities.size(), 3u);
  EXPECT_EQ(all->entities[0].id, "urn:e05");
  EXPECT_EQ(all->entities[2].id, "urn:e07");

  EntitySelector air;
  air.types = {kAirType};
  air.bbox = EntitySelector::Box{3.5, -1, 9.5, 1};
  auto page = tenant_->find(air, 0, 100);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 3u);  // e04, e06, e08
  ASSERT_EQ(page->entities.size(), 3u);
  EXPECT_EQ(page->entities[0].id, "urn:e04");
  EXPECT_EQ(page->entities[2].id, "urn:e08");

  EntitySelector ids;
  ids.ids = {"urn:e03", "urn:nope", "urn:e01"};
  page = tenant_->find(ids, 0, 1);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 2u);
  ASSERT_EQ(page->entities.size(), 1u);
  EXPECT_EQ(page->entities[0].id, "urn:e01");

  auto types = tenant_->types();
  ASSERT_TRUE(types);
  EXPECT_EQ(*types,
            (std::vector<std::string>{"https://example.org/Other", kAirType}));
}

TEST_F(SqliteStoreTest, ReopenRebuildsIndexes) {
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:a", 1, 8, 50)));
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:b", 2, 9, 51)));
  std::vector<WriteOp> ops;
  ops.push_back({"urn:b", delete_entity()});
  ASSERT_TRUE(write_sync(*tenant_, std::move(ops)).front());
  reopen();
  EXPECT_EQ(store_->stats().entities, 1u);
  EntitySelector s;
  s.bbox = EntitySelector::Box{7, 49, 10, 52};
  s.types = {kAirType};
  auto page = tenant_->find(s, 0, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->entities.size(), 1u);
  EXPECT_EQ(page->entities[0].id, "urn:a");
  EXPECT_FALSE(get("urn:b"));
  // Re-creating after restart reuses the entity's key (no duplicate id row).
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:b", 3)));
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:c", 3)));
  EXPECT_EQ(no2_of(*get("urn:b")), 3);
  tenant_.reset();
  store_->close();
  EXPECT_EQ(count_rows(dir_.path() + "/_default.db",
                       "SELECT count(*) FROM entity_ids"),
            3);
}

// Databases written before the binary body form hold JSON text bodies:
// readers and the writer read them, and the next write stores the binary
// form.
TEST_F(SqliteStoreTest, BodiesWrittenAsJsonTextAreStillRead) {
  ngsi::Entity e = air_entity("urn:a", 12.5);
  ASSERT_TRUE(put_sync(*tenant_, e));
  tenant_.reset();
  store_->close();
  std::string path = dir_.path() + "/_default.db";
  std::string text =
      "{\"id\":\"urn:a\",\"types\":[\"" + e.types[0] +
      "\"],\"scope\":[],\"attrs\":" + to_json(e.attrs) +
      ",\"createdAt\":" + std::to_string(to_micros(e.created_at)) +
      ",\"modifiedAt\":" + std::to_string(to_micros(e.modified_at)) + "}";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE entities SET body = ?1", -1, &stmt,
                               nullptr),
            SQLITE_OK);
  sqlite3_bind_text(stmt, 1, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_EQ(count_rows(path,
                       "SELECT count(*) FROM entities WHERE "
                       "typeof(body) = 'text'"),
            1);

  open();
  auto got = get("urn:a");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->attrs, e.attrs);
  EXPECT_EQ(got->created_at, e.created_at);
  std::vector<WriteOp> ops;
  ops.push_back({"urn:a", add_to_no2(1)});
  ASSERT_TRUE(write_sync(*tenant_, std::move(ops)).front());
  EXPECT_EQ(no2_of(*get("urn:a")), 13.5);
  tenant_.reset();
  store_->close();
  EXPECT_EQ(count_rows(path,
                       "SELECT count(*) FROM entities WHERE "
                       "typeof(body) = 'blob'"),
            1);
}

TEST_F(SqliteStoreTest, UpdatesOfTypesAndLocationSurviveReopen) {
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:m", 1, 8, 50)));
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:m", 2, 8, 50)));  // body only
  ngsi::Entity moved = air_entity("urn:m", 3, 20, 20);
  moved.types = {"https://example.org/Moved"};
  ASSERT_TRUE(put_sync(*tenant_, moved));
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:n", 4, 8, 50)));
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:n", 5, 8, 50)));  // body only
  for (int round = 0; round < 2; ++round) {
    EntitySelector old_place;
    old_place.bbox = EntitySelector::Box{7, 49, 9, 51};
    auto page = tenant_->find(old_place, 0, 10);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->entities.size(), 1u);
    EXPECT_EQ(page->entities[0].id, "urn:n");
    EXPECT_EQ(no2_of(page->entities[0]), 5);
    EntitySelector new_place;
    new_place.bbox = EntitySelector::Box{19, 19, 21, 21};
    new_place.types = {"https://example.org/Moved"};
    EXPECT_EQ(tenant_->find(new_place, 0, 10)->total, 1u);
    EXPECT_EQ(no2_of(*get("urn:m")), 3);
    EXPECT_EQ(*tenant_->types(), (std::vector<std::string>{
                                     "https://example.org/Moved", kAirType}));
    reopen();
  }
}

// The NGSI-LD operations take the state they change out of the writer's
// overlay; whether the row's types column needs writing is still known.
TEST_F(SqliteStoreTest, TypesChangedByOpsThatTakeTheStateReachTheRow) {
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:t", 1)));
  auto retype = [](std::vector<std::string> types) -> Mutation {
    return [types](ngsi::Entity* current) -> Result<Change> {
      Change c;
      c.kind = Change::Kind::kPut;
      c.entity = std::move(*current);
      c.entity.types = types;
      return c;
    };
  };
  const std::string other = "https://example.org/Other";
  std::vector<WriteOp> ops;  // one transaction
  ops.push_back({"urn:t", retype({kAirType})});
  ops.push_back({"urn:t", retype({other})});
  ops.push_back({"urn:t", retype({other})});
  for (const auto& s : write_sync(*tenant_, std::move(ops))) EXPECT_TRUE(s);
  ops.clear();
  ops.push_back({"urn:t", retype({other})});
  ASSERT_TRUE(write_sync(*tenant_, std::move(ops)).front());
  EXPECT_EQ(*tenant_->types(), std::vector<std::string>{other});
  // The row's own types column, which the index falls back on when a body
  // cannot be read.
  tenant_.reset();
  store_->close();
  EXPECT_EQ(
      count_rows(dir_.path() + "/_default.db",
                 "SELECT count(*) FROM entities WHERE types = '" + other + "'"),
      1);
}

TEST_F(SqliteStoreTest, FailedCommitRollsBackEverything) {
  ASSERT_TRUE(put_sync(*tenant_, air_entity("urn:a", 1)));
  fail_commit_ = true;
  std::vector<WriteOp> ops;
  ops.push_back({"urn:a", put_entity(air_entity("urn:a", 99, 0, 0))});
  ops.push_back({"urn:new", put_entity(air_entity("urn:new", 5))});
  ops.push_back({"urn:bad", [](const ngsi::Entity*) -> Result<Change> {
                   return fail(Code::kBadRequestData, "nope");
                 }});
  auto s = write_sync(*tenant_, std::move(ops));
  ASSERT_EQ(s.size(), 3u);
  for (const auto& st : s) {
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, Code::kInternal);
    EXPECT_NE(st.error().detail.find("store commit failed"), std::string::npos);
  }
  fail_commit_ = false;
  EXPECT_EQ(no2_of(*get("urn:a")), 1);
  EXPECT_FALSE(get("urn:new"));
  // The writer's next read-modify-write sees the committed state, not the
  // rolled-back one (its cache of decoded entities holds no stale state).
  std::vector<WriteOp> add;
  add.push_back({"urn:a", add_to_no2(10)});
  ASSERT_TRUE(write_sync(*tenant_, std::move(add)).front());
  EXPECT_EQ(no2_of(*get("urn:a")), 11);
  EntitySelector box;
  box.bbox = EntitySelector::Box{-1, -1, 1, 1};
  EXPECT_EQ(tenant_->find(box, 0, 10)->total, 0u);
  // The store keeps working, also for a new attribute seen in the failed
  // transaction.
  ngsi::Entity e = air_entity("urn:new", 6);
  e.attrs["https://example.org/extra"] = json::array{property(1)};
  ASSERT_TRUE(put_sync(*tenant_, e));
  reopen();
  EXPECT_EQ(no2_of(*get("urn:new")), 6);
  EXPECT_EQ(no2_of(*get("urn:a")), 11);
}

TEST_F(SqliteStoreTest, CloseDrainsQueueThenRejects) {
  constexpr int kWrites = 200;
  std::atomic<int> acked{0};
  for (int i = 0; i < kWrites; ++i) {
    std::string id = "urn:q" + std::to_string(i);
    std::vector<WriteOp> ops;
    ops.push_back({id, put_entity(air_entity(id, i))});
    tenant_->write(std::move(ops), [&acked](std::vector<Status> s) {
      if (s.front()) ++acked;
    });
  }
  store_->close();
  EXPECT_EQ(acked.load(), kWrites);
  std::vector<WriteOp> ops;
  ops.push_back({"urn:late", put_entity(air_entity("urn:late", 1))});
  auto s = write_sync(*tenant_, std::move(ops));
  ASSERT_FALSE(s.front());
  EXPECT_EQ(s.front().error().code, Code::kUnavailable);
  auto r = tenant_->get("urn:q1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kUnavailable);
  EXPECT_FALSE(tenant_->get("urn:never-written"));
  EXPECT_FALSE(tenant_->find({}, 0, 10));
  EXPECT_FALSE(tenant_->types());
  EXPECT_FALSE(store_->tenant("", false));
  open();
  EXPECT_EQ(store_->stats().entities, static_cast<uint64_t>(kWrites));
}

TEST_F(SqliteStoreTest, TenantsAreSeparateFiles) {
  auto missing = store_->tenant("koeln", false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Code::kNonexistentTenant);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/koeln.db"));
  for (std::string_view bad : {"../x", "_system", "a.b", "-a"}) {
    auto r = store_->tenant(bad, true);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Code::kBadRequestData);
  }
  auto koeln = store_->tenant("koeln", true);
  ASSERT_TRUE(koeln);
  ASSERT_TRUE(put_sync(**koeln, air_entity("urn:k", 1)));
  EXPECT_FALSE(get("urn:k"));
  EXPECT_TRUE((*koeln)->get("urn:k").value());
  auto names = store_->tenant_names();
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"", "koeln"}));
  EXPECT_EQ(store_->stats().entities, 1u);
  reopen();
  koeln = store_->tenant("koeln", false);
  ASSERT_TRUE(koeln);
  EXPECT_TRUE((*koeln)->get("urn:k").value());
}

TEST_F(SqliteStoreTest, KeysAreStoredAsHashes) {
  EXPECT_EQ(sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  KeyStore& keys = store_->keys();
  ApiKey key{"k1",    sha256_hex("secret-1"), "koeln",
             "write", from_micros(42),        false};
  ASSERT_TRUE(keys.add(key));
  auto dup = keys.add(key);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Code::kAlreadyExists);
  ApiKey bad = key;
  bad.key_id = "k2";
  bad.secret_hash = "secret-1";
  EXPECT_EQ(keys.add(bad).error().code, Code::kBadRequestData);
  bad.secret_hash = sha256_hex("x");
  bad.role = "root";
  EXPECT_EQ(keys.add(bad).error().code, Code::kBadRequestData);
  bad.role = "read";
  bad.tenant = "../etc";
  EXPECT_EQ(keys.add(bad).error().code, Code::kBadRequestData);

  auto found = keys.find_by_hash(sha256_hex("secret-1"));
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->tenant, "koeln");
  EXPECT_EQ((*found)->created_at, from_micros(42));
  EXPECT_FALSE(keys.find_by_hash(sha256_hex("other")).value());
  EXPECT_EQ(keys.revoke("nope").error().code, Code::kNotFound);
  ASSERT_TRUE(keys.revoke("k1"));
  reopen();
  auto list = store_->keys().list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE(list->front().revoked);
  EXPECT_EQ(list->front().secret_hash, sha256_hex("secret-1"));
}

}  // namespace
}  // namespace cocity::store
