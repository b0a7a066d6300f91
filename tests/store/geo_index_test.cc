#include "store/geo_index.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cocity::store {
namespace {

std::optional<Box> box_of(std::string_view text) {
  auto v = parse_json(text);
  EXPECT_TRUE(v);
  return geometry_box(*v);
}

TEST(GeometryBox, Point) {
  auto b = box_of(R"({"type":"Point","coordinates":[13.4,52.5]})");
  ASSERT_TRUE(b);
  EXPECT_DOUBLE_EQ(b->min_lon, 13.4);
  EXPECT_DOUBLE_EQ(b->max_lat, 52.5);
}

TEST(GeometryBox, PolygonAndMulti) {
  auto b = box_of(
      R"({"type":"Polygon","coordinates":[[[1,2],[3,2],[3,5],[1,5],[1,2]]]})");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->min_lon, 1);
  EXPECT_EQ(b->min_lat, 2);
  EXPECT_EQ(b->max_lon, 3);
  EXPECT_EQ(b->max_lat, 5);
  auto m = box_of(
      R"({"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[-4,7],[2,2]]]})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->min_lon, -4);
  EXPECT_EQ(m->max_lat, 7);
  auto c = box_of(
      R"({"type":"GeometryCollection","geometries":[
          {"type":"Point","coordinates":[10,10]},
          {"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}]})");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->min_lon, 0);
  EXPECT_EQ(c->max_lon, 10);
}

TEST(GeometryBox, RejectsMalformed) {
  for (std::string_view text : {R"({"type":"Point","coordinates":[1]})",
                                R"({"type":"Point","coordinates":["a","b"]})",
                                R"({"type":"Circle","coordinates":[1,2]})",
                                R"({"type":"Polygon","coordinates":[1,2]})",
                                R"({"type":"LineString","coordinates":[]})",
                                R"([1,2])", R"({"coordinates":[1,2]})"}) {
    EXPECT_FALSE(box_of(text)) << text;
  }
}

TEST(LocationBox, UnionOfInstances) {
  auto attrs = parse_json(R"({"https://uri.etsi.org/ngsi-ld/location":[
      {"type":"GeoProperty","value":{"type":"Point","coordinates":[1,1]}},
      {"type":"GeoProperty","datasetId":"urn:d","value":{"type":"Point","coordinates":[5,-2]}}]})");
  ASSERT_TRUE(attrs);
  auto b = location_box(attrs->as_object());
  ASSERT_TRUE(b);
  EXPECT_EQ(b->min_lon, 1);
  EXPECT_EQ(b->min_lat, -2);
  EXPECT_EQ(b->max_lon, 5);
  EXPECT_EQ(b->max_lat, 1);
  EXPECT_FALSE(location_box(json::object{}));
}

TEST(GeoIndex, InsertQueryRemove) {
  GeoIndex index;
  index.insert(Box{0, 0, 1, 1}, 1);
  index.insert(Box{5, 5, 5, 5}, 2);
  auto hits = index.query(Box{0.5, 0.5, 5, 5});
  EXPECT_EQ(hits.size(), 2u);
  hits = index.query(Box{2, 2, 3, 3});
  EXPECT_TRUE(hits.empty());
  index.remove(Box{0, 0, 1, 1}, 1);
  hits = index.query(Box{-10, -10, 10, 10});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0], 2u);
  EXPECT_EQ(index.size(), 1u);
}

TEST(GeoIndex, BulkAssignThenUpdate) {
  std::vector<std::pair<Box, GeoIndex::Ref>> entries;
  for (uint32_t i = 0; i < 100; ++i) {
    entries.emplace_back(Box{double(i), 0, double(i), 0}, i);
  }
  GeoIndex index;
  index.assign(entries);
  EXPECT_EQ(index.size(), 100u);
  EXPECT_EQ(index.query(Box{9.5, -1, 19.5, 1}).size(), 10u);
  index.remove(Box{10, 0, 10, 0}, 10);
  index.insert(Box{50, 50, 50, 50}, 10);
  EXPECT_EQ(index.query(Box{9.5, -1, 19.5, 1}).size(), 9u);
  EXPECT_EQ(index.size(), 100u);
  std::vector<GeoIndex::Ref> capped;
  EXPECT_FALSE(index.query(Box{0, -1, 99, 1}, 5, &capped));
  EXPECT_TRUE(index.query(Box{0, -1, 3, 1}, 5, &capped));
  EXPECT_EQ(capped.size(), 4u);
}

}  // namespace
}  // namespace cocity::store
