#include "store/entity_index.h"

#include <gtest/gtest.h>

namespace cocity::store {
namespace {

std::vector<std::string> ids_of(
    const std::vector<std::pair<std::string, int64_t>>& page) {
  std::vector<std::string> ids;
  for (const auto& p : page) ids.push_back(p.first);
  return ids;
}

class EntityIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.put("urn:c", 3, {"T1"}, Box{10, 10, 10, 10});
    index_.put("urn:a", 1, {"T1", "T2"}, Box{0, 0, 1, 1});
    index_.put("urn:b", 2, {"T2"}, std::nullopt);
    index_.put("urn:d", 4, {"T3"}, Box{0.5, 0.5, 0.5, 0.5});
  }
  std::vector<std::string> select(const EntitySelector& s, uint64_t offset = 0,
                                  uint64_t limit = 100) {
    return ids_of(index_.select(s, offset, limit, &total_));
  }
  EntityIndex index_;
  uint64_t total_ = 0;
};

TEST_F(EntityIndexTest, AllInIdOrderWithPaging) {
  EXPECT_EQ(select({}),
            (std::vector<std::string>{"urn:a", "urn:b", "urn:c", "urn:d"}));
  EXPECT_EQ(total_, 4u);
  EXPECT_EQ(select({}, 1, 2), (std::vector<std::string>{"urn:b", "urn:c"}));
  EXPECT_EQ(total_, 4u);
  EXPECT_TRUE(select({}, 10, 2).empty());
  EXPECT_EQ(total_, 4u);
}

TEST_F(EntityIndexTest, ByType) {
  EntitySelector s;
  s.types = {"T2"};
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:a", "urn:b"}));
  s.types = {"T1", "T2"};  // any of; an entity of both counts once
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:a", "urn:b", "urn:c"}));
  EXPECT_EQ(total_, 3u);
  s.types = {"Unknown"};
  EXPECT_TRUE(select(s).empty());
  EXPECT_EQ(total_, 0u);
}

TEST_F(EntityIndexTest, ByIdsTypesAndBox) {
  EntitySelector s;
  s.ids = {"urn:d", "urn:a", "urn:missing", "urn:a"};
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:a", "urn:d"}));
  s.types = {"T3"};
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:d"}));
  EntitySelector geo;
  geo.bbox = Box{0, 0, 2, 2};
  EXPECT_EQ(select(geo), (std::vector<std::string>{"urn:a", "urn:d"}));
  geo.types = {"T1"};
  EXPECT_EQ(select(geo), (std::vector<std::string>{"urn:a"}));
  EXPECT_EQ(total_, 1u);
}

TEST_F(EntityIndexTest, PutReplacesAndRemoveForgets) {
  index_.put("urn:a", 1, {"T3"}, Box{20, 20, 20, 20});
  EntitySelector s;
  s.types = {"T1"};
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:c"}));
  s.types = {};
  s.bbox = Box{0, 0, 2, 2};
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:d"}));
  index_.remove("urn:d");
  index_.remove("urn:nope");
  EXPECT_TRUE(select(s).empty());
  EXPECT_FALSE(index_.key_of("urn:d"));
  EXPECT_EQ(*index_.key_of("urn:a"), 1);
  EXPECT_EQ(index_.types(), (std::vector<std::string>{"T1", "T2", "T3"}));
  index_.remove("urn:c");
  EXPECT_EQ(index_.types(), (std::vector<std::string>{"T2", "T3"}));
  EXPECT_EQ(index_.size(), 2u);
}

}  // namespace
}  // namespace cocity::store
