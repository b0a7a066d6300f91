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

}  // namespace
}  // namespace cocity::store::sqlite
