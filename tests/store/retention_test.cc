// History retention per tenant: StoreOptions::tenant_history_retention
// overrides the default for the tenants it names.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "store/store.h"
#include "test_util.h"

namespace cocity::store {
namespace {

using namespace testing;

constexpr int64_t kT0 = 1'700'000'000'000'000;  // November 2023
constexpr int64_t kStep = 900'000'000;          // 15 minutes

int64_t count(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

TEST(HistoryRetentionFor, TenantEntryElseDefault) {
  StoreOptions o;
  o.history_retention = std::chrono::hours(24);
  o.tenant_history_retention["kl"] = std::chrono::hours(48);
  EXPECT_EQ(history_retention_for(o, "kl"), std::chrono::hours(48));
  EXPECT_EQ(history_retention_for(o, "other"), std::chrono::hours(24));
  EXPECT_EQ(history_retention_for(o, ""), std::chrono::hours(24));
}

TEST(TenantRetention, DropsOnlyTheTenantsOldHistory) {
  TempDir dir;
  StoreOptions o;
  o.data_dir = dir.path();
  o.history_compact_rows = 64;
  o.tenant_history_retention["kl"] = std::chrono::hours(24 * 365);
  auto store = open_sqlite_store(o);
  ASSERT_TRUE(store) << store.error().detail;
  for (const char* name : {"kl", "keep"}) {
    auto t = (*store)->tenant(name, true);
    ASSERT_TRUE(t);
    std::vector<WriteOp> ops;
    for (int i = 0; i < 300; ++i) {
      ngsi::Entity e = air_entity("urn:s", i);
      e.modified_at = from_micros(kT0 + i * kStep);
      ops.push_back(WriteOp{"urn:s", put_entity(e)});
    }
    for (const auto& s : write_sync(**t, std::move(ops))) ASSERT_TRUE(s);
  }
  // The writers compact when idle; then the sweep applies the retention.
  std::string kl = dir.path() + "/kl.db";
  std::string keep = dir.path() + "/keep.db";
  for (int i = 0; i < 500; ++i) {
    if (count(kl.c_str(), "SELECT count(*) FROM history_log") == 0 &&
        count(keep.c_str(), "SELECT count(*) FROM history_log") == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  (*store)->close();
  EXPECT_EQ(count(kl, "SELECT count(*) FROM history"), 0);
  EXPECT_GT(count(keep, "SELECT count(*) FROM history"), 0);
}

}  // namespace
}  // namespace cocity::store
