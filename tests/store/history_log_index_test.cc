// The in-memory list of history_log rows per entity.
#include "store/sqlite/history_log_index.h"

#include <gtest/gtest.h>

namespace cocity::store::sqlite {
namespace {

TEST(HistoryLogIndex, SlicesTakeWholeEntitiesAndKeepLaterRows) {
  HistoryLogIndex index;
  index.add({{1, 10, 0, 0}, {2, 11, 0, 0}, {1, 12, 5, 9}, {3, 13, 0, 0}});
  EXPECT_EQ(index.seqs(1, 7), (std::vector<int64_t>{12}));
  EXPECT_TRUE(index.seqs(1, 3).empty());
  EXPECT_EQ(index.seqs(1), (std::vector<int64_t>{10, 12}));
  EXPECT_EQ(index.size(), 4u);

  HistoryLogIndex::Rows slice = index.peek(2);
  uint64_t rows = 0;
  for (const auto& [entity, seqs] : slice) {
    EXPECT_EQ(seqs, index.seqs(entity));  // whole entities
    rows += seqs.size();
  }
  EXPECT_GE(rows, 2u);
  EXPECT_LT(slice.size(), 3u);

  // A row committed after the peek survives the removal of the slice.
  index.add({{1, 14, 0, 0}});
  index.remove(slice);
  EXPECT_EQ(index.size(), 5u - rows);
  for (const auto& [entity, seqs] : slice) {
    if (entity == 1) {
      EXPECT_EQ(index.seqs(1), (std::vector<int64_t>{14}));
    } else {
      EXPECT_TRUE(index.seqs(entity).empty());
    }
  }
  index.remove(index.peek(100));
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.peek(100).empty());
}

// Slices take entities in the order of their oldest listed row, so that
// compaction frees the front of the log first.
TEST(HistoryLogIndex, SlicesStartWithTheOldestRow) {
  HistoryLogIndex index;
  EXPECT_FALSE(index.oldest());
  index.add(
      {{7, 1, 0, 0}, {5, 2, 0, 0}, {7, 3, 0, 0}, {9, 4, 0, 0}, {5, 5, 0, 0}});
  EXPECT_EQ(index.oldest(), 1);
  HistoryLogIndex::Rows slice = index.peek(1);
  ASSERT_EQ(slice.size(), 1u);
  EXPECT_EQ(slice[0].first, 7);
  EXPECT_EQ(slice[0].second, (std::vector<int64_t>{1, 3}));
  index.remove(slice);
  EXPECT_EQ(index.oldest(), 2);
  slice = index.peek(3);
  ASSERT_EQ(slice.size(), 2u);
  EXPECT_EQ(slice[0].first, 5);
  EXPECT_EQ(slice[1].first, 9);
  // A row of entity 5 committed since: 5 is listed again, from seq 6.
  index.add({{5, 6, 0, 0}});
  index.remove(slice);
  EXPECT_EQ(index.oldest(), 6);
  EXPECT_EQ(index.seqs(5), (std::vector<int64_t>{6}));
  index.clear();
  EXPECT_FALSE(index.oldest());
}

}  // namespace
}  // namespace cocity::store::sqlite
