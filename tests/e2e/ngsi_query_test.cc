// Query entities at conformance level over loopback: type expressions,
// idPattern, geoQ (each georel, each geometry kind), scopeQ, q through the
// value index, paging and count, POST /entityOperations/query, and bad
// input answered with ProblemDetails.
#include <algorithm>
#include <vector>

#include "e2e_util.h"

namespace cocity::test {
namespace {

constexpr std::string_view kQuery = "/ngsi-ld/v1/entities?";

std::string geo_entity(std::string_view id, std::string_view type,
                       std::string_view geometry, std::string_view extra = "") {
  return "{\"id\":\"urn:ngsi-ld:" + std::string(id) +
         "\",\"type\":" + std::string(type) +
         ",\"location\":{\"type\":\"GeoProperty\",\"value\":" +
         std::string(geometry) + "}" + std::string(extra) + "}";
}

// A small city around (8.0, 50.0): 0.001 degrees of longitude are ~71.5 m.
std::string city() {
  std::vector<std::string> e = {
      geo_entity(
          "WasteContainer:P1", "\"WasteContainer\"",
          R"({"type":"Point","coordinates":[8.0,50.0]})",
          R"(,"fillingLevel":{"type":"Property","value":0.9},"scope":"/KL/Nord")"),
      geo_entity(
          "WasteContainer:P2", "\"WasteContainer\"",
          R"({"type":"Point","coordinates":[8.001,50.0]})",
          R"(,"fillingLevel":{"type":"Property","value":0.2},"scope":"/KL/Sued")"),
      geo_entity(
          "WasteContainer:P3", "\"WasteContainer\"",
          R"({"type":"Point","coordinates":[8.01,50.0]})",
          R"(,"fillingLevel":{"type":"Property","value":0.5},"footprint":{"type":"GeoProperty","value":{"type":"Point","coordinates":[9.0,51.0]}})"),
      geo_entity("Multi:M1", R"(["WasteContainer","Sensor"])",
                 R"({"type":"Point","coordinates":[20.0,20.0]})"),
      geo_entity(
          "Street:L1", "\"Street\"",
          R"({"type":"LineString","coordinates":[[8.0,50.01],[8.01,50.01]]})"),
      geo_entity(
          "Street:ML1", "\"Street\"",
          R"({"type":"MultiLineString","coordinates":[[[8.0,50.03],[8.01,50.03]],[[30,30],[31,31]]]})"),
      geo_entity(
          "District:A1", "\"District\"",
          R"({"type":"Polygon","coordinates":[[[7.99,49.99],[8.02,49.99],[8.02,50.02],[7.99,50.02],[7.99,49.99]]]})"),
      geo_entity(
          "District:MA1", "\"District\"",
          R"({"type":"MultiPolygon","coordinates":[[[[40,40],[41,40],[41,41],[40,41],[40,40]]]]})"),
      geo_entity(
          "Sensor:MP1", "\"Sensor\"",
          R"({"type":"MultiPoint","coordinates":[[8.0,50.0],[9.0,51.0]]})"),
  };
  std::string out = "[";
  for (size_t i = 0; i < e.size(); ++i) out += (i ? "," : "") + e[i];
  return out + "]";
}

class QueryTest : public OpenServerTest {
 protected:
  void SetUp() override {
    OpenServerTest::SetUp();
    auto r = post("/ngsi-ld/v1/entityOperations/upsert", city());
    ASSERT_TRUE(r.status == 201u || r.status == 204u) << r.body;
  }

  // The ids answered (sorted, without "urn:ngsi-ld:"), for a query string.
  std::vector<std::string> ids(const std::string& params) {
    auto v = get_json(std::string(kQuery) + params + "&limit=1000");
    return ids_of(v);
  }
  static std::vector<std::string> ids_of(const json::value& v) {
    std::vector<std::string> out;
    if (!v.is_array()) return out;
    for (const auto& e : v.as_array())
      out.push_back(std::string(e.at("id").as_string()).substr(12));
    std::sort(out.begin(), out.end());
    return out;
  }
  // Status and ProblemDetails type of a query that must fail.
  std::pair<unsigned, std::string> error(const std::string& params) {
    auto r = get(std::string(kQuery) + params);
    return {r.status, problem_type(r) + ": " + problem_detail(r)};
  }
};

using Ids = std::vector<std::string>;

TEST_F(QueryTest, TypeExpressions) {
  EXPECT_EQ(ids("type=Street"), (Ids{"Street:L1", "Street:ML1"}));
  EXPECT_EQ(ids("type=Street,Sensor"),
            (Ids{"Multi:M1", "Sensor:MP1", "Street:L1", "Street:ML1"}));
  EXPECT_EQ(ids("type=WasteContainer;Sensor"), (Ids{"Multi:M1"}));
  EXPECT_EQ(ids("type=(WasteContainer;Sensor)|District"),
            (Ids{"District:A1", "District:MA1", "Multi:M1"}));
  EXPECT_EQ(ids("type=Sensor;(Street|WasteContainer)"), (Ids{"Multi:M1"}));
  EXPECT_EQ(ids("type=Nothing;Sensor"), Ids{});
  auto [status, detail] = error("type=(Street");
  EXPECT_EQ(status, 400u);
  EXPECT_NE(detail.find("BadRequestData: type: expected ')'"),
            std::string::npos)
      << detail;
}

TEST_F(QueryTest, IdPattern) {
  EXPECT_EQ(ids("idPattern=^urn:ngsi-ld:WasteContainer:P[12]$"),
            (Ids{"WasteContainer:P1", "WasteContainer:P2"}));
  EXPECT_EQ(ids("type=District&idPattern=MA"), (Ids{"District:MA1"}));
  for (std::string bad : {"(a{1000}){1000}", "(a)%5C1", "[z-a]"}) {
    auto [status, detail] = error("idPattern=" + bad);
    EXPECT_EQ(status, 400u) << bad;
    EXPECT_NE(detail.find("idPattern"), std::string::npos) << detail;
  }
  // Catastrophic for backtracking engines, linear for RE2.
  EXPECT_EQ(ids("idPattern=^(a%2B)%2B$"), Ids{});
}

TEST_F(QueryTest, NearMaxAndMinDistance) {
  std::string at = "&geometry=Point&coordinates=[8.0,50.0]";
  EXPECT_EQ(ids("type=WasteContainer&georel=near;maxDistance==100" + at),
            (Ids{"WasteContainer:P1", "WasteContainer:P2"}));
  EXPECT_EQ(ids("type=WasteContainer&georel=near;maxDistance==50" + at),
            (Ids{"WasteContainer:P1"}));
  EXPECT_EQ(ids("type=WasteContainer&georel=near;minDistance==100" + at),
            (Ids{"Multi:M1", "WasteContainer:P3"}));
  EXPECT_EQ(ids("georel=near;minDistance==50;maxDistance==800&type="
                "WasteContainer" +
                at),
            (Ids{"WasteContainer:P2", "WasteContainer:P3"}));
  // Lines and polygons: distance to the nearest point of the geometry.
  EXPECT_EQ(ids("type=Street,District&georel=near;maxDistance==1200" + at),
            (Ids{"District:A1", "Street:L1"}));
}

TEST_F(QueryTest, WithinContainsEqualsOverlapsDisjoint) {
  std::string square =
      "&geometry=Polygon&coordinates=[[[7.995,49.995],[8.005,49.995],[8.005,"
      "50.005],[7.995,50.005],[7.995,49.995]]]";
  EXPECT_EQ(ids("type=WasteContainer,Sensor&georel=within" + square),
            (Ids{"WasteContainer:P1", "WasteContainer:P2"}));
  EXPECT_EQ(ids("type=WasteContainer&georel=disjoint" + square),
            (Ids{"Multi:M1", "WasteContainer:P3"}));
  EXPECT_EQ(ids("georel=contains" + square), (Ids{"District:A1"}));
  EXPECT_EQ(ids("georel=equals&geometry=Point&coordinates=[8.001,50.0]"),
            (Ids{"WasteContainer:P2"}));
  EXPECT_EQ(
      ids("georel=overlaps&geometry=Polygon&coordinates=[[[8.01,50.01],[8.03,"
          "50.01],[8.03,50.03],[8.01,50.03],[8.01,50.01]]]"),
      (Ids{"District:A1"}));
  EXPECT_EQ(
      ids("georel=within&geometry=MultiPolygon&coordinates=[[[[39,39],[42,39],"
          "[42,42],[39,42],[39,39]]],[[[29,29],[32,29],[32,32],[29,32],[29,29]"
          "]]]"),
      (Ids{"District:MA1"}));
}

TEST_F(QueryTest, IntersectsWithEveryQueryGeometryKind) {
  // Every kind of query geometry touches District:A1 and nothing else of
  // type District.
  for (std::string g :
       {"geometry=Point&coordinates=[8.0,50.0]",
        "geometry=MultiPoint&coordinates=[[8.0,50.0],[0,0]]",
        "geometry=LineString&coordinates=[[7.9,50.0],[8.1,50.0]]",
        "geometry=MultiLineString&coordinates=[[[7.9,50.0],[8.1,50.0]]]",
        "geometry=Polygon&coordinates=[[[8.0,50.0],[8.1,50.0],[8.1,50.1],[8."
        "0,50.0]]]",
        "geometry=MultiPolygon&coordinates=[[[[8.0,50.0],[8.1,50.0],[8.1,50."
        "1],[8.0,50.0]]]]"}) {
    EXPECT_EQ(ids("type=District&georel=intersects&" + g), (Ids{"District:A1"}))
        << g;
  }
  // Every kind of stored geometry is found by a polygon around it all.
  EXPECT_EQ(ids("georel=intersects&geometry=Polygon&coordinates=[[[0,0],[50,"
                "0],[50,60],[0,60],[0,0]]]")
                .size(),
            9u);
}

TEST_F(QueryTest, GeoPropertyOtherThanLocation) {
  EXPECT_EQ(ids("type=WasteContainer&georel=near;maxDistance==10&geometry="
                "Point&coordinates=[9.0,51.0]&geoproperty=footprint"),
            (Ids{"WasteContainer:P3"}));
}

TEST_F(QueryTest, MalformedGeoQueries) {
  std::string point = "&geometry=Point&coordinates=[8,50]";
  struct Case {
    std::string params, needle;
  };
  for (const Case& c : std::vector<Case>{
           {"georel=near" + point, "near needs"},
           {"georel=near;maxDistance==-5" + point, "maxDistance"},
           {"georel=nearby" + point, "'nearby'"},
           {"georel=within&geometry=Polygon&coordinates=[[[8,50],[9,50],[9,"
            "51],[8,51]]]",
            "closed"},
           {"georel=intersects&geometry=Point&coordinates=[200,50]",
            "longitude"},
           {"georel=intersects&geometry=Point&coordinates=[8,95]", "latitude"},
           {"georel=intersects&geometry=Point&coordinates=[[8,50]]",
            "position"},
           {"georel=intersects&geometry=Circle&coordinates=[8,50]", "Circle"},
           {"georel=intersects&geometry=Point&coordinates=8,50", "coordinates"},
           {"georel=intersects&geometry=Point", "coordinates"},
       }) {
    auto [status, detail] = error(c.params);
    EXPECT_EQ(status, 400u) << c.params << " " << detail;
    EXPECT_NE(detail.find("BadRequestData"), std::string::npos) << detail;
    EXPECT_NE(detail.find(c.needle), std::string::npos)
        << c.params << ": " << detail;
  }
}

TEST_F(QueryTest, ScopeQ) {
  EXPECT_EQ(ids("scopeQ=/KL/Nord"), (Ids{"WasteContainer:P1"}));
  EXPECT_EQ(ids("scopeQ=/KL/%23"),
            (Ids{"WasteContainer:P1", "WasteContainer:P2"}));
  EXPECT_EQ(ids("scopeQ=/%2B/Sued"), (Ids{"WasteContainer:P2"}));
  EXPECT_EQ(error("scopeQ=KL").first, 400u);
}

TEST_F(QueryTest, AttrsFiltersEntitiesByTheAttributesTheyHave) {
  // attrs selects what is shown and also which entities match: those with
  // at least one of the listed attributes.
  EXPECT_EQ(ids("type=WasteContainer&attrs=fillingLevel"),
            (std::vector<std::string>{"WasteContainer:P1", "WasteContainer:P2",
                                      "WasteContainer:P3"}));
  EXPECT_EQ(
      ids("attrs=footprint,fillingLevel&q=fillingLevel<0.6"),
      (std::vector<std::string>{"WasteContainer:P2", "WasteContainer:P3"}));
  EXPECT_EQ(ids("type=Street&attrs=fillingLevel"), std::vector<std::string>{});
  auto counted = get(std::string(kQuery) +
                     "type=WasteContainer&attrs=fillingLevel&count=true");
  EXPECT_EQ(counted.header("ngsild-results-count"), "3");
  auto posted = post("/ngsi-ld/v1/entityOperations/query",
                     R"({"type":"Query","entities":[{"type":"WasteContainer"}],
                          "attrs":["footprint"]})");
  ASSERT_EQ(posted.status, 200u) << posted.body;
  EXPECT_EQ(ids_of(*parse_json(posted.body)),
            std::vector<std::string>{"WasteContainer:P3"});
}

TEST_F(QueryTest, QThroughTheValueIndex) {
  EXPECT_EQ(ids("type=WasteContainer&q=fillingLevel>0.5"),
            (Ids{"WasteContainer:P1"}));
  EXPECT_EQ(ids("q=fillingLevel>=0.5"),
            (Ids{"WasteContainer:P1", "WasteContainer:P3"}));
  EXPECT_EQ(ids("q=fillingLevel==0.2,0.5"),
            (Ids{"WasteContainer:P2", "WasteContainer:P3"}));
  EXPECT_EQ(ids("q=fillingLevel==0.1..0.5;fillingLevel!=0.5"),
            (Ids{"WasteContainer:P2"}));
  // The index follows updates.
  auto r = patch("/ngsi-ld/v1/entities/urn:ngsi-ld:WasteContainer:P2/attrs",
                 R"({"fillingLevel":{"type":"Property","value":0.95}})");
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(ids("q=fillingLevel>0.9"), (Ids{"WasteContainer:P2"}));
  EXPECT_EQ(ids("type=WasteContainer&q=fillingLevel<0.3"), Ids{});
}

TEST_F(QueryTest, PagingAndCount) {
  auto r = get(std::string(kQuery) + "type=WasteContainer&limit=2&count=true");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("ngsild-results-count"), "4");
  auto page1 = ids_of(*parse_json(r.body));
  auto page2 = ids_of(
      get_json(std::string(kQuery) + "type=WasteContainer&limit=2&offset=2"));
  EXPECT_EQ(page1, (Ids{"Multi:M1", "WasteContainer:P1"}));  // id order
  EXPECT_EQ(page2, (Ids{"WasteContainer:P2", "WasteContainer:P3"}));
  auto none =
      get(std::string(kQuery) + "type=WasteContainer&limit=0&count=true");
  EXPECT_EQ(none.status, 200u);
  EXPECT_EQ(none.body, "[]");
  EXPECT_EQ(none.header("ngsild-results-count"), "4");
  EXPECT_EQ(
      ids_of(get_json(std::string(kQuery) + "type=WasteContainer&offset=10")),
      Ids{});
  auto q = get(std::string(kQuery) +
               "type=WasteContainer&q=fillingLevel>0&limit=1&count=true");
  EXPECT_EQ(q.header("ngsild-results-count"), "3");
  EXPECT_EQ(error("type=Street&limit=1001").first, 403u);
  EXPECT_EQ(error("type=Street&limit=0").first, 400u);
  EXPECT_EQ(error("type=Street&offset=-1").first, 400u);
}

TEST_F(QueryTest, PostQuery) {
  auto r = post("/ngsi-ld/v1/entityOperations/query?count=true", R"({
    "type": "Query",
    "entities": [{"type": "WasteContainer"}],
    "q": "fillingLevel<0.95",
    "geoQ": {"georel": "near;maxDistance==1000", "geometry": "Point",
             "coordinates": [8.0, 50.0]},
    "attrs": ["fillingLevel"]})");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto v = parse_json(r.body);
  ASSERT_TRUE(v);
  EXPECT_EQ(ids_of(*v), (Ids{"WasteContainer:P1", "WasteContainer:P2",
                             "WasteContainer:P3"}));
  EXPECT_FALSE(v->as_array()[0].as_object().contains("location"));
  EXPECT_EQ(r.header("ngsild-results-count"), "3");
  auto two = post("/ngsi-ld/v1/entityOperations/query",
                  R"({"type":"Query","entities":[{"type":"Street"},
                      {"type":"District"}]})");
  EXPECT_EQ(ids_of(*parse_json(two.body)).size(), 4u) << two.body;
  auto bad = post("/ngsi-ld/v1/entityOperations/query",
                  R"({"type":"Query","geoQ":{"georel":"within",
                      "geometry":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(problem_type(bad), "BadRequestData");
  auto not_query = post("/ngsi-ld/v1/entityOperations/query", R"({"q":"a>1"})");
  EXPECT_EQ(not_query.status, 400u);
}

}  // namespace
}  // namespace cocity::test
