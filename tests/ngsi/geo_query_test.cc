#include "ngsi/geo_query.h"

#include <gtest/gtest.h>

namespace cocity::ngsi {
namespace {

Result<GeoQuery> parse(std::string georel, std::string geometry,
                       std::string coordinates, std::string geoproperty = "") {
  GeoQueryText t{
      std::move(georel), std::move(geometry), {}, std::move(geoproperty)};
  if (auto s = read_coordinates(coordinates, &t); !s)
    return std::unexpected(s.error());
  return parse_geo_query(t, *Context::core());
}

geo::Geometry shape(std::string_view geojson) {
  auto s = read_shape(*parse_json(geojson), "test");
  EXPECT_TRUE(s) << s.error().detail;
  return s->parts.front();
}

TEST(GeoQueryTest, Distances) {
  // One degree of latitude is ~111.2 km on the mean sphere.
  EXPECT_NEAR(distance_m(geo::Point(8, 50), geo::Point(8, 51)), 111195, 10);
  auto line = shape(R"({"type":"LineString","coordinates":[[8,50],[8,51]]})");
  // 0.01 degrees of longitude at 50.5 N: ~707 m.
  EXPECT_NEAR(distance_m(geo::Geometry(geo::Point(8.01, 50.5)), line), 707.4,
              2);
  auto square = shape(
      R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]})");
  EXPECT_EQ(distance_m(geo::Geometry(geo::Point(0.5, 0.5)), square), 0);
}

TEST(GeoQueryTest, NearAndSearchBox) {
  auto q = parse("near;maxDistance==500", "Point", "[8,50]");
  ASSERT_TRUE(q) << q.error().detail;
  EXPECT_TRUE(geo_matches(*q, geo::Geometry(geo::Point(8.006, 50))));   // 429m
  EXPECT_FALSE(geo_matches(*q, geo::Geometry(geo::Point(8.008, 50))));  // 572m
  ASSERT_TRUE(q->search_box);
  EXPECT_LT(q->search_box->min_lon, 8 - 0.0069);
  EXPECT_GT(q->search_box->max_lat, 50 + 0.0044);
  auto far = parse("near;minDistance==500", "Point", "[8,50]");
  ASSERT_TRUE(far);
  EXPECT_FALSE(far->search_box);
  EXPECT_TRUE(geo_matches(*far, geo::Geometry(geo::Point(8.008, 50))));
}

TEST(GeoQueryTest, Relations) {
  std::string square = "[[[0,0],[2,0],[2,2],[0,2],[0,0]]]";
  auto within = *parse("within", "Polygon", square);
  EXPECT_TRUE(geo_matches(within, geo::Geometry(geo::Point(1, 1))));
  EXPECT_FALSE(geo_matches(within, geo::Geometry(geo::Point(3, 1))));
  EXPECT_TRUE(geo_matches(
      within,
      shape(R"({"type":"LineString","coordinates":[[0.5,0.5],[1.5,1.5]]})")));
  auto contains = *parse("contains", "Point", "[1,1]");
  EXPECT_TRUE(geo_matches(
      contains, shape(R"({"type":"Polygon","coordinates":)" + square + "}")));
  auto disjoint = *parse("disjoint", "Polygon", square);
  EXPECT_TRUE(geo_matches(disjoint, geo::Geometry(geo::Point(3, 3))));
  auto equals = *parse("equals", "Polygon", square);
  EXPECT_TRUE(geo_matches(
      equals, shape(R"({"type":"Polygon","coordinates":)" + square + "}")));
  auto overlaps = *parse("overlaps", "Polygon", square);
  EXPECT_TRUE(geo_matches(
      overlaps,
      shape(
          R"({"type":"Polygon","coordinates":[[[1,1],[3,1],[3,3],[1,3],[1,1]]]})")));
  EXPECT_FALSE(geo_matches(overlaps, geo::Geometry(geo::Point(1, 1))));
}

TEST(GeoQueryTest, InvalidInputNamesTheProblem) {
  struct Case {
    std::string georel, geometry, coordinates, needle;
  };
  for (const auto& c : std::vector<Case>{
           {"near", "Point", "[0,0]", "near needs"},
           {"near;maxDistance==x", "Point", "[0,0]", "maxDistance"},
           {"near;distance==3", "Point", "[0,0]", "maxDistance==<metres>"},
           {"within;x", "Point", "[0,0]", "no modifiers"},
           {"touches", "Point", "[0,0]", "'touches'"},
           {"within", "Polygon", "[[[0,0],[1,0],[1,1],[0,1]]]", "closed"},
           {"within", "Polygon", "[[0,0],[1,0],[1,1],[0,0]]", "position"},
           {"within", "Point", "[181,0]", "longitude"},
           {"within", "LineString", "[[0,0]]", "at least 2"},
           {"within", "GeometryCollection", "[]", "GeometryCollection"},
       }) {
    auto q = parse(c.georel, c.geometry, c.coordinates);
    ASSERT_FALSE(q) << c.georel << " " << c.coordinates;
    EXPECT_EQ(q.error().code, Code::kBadRequestData);
    EXPECT_NE(q.error().detail.find(c.needle), std::string::npos)
        << q.error().detail;
  }
  GeoQueryText t{"within", "Point", {}, ""};
  EXPECT_FALSE(read_coordinates("[1,2", &t));
  EXPECT_FALSE(read_coordinates("{}", &t));
}

TEST(GeoQueryTest, EntityAnyInstanceOfTheGeoProperty) {
  Entity e;
  e.attrs["https://uri.etsi.org/ngsi-ld/location"] = *parse_json(R"([
    {"type":"GeoProperty","value":{"type":"Point","coordinates":[5,5]}},
    {"type":"GeoProperty","datasetId":"urn:x","value":{"type":"Point","coordinates":[1,1]}}])");
  auto within =
      *parse("within", "Polygon", "[[[0,0],[2,0],[2,2],[0,2],[0,0]]]");
  EXPECT_TRUE(geo_matches(within, e));
  auto other = *parse("within", "Polygon", "[[[0,0],[2,0],[2,2],[0,2],[0,0]]]",
                      "footprint");
  EXPECT_FALSE(geo_matches(other, e));
}

}  // namespace
}  // namespace cocity::ngsi
