#include "store/entity_index.h"

#include <gtest/gtest.h>

#include "ngsi/geo_query.h"

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

TEST_F(EntityIndexTest, RemovedSlotsAreReused) {
  index_.remove("urn:a");
  index_.put("urn:e", 5, {"T1"}, Box{0.2, 0.2, 0.2, 0.2});
  index_.put("urn:a", 6, {"T2"}, Box{0.7, 0.7, 0.7, 0.7});
  EntitySelector s;
  s.bbox = Box{0, 0, 1, 1};
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:a", "urn:d", "urn:e"}));
  s.types = {"T1"};
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:e"}));
  EXPECT_EQ(*index_.key_of("urn:a"), 6);
  EXPECT_EQ(*index_.key_of("urn:e"), 5);
}

// Lookups by id go through a hash of views into the index's own copies of
// the ids: the caller's strings may go away.
TEST_F(EntityIndexTest, IdsOutliveTheCallersStrings) {
  auto long_id = [](int n) {
    return "urn:ngsi-ld:AirQualityObserved:station-with-a-long-name-" +
           std::to_string(n);
  };
  for (int n = 0; n < 100; ++n) index_.put(long_id(n), 100 + n, {"T4"}, {});
  for (int n = 0; n < 100; n += 2) index_.remove(long_id(n));
  for (int n = 0; n < 100; ++n) {
    auto key = index_.key_of(long_id(n));
    if (n % 2 == 0) {
      EXPECT_FALSE(key) << n;
    } else {
      ASSERT_TRUE(key) << n;
      EXPECT_EQ(*key, 100 + n);
    }
  }
  EntitySelector s;
  s.ids = {long_id(3), long_id(4)};
  EXPECT_EQ(select(s), (std::vector<std::string>{long_id(3)}));
  EXPECT_EQ(index_.size(), 54u);
}

TEST_F(EntityIndexTest, WithoutCountStopsAfterThePage) {
  EntitySelector s;
  s.bbox = Box{-100, -100, 100, 100};
  s.types = {"T1"};
  s.count = false;
  // Ordered walk over T1 (urn:a, urn:c): the page and one more at most.
  EXPECT_EQ(select(s, 0, 1), (std::vector<std::string>{"urn:a"}));
  EXPECT_EQ(total_, 2u);
  EXPECT_EQ(select(s, 1, 1), (std::vector<std::string>{"urn:c"}));
  EXPECT_EQ(total_, 2u);
  s.count = true;
  EXPECT_EQ(select(s, 0, 1), (std::vector<std::string>{"urn:a"}));
  EXPECT_EQ(total_, 2u);
}

TEST_F(EntityIndexTest, AfterIdStartsTheWalkThere) {
  EntitySelector s;
  s.after_id = "urn:a";
  s.count = false;
  EXPECT_EQ(select(s, 0, 2), (std::vector<std::string>{"urn:b", "urn:c"}));
  EXPECT_EQ(total_, 3u);  // the page and a sign that more follow
  s.after_id = "urn:c";
  EXPECT_EQ(select(s, 0, 2), (std::vector<std::string>{"urn:d"}));
  EXPECT_EQ(total_, 1u);
  s.types = {"T2"};
  s.after_id = "urn:a";
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:b"}));
  s.types = {"T1", "T2"};  // unordered candidates
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:b", "urn:c"}));
  s.types = {};
  s.bbox = Box{0, 0, 20, 20};  // filtered walk
  EXPECT_EQ(select(s), (std::vector<std::string>{"urn:c", "urn:d"}));
}

// Many points in and around a polygon: the index's answers (R-tree, grid,
// partial sort) equal a plain exact test in id order, page by page.
TEST(EntityIndexGeo, WithinPolygonPagesMatchTheExactTest) {
  EntityIndex index;
  std::vector<std::pair<std::string, ngsi::geo::Point>> points;
  for (int i = 0; i < 2000; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "urn:p:%05d", (i * 7919) % 2000);
    double lon = 7.0 + (i % 50) * 0.0021, lat = 49.0 + (i / 50) * 0.0026;
    index.put(id, i + 1, {"T"}, Box{lon, lat, lon, lat});
    points.emplace_back(id, ngsi::geo::Point(lon, lat));
  }
  json::array ring;
  for (int k = 0; k <= 40; ++k) {
    double a = 2 * 3.14159265358979 * (k % 40) / 40;
    double r = 0.04 * (1 + 0.3 * std::sin(5 * a));
    ring.push_back(
        json::array{7.05 + r * std::cos(a), 49.05 + r * std::sin(a)});
  }
  for (const char* rel : {"within", "intersects"}) {
    auto geo = ngsi::parse_geo_query({rel, "Polygon", json::array{ring}, ""},
                                     *ngsi::Context::core());
    ASSERT_TRUE(geo);
    ASSERT_TRUE(geo->grid);
    std::vector<std::string> expected;
    for (const auto& [id, p] : points) {
      if (ngsi::geo_matches(*geo, ngsi::geo::Geometry(p)))
        expected.push_back(id);
    }
    std::sort(expected.begin(), expected.end());
    ASSERT_GT(expected.size(), 100u);
    EntitySelector s;
    s.geo = std::make_shared<const ngsi::GeoQuery>(*geo);
    uint64_t total = 0;
    std::vector<std::string> got;
    for (uint64_t offset = 0; offset < expected.size(); offset += 37) {
      for (const auto& [id, key] : index.select(s, offset, 37, &total))
        got.push_back(id);
      EXPECT_EQ(total, expected.size());
    }
    EXPECT_EQ(got, expected) << rel;
  }
}

}  // namespace
}  // namespace cocity::store
