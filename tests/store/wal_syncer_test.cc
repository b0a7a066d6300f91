// The WAL syncer: acknowledgements run after a sync, in order, all of them.
#include "store/sqlite/wal_syncer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "test_util.h"

namespace cocity::store::sqlite {
namespace {

// A database in WAL mode with one committed table, so that its -wal exists
// while `db` stays open.
sqlite3* open_wal_db(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db,
                         "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                         "CREATE TABLE t(x);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  return db;
}

TEST(WalSyncer, MissingLogIsAClearError) {
  testing::TempDir dir;
  auto syncer = WalSyncer::start(dir.path() + "/none.db");
  ASSERT_FALSE(syncer);
  EXPECT_NE(syncer.error().detail.find("none.db-wal"), std::string::npos)
      << syncer.error().detail;
}

TEST(WalSyncer, RunsEveryCallbackInOrderAfterASync) {
  testing::TempDir dir;
  std::string path = dir.path() + "/t.db";
  sqlite3* db = open_wal_db(path);
  std::atomic<int> synced_rounds{0};
  std::vector<int> order;
  int failures = 0;
  {
    auto syncer = WalSyncer::start(path, [&] { ++synced_rounds; });
    ASSERT_TRUE(syncer) << syncer.error().detail;
    for (int i = 0; i < 1000; ++i) {
      ASSERT_EQ(sqlite3_exec(db, "INSERT INTO t VALUES (1)", nullptr, nullptr,
                             nullptr),
                SQLITE_OK);
      (*syncer)->submit([&order, &failures, i](Status s) {
        if (!s) ++failures;
        order.push_back(i);
      });
    }
    // The destructor runs what is still pending.
  }
  ASSERT_EQ(order.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(order[i], i);
  EXPECT_EQ(failures, 0);
  // One sync may cover several commits, never less than one per round.
  EXPECT_GE(synced_rounds.load(), 1);
  EXPECT_LE(synced_rounds.load(), 1000);
  sqlite3_close(db);
}

TEST(WalSyncer, BusyUntilTheCallbackRan) {
  testing::TempDir dir;
  std::string path = dir.path() + "/t.db";
  sqlite3* db = open_wal_db(path);
  auto syncer = WalSyncer::start(path);
  ASSERT_TRUE(syncer) << syncer.error().detail;
  EXPECT_FALSE((*syncer)->busy());
  std::atomic<bool> release{false};
  std::atomic<bool> ran{false};
  (*syncer)->submit([&](Status) {
    while (!release.load()) std::this_thread::yield();
    ran = true;
  });
  EXPECT_TRUE((*syncer)->busy());
  release = true;
  while (!ran.load()) std::this_thread::yield();
  // busy() turns false right after the callback returns.
  for (int i = 0; i < 1000 && (*syncer)->busy(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_FALSE((*syncer)->busy());
  syncer->reset();
  sqlite3_close(db);
}

}  // namespace
}  // namespace cocity::store::sqlite
