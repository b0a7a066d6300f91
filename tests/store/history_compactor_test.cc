// History compaction planned on the compactor's thread and applied by the
// writer: compacted rows that stay in the log are read once, the log's
// front goes, and an edit made while a plan was being made is kept.
#include "store/sqlite/history_compactor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <memory>
#include <string>
#include <thread>

#include "store/sqlite/history_reader.h"
#include "store/sqlite/history_writer.h"
#include "store/sqlite/tenant_writer.h"
#include "test_util.h"

namespace cocity::store::sqlite {
namespace {

using store::testing::kNo2;
using store::testing::TempDir;

constexpr int64_t kT0 = 1'700'000'000'000'000;
constexpr int64_t kStep = 60'000'000;

class HistoryCompactorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/t.db";
    auto db = Database::open(path_, Database::Mode::kCreate);
    ASSERT_TRUE(db) << db.error().detail;
    db_ = std::move(*db);
    ASSERT_TRUE(db_.exec("PRAGMA journal_mode=WAL"));
    ASSERT_TRUE(ensure_tenant_schema(db_));
    ASSERT_TRUE(
        db_.exec("INSERT INTO entity_ids VALUES (1, 'urn:a'), (2, 'urn:b'), "
                 "(3, 'urn:c'); INSERT INTO attr_names VALUES (1, '" +
                 std::string(kNo2) + "')"));
    open_writer();
  }
  void TearDown() override { writer_.reset(); }

  // Compaction starts at 4 rows; a slice takes 4 rows (whole entities).
  void open_writer(std::chrono::seconds retention = std::chrono::seconds(0)) {
    writer_.reset();
    index_.clear();
    auto w = HistoryWriter::open(&db_, path_, &index_, retention, 4, nullptr);
    ASSERT_TRUE(w) << w.error().detail;
    writer_ = std::move(*w);
  }

  static StoredEntry entry(int i) {
    HistoryEntry h;
    h.observed_at = from_micros(kT0 + i * kStep);
    h.recorded_at = h.observed_at;
    h.instance = store::testing::property(i);
    return to_stored(h, 1);
  }

  // One log row of one entry (value i) for each (entity, i), in order.
  void append(const std::vector<std::pair<int64_t, int>>& rows) {
    ASSERT_TRUE(db_.exec("BEGIN IMMEDIATE"));
    for (const auto& [entity, i] : rows) {
      std::string data;
      append_log_entry(entry(i), &data);
      int64_t t = kT0 + i * kStep;
      ASSERT_TRUE(writer_->append(entity, data, 1, t, t));
    }
    ASSERT_TRUE(db_.exec("COMMIT"));
    writer_->committed();
  }

  // One compaction slice, planned and applied.
  void compact_slice() {
    ASSERT_TRUE(writer_->wants_compaction(true));
    ASSERT_TRUE(writer_->compact(true));  // planned
    ASSERT_TRUE(writer_->compact(true));  // applied (and the next planned)
  }

  // The values of the entity's history, read with `log_index`.
  std::vector<int> values(const std::string& id,
                          const HistoryLogIndex& log_index) {
    HistoryQuery q;
    q.entity_id = id;
    q.limit = 1000;
    auto h = read_history(db_, log_index, q);
    EXPECT_TRUE(h) << h.error().detail;
    std::vector<int> out;
    if (h) {
      for (const auto& e : *h) {
        out.push_back(
            static_cast<int>(e.instance.at("value").to_number<double>()));
      }
    }
    return out;
  }
  std::vector<int> values(const std::string& id) { return values(id, index_); }

  int64_t count(const std::string& sql) {
    auto stmt = db_.prepare(sql);
    EXPECT_TRUE(stmt) << sql;
    if (!stmt) return -1;
    auto row = stmt->step();
    int64_t n = row && *row ? stmt->column_int(0) : -1;
    stmt->reset();
    return n;
  }

  static std::vector<int> range(int n) {
    std::vector<int> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = i;
    return v;
  }

  TempDir dir_;
  std::string path_;
  Database db_;
  HistoryLogIndex index_;
  std::unique_ptr<HistoryWriter> writer_;
};

// urn:a's rows are interleaved with urn:b's: compacting urn:a leaves them
// in the log, below urn:a's mark. Every reader reads each entry once: one
// that listed the rows before the compaction, the `history` view, and the
// list rebuilt when the tenant opens again.
TEST_F(HistoryCompactorTest, CompactedRowsLeftInTheLogAreReadOnce) {
  std::vector<std::pair<int64_t, int>> rows;
  for (int i = 0; i < 10; ++i) {
    rows.push_back({1, i});
    rows.push_back({2, i});
  }
  append(rows);
  // A reader's list taken before the compaction: every row.
  HistoryLogIndex before;
  for (int64_t seq = 1; seq <= 20; ++seq) {
    before.add({{seq % 2 == 1 ? 1 : 2, seq, std::numeric_limits<int64_t>::min(),
                 std::numeric_limits<int64_t>::max()}});
  }
  compact_slice();  // urn:a, the entity of the oldest row
  EXPECT_EQ(writer_->log_rows(), 10u);
  EXPECT_EQ(count("SELECT count(*) FROM history_log"), 20);
  EXPECT_EQ(count("SELECT seq FROM history_compacted WHERE entity = 1"), 19);
  EXPECT_EQ(count("SELECT sum(count) FROM history_chunks"), 10);

  EXPECT_EQ(values("urn:a"), range(10));
  EXPECT_EQ(values("urn:a", before), range(10));
  EXPECT_EQ(values("urn:b", before), range(10));
  EXPECT_EQ(count("SELECT count(*) FROM history"), 20);

  open_writer();
  EXPECT_EQ(writer_->log_rows(), 10u);
  EXPECT_EQ(index_.size(), 10u);
  EXPECT_EQ(values("urn:a"), range(10));
  EXPECT_EQ(values("urn:b"), range(10));

  // The last slice empties the log and the marks.
  while (writer_->wants_compaction(true)) ASSERT_TRUE(writer_->compact(true));
  EXPECT_EQ(writer_->log_rows(), 0u);
  EXPECT_EQ(count("SELECT count(*) FROM history_log"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM history_compacted"), 0);
  EXPECT_EQ(values("urn:a"), range(10));
  EXPECT_EQ(values("urn:b"), range(10));
  EXPECT_EQ(count("SELECT count(*) FROM history"), 20);
}

// Once no row older than them is listed, compacted rows leave the log as
// its front, while the log is not empty.
TEST_F(HistoryCompactorTest, TheFrontOfTheLogIsDeleted) {
  std::vector<std::pair<int64_t, int>> rows;
  for (int i = 0; i < 10; ++i) rows.push_back({1, i});
  for (int i = 0; i < 10; ++i) {
    rows.push_back({2, i});
    rows.push_back({3, i});
  }
  append(rows);
  compact_slice();  // urn:a: seqs 1-10; urn:a's rows are still the oldest
  EXPECT_EQ(count("SELECT count(*) FROM history_log"), 30);
  ASSERT_TRUE(writer_->compact(true));  // urn:b; the front passes urn:a
  EXPECT_EQ(count("SELECT count(*) FROM history_log"), 20);
  EXPECT_EQ(count("SELECT min(seq) FROM history_log"), 11);
  EXPECT_EQ(writer_->log_rows(), 10u);
  for (const char* id : {"urn:a", "urn:b", "urn:c"}) {
    EXPECT_EQ(values(id), range(10)) << id;
  }
  EXPECT_EQ(count("SELECT count(*) FROM history"), 30);
}

// Under a load that never pauses the log never empties: expired chunks
// are swept by any slice once the sweep is due (the data here is from
// 2023, older than a year of retention).
TEST_F(HistoryCompactorTest, ExpiredChunksAreSweptWhileTheLogIsNotEmpty) {
  std::vector<std::pair<int64_t, int>> rows;
  for (int i = 0; i < 10; ++i) rows.push_back({1, i});
  append(rows);
  while (writer_->wants_compaction(true)) ASSERT_TRUE(writer_->compact(true));
  ASSERT_EQ(count("SELECT count(*) FROM history_chunks"), 1);

  open_writer(std::chrono::hours(24 * 365));
  rows.clear();
  for (int i = 0; i < 10; ++i) rows.push_back({2, i});
  for (int i = 0; i < 10; ++i) rows.push_back({3, i});
  append(rows);
  compact_slice();  // urn:b's rows; urn:c's stay listed
  EXPECT_EQ(writer_->log_rows(), 10u);
  EXPECT_EQ(count("SELECT count(*) FROM history_chunks"), 0);
  EXPECT_TRUE(values("urn:a").empty());
  EXPECT_TRUE(values("urn:b").empty());
}

// A plan made before a history edit holds what the edit removed: the
// writer drops it and plans the slice again.
TEST_F(HistoryCompactorTest, AnEditWhilePlanningIsKept) {
  std::vector<std::pair<int64_t, int>> rows;
  for (int i = 0; i < 10; ++i) rows.push_back({1, i});
  append(rows);
  ASSERT_TRUE(writer_->wants_compaction(true));
  ASSERT_TRUE(writer_->compact(false));  // planning
  for (int i = 0; i < 500 && !writer_->plan_ready(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(writer_->plan_ready());

  HistoryEdit del;
  del.kind = HistoryEdit::Kind::kDeleteInstance;
  del.attr = kNo2;
  del.instance_id = instance_id(entry(3));
  ASSERT_TRUE(db_.exec("BEGIN IMMEDIATE"));
  auto touched = writer_->edit(1, 1, del);
  ASSERT_TRUE(touched);
  EXPECT_EQ(*touched, 1u);
  ASSERT_TRUE(db_.exec("COMMIT"));

  while (writer_->wants_compaction(true)) ASSERT_TRUE(writer_->compact(true));
  EXPECT_EQ(count("SELECT count(*) FROM history_log"), 0);
  EXPECT_EQ(values("urn:a"), (std::vector<int>{0, 1, 2, 4, 5, 6, 7, 8, 9}));
}

}  // namespace
}  // namespace cocity::store::sqlite
