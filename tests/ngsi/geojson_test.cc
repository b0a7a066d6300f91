#include "ngsi/geojson.h"

#include <gtest/gtest.h>

namespace cocity::ngsi {
namespace {

Status check(std::string_view text) {
  auto v = parse_json(text);
  EXPECT_TRUE(v);
  return validate_geometry(*v, "attribute 'location'");
}

TEST(GeoJsonTest, AcceptsEveryGeometryKind) {
  EXPECT_TRUE(check(R"({"type":"Point","coordinates":[7.76,49.44]})"));
  EXPECT_TRUE(check(R"({"type":"Point","coordinates":[7.76,49.44,230]})"));
  EXPECT_TRUE(check(
      R"({"type":"MultiPoint","coordinates":[[7.76,49.44],[7.7,49.4]]})"));
  EXPECT_TRUE(check(
      R"({"type":"LineString","coordinates":[[7.76,49.44],[7.7,49.4]]})"));
  EXPECT_TRUE(check(
      R"({"type":"MultiLineString","coordinates":[[[7.76,49.44],[7.7,49.4]]]})"));
  EXPECT_TRUE(
      check(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]})"));
  EXPECT_TRUE(check(
      R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]})"));
  EXPECT_TRUE(check(
      R"({"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]})"));
}

TEST(GeoJsonTest, RejectsBrokenGeometriesWithReason) {
  auto unclosed =
      check(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})");
  ASSERT_FALSE(unclosed);
  EXPECT_NE(unclosed.error().detail.find("closed"), std::string::npos);
  auto lat = check(R"({"type":"Point","coordinates":[7.7,91]})");
  ASSERT_FALSE(lat);
  EXPECT_NE(lat.error().detail.find("latitude"), std::string::npos);
  EXPECT_NE(lat.error().detail.find("attribute 'location'"), std::string::npos);
  EXPECT_FALSE(check(R"({"type":"Point","coordinates":[181,0]})"));
  EXPECT_FALSE(check(R"({"type":"Point","coordinates":["7","49"]})"));
  EXPECT_FALSE(check(R"({"type":"LineString","coordinates":[[0,0]]})"));
  EXPECT_FALSE(check(R"({"type":"Circle","coordinates":[0,0]})"));
  EXPECT_FALSE(check(R"({"type":"Point"})"));
  EXPECT_FALSE(check(R"([1,2])"));
}

}  // namespace
}  // namespace cocity::ngsi
