// The NGSI-LD entity and attribute endpoints, driven over loopback against a
// real `cocity serve` on SQLite.
#include "e2e_util.h"

namespace cocity::test {
namespace {

constexpr std::string_view kEntities = "/ngsi-ld/v1/entities";
constexpr std::string_view kId = "urn:ngsi-ld:AirQualityObserved:KL-1";
const std::string kUrl =
    "/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:KL-1";

constexpr std::string_view kStation = R"({
  "id": "urn:ngsi-ld:AirQualityObserved:KL-1", "type": "AirQualityObserved",
  "no2": {"type": "Property", "value": 41.5, "unitCode": "GQ", "observedAt": "2026-11-25T08:00:00Z"},
  "pm10": {"type": "Property", "value": 20},
  "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [7.7689, 49.4447]}},
  "refDevice": {"type": "Relationship", "object": "urn:ngsi-ld:Device:KL-1"}})";

class EntitiesTest : public OpenServerTest {
 protected:
  void SetUp() override {
    OpenServerTest::SetUp();
    auto r = post(kEntities, kStation);
    ASSERT_EQ(r.status, 201u) << r.body;
  }
};

TEST_F(EntitiesTest, CreateAndRetrieve) {
  auto v = get_json(kUrl);
  EXPECT_EQ(v.at("id").as_string(), kId);
  EXPECT_EQ(v.at("type"), "AirQualityObserved");
  EXPECT_EQ(v.at("no2").at("value").as_double(), 41.5);
  EXPECT_EQ(v.at("no2").at("unitCode"), "GQ");
  EXPECT_EQ(v.at("refDevice").at("object"), "urn:ngsi-ld:Device:KL-1");
  auto r = get(kUrl);
  EXPECT_NE(r.header("link").find("ngsi-ld-core-context"), std::string::npos);
  EXPECT_EQ(r.header("content-type"), "application/json");
}

TEST_F(EntitiesTest, CreateTwiceIsAlreadyExists) {
  auto r = post(kEntities, kStation);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(problem_type(r), "AlreadyExists");
}

TEST_F(EntitiesTest, RepresentationsAndSysAttrs) {
  auto kv = get_json(kUrl + "?options=keyValues");
  EXPECT_EQ(kv.at("no2").as_double(), 41.5);
  EXPECT_EQ(kv.at("refDevice"), "urn:ngsi-ld:Device:KL-1");
  auto concise = get_json(kUrl + "?format=concise");
  EXPECT_EQ(concise.at("pm10").as_int64(), 20);
  auto sys = get_json(kUrl + "?options=sysAttrs");
  EXPECT_TRUE(sys.as_object().contains("createdAt"));
  EXPECT_TRUE(sys.at("no2").as_object().contains("modifiedAt"));
  auto attrs = get_json(kUrl + "?attrs=no2");
  EXPECT_TRUE(attrs.as_object().contains("no2"));
  EXPECT_FALSE(attrs.as_object().contains("pm10"));
  auto pick = get_json(kUrl + "?pick=id,pm10");
  EXPECT_EQ(pick.as_object().size(), 2u);
  auto omit = get_json(kUrl + "?omit=type,no2");
  EXPECT_FALSE(omit.as_object().contains("type"));
  EXPECT_FALSE(omit.as_object().contains("no2"));
  auto fancy = get(kUrl + "?options=fancy");
  EXPECT_EQ(fancy.status, 400u);
  EXPECT_EQ(problem_type(fancy), "InvalidRequest");
  EXPECT_EQ(problem_type(get(kUrl + "?format=fancy")), "InvalidRequest");
  EXPECT_EQ(get_json(kUrl + "?options=simplified").at("pm10"), 20);
  EXPECT_EQ(get(kUrl + "?attrs=no2&pick=id").status, 400u);
  // 4.21: the projection grammar is checked, not guessed at.
  EXPECT_EQ(get_json(kUrl + "?pick=id|pm10").as_object().size(), 2u);
  for (const char* bad :
       {"?pick=id,,pm10", "?pick=id;pm10", "?pick=refDevice%7Bname%7D",
        "?pick=pm10&omit=no2", "?omit=no2&attrs=pm10", "?omit=pm10|"}) {
    auto r = get(kUrl + bad);
    EXPECT_EQ(r.status, 400u) << bad << " -> " << r.body;
    EXPECT_EQ(problem_type(r), "BadRequestData") << bad;
  }
}

TEST_F(EntitiesTest, ContentNegotiation) {
  auto ld = get(kUrl, {{"accept", "application/ld+json"}});
  EXPECT_EQ(ld.status, 200u);
  EXPECT_EQ(ld.header("content-type"), "application/ld+json");
  EXPECT_NE(ld.body.find("\"@context\""), std::string::npos);
  auto geo = get(kUrl, {{"accept", "application/geo+json"}});
  EXPECT_EQ(geo.header("content-type"), "application/geo+json");
  auto f = parse_json(geo.body);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->at("type"), "Feature");
  EXPECT_EQ(f->at("geometry").at("type"), "Point");
  EXPECT_NE(to_json(f->at("@context")).find("ngsi-ld-core-context"),
            std::string::npos);
  auto bad = get(kUrl, {{"accept", "text/html"}});
  EXPECT_EQ(bad.status, 406u);
}

TEST_F(EntitiesTest, NotFoundAndBadIds) {
  auto r = get("/ngsi-ld/v1/entities/urn:ngsi-ld:X:nope");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(problem_type(r), "ResourceNotFound");
  r = get("/ngsi-ld/v1/entities/not-a-uri");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(problem_type(r), "BadRequestData");
  // An empty id is named as such, not answered as an unknown path.
  r = patch("/ngsi-ld/v1/entities//attrs/pm10", R"({"value": 1})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(problem_type(r), "BadRequestData");
  EXPECT_NE(r.body.find("entity id in the path is empty"), std::string::npos)
      << r.body;
  r = del("/ngsi-ld/v1/entities/");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(get_json(kUrl).at("pm10").at("value"), 20);
}

// Collections written with a trailing slash, as the spec names its
// resources ("/entities/"), are the same resources.
TEST_F(EntitiesTest, TrailingSlashNamesTheSameResource) {
  auto r = post("/ngsi-ld/v1/entities/",
                R"({"id": "urn:ngsi-ld:X:slash", "type": "X"})");
  EXPECT_EQ(r.status, 201u) << r.body;
  auto list = get_json("/ngsi-ld/v1/entities/?type=X");
  ASSERT_EQ(list.as_array().size(), 1u);
  r = post("/ngsi-ld/v1/entities/urn:ngsi-ld:X:slash/attrs/",
           R"({"a": {"type": "Property", "value": 1}})");
  EXPECT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(
      get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:X:slash/").at("a").at("value"),
      1);
}

TEST_F(EntitiesTest, BadBodiesChangeNothing) {
  struct Case {
    std::string body;
    Headers headers;
    unsigned status;
    std::string type;
    std::string detail_part;
  };
  std::vector<Case> cases = {
      {R"({"id": "urn:x:1", "type": )", kJson, 400, "InvalidRequest",
       "invalid JSON"},
      {R"({"id": "urn:x:1", "type": "T", "a": {"type": "Property"}})", kJson,
       400, "BadRequestData", "attribute 'a'"},
      {R"({"id": "urn:x:1", "type": "T", "a": {"type": "Relationship", "object": 3}})",
       kJson, 400, "BadRequestData", "'object'"},
      {R"({"id": "urn:x:1", "type": "type"})", kJson, 400, "BadRequestData",
       "keyword alias"},
      {R"({"id": "urn:x:1", "type": "T", "location": {"type": "GeoProperty", "value": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1]]]}}})",
       kJson, 400, "BadRequestData", "closed"},
      {R"({"id": "urn:x:1", "type": "T"})",
       {{"content-type", "text/plain"}},
       415,
       "",
       "Content-Type"},
      {R"({"id": "urn:x:1", "type": "T", "@context": "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"})",
       kJson, 400, "BadRequestData", "@context"},
      {R"({"id": "urn:x:1", "type": "T"})",
       {{"content-type", "application/ld+json"}},
       400,
       "BadRequestData",
       "@context"},
      {R"({"id": "urn:x:1", "type": "T", "@context": "https://example.org/unreachable.jsonld"})",
       {{"content-type", "application/ld+json"}},
       503,
       "LdContextNotAvailable",
       "example.org"},
      {"[" + std::string(100, '[') + std::string(101, ']'), kJson, 400,
       "InvalidRequest", "max_json_depth"},
  };
  for (const auto& c : cases) {
    auto r = post(kEntities, c.body, c.headers);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    if (!c.type.empty()) EXPECT_EQ(problem_type(r), c.type) << r.body;
    EXPECT_NE(problem_detail(r).find(c.detail_part), std::string::npos)
        << r.body;
  }
  EXPECT_EQ(get("/ngsi-ld/v1/entities/urn:x:1").status, 404u);
  EXPECT_EQ(get_json(kUrl).at("no2").at("value").as_double(), 41.5);
}

TEST_F(EntitiesTest, ReplaceMergeAndDelete) {
  auto r = put(
      kUrl,
      R"({"type": "AirQualityObserved", "o3": {"type": "Property", "value": 60}})");
  ASSERT_EQ(r.status, 204u) << r.body;
  auto v = get_json(kUrl);
  EXPECT_FALSE(v.as_object().contains("no2"));
  EXPECT_EQ(v.at("o3").at("value").as_int64(), 60);

  r = patch(
      kUrl,
      R"({"o3": {"type": "Property", "value": 61}, "pm25": 9, "type": "Sensor"})");
  ASSERT_EQ(r.status, 204u) << r.body;
  v = get_json(kUrl);
  EXPECT_EQ(v.at("o3").at("value").as_int64(), 61);
  EXPECT_EQ(v.at("pm25").at("value").as_int64(), 9);
  EXPECT_TRUE(v.at("type").is_array());

  r = patch(kUrl, R"({"pm25": null})");
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_FALSE(get_json(kUrl).as_object().contains("pm25"));

  EXPECT_EQ(put(kUrl, R"({"id": "urn:other:1", "type": "T"})").status, 400u);
  EXPECT_EQ(patch("/ngsi-ld/v1/entities/urn:x:missing", R"({"a": 1})").status,
            404u);

  // "type" narrows the delete: an entity without that type stays.
  r = del(kUrl + "?type=Vehicle");
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_NE(r.body.find("has no type 'Vehicle'"), std::string::npos);
  EXPECT_EQ(get(kUrl).status, 200u);
  ASSERT_EQ(del(kUrl + "?type=Sensor").status, 204u);
  EXPECT_EQ(get(kUrl).status, 404u);
  r = del(kUrl);
  EXPECT_EQ(r.status, 404u);
  EXPECT_NE(r.body.find(kId), std::string::npos) << r.body;
}

TEST_F(EntitiesTest, AppendUpdateAndNoOverwrite) {
  auto r =
      post(kUrl + "/attrs", R"({"o3": {"type": "Property", "value": 50}})");
  EXPECT_EQ(r.status, 204u) << r.body;
  r = post(
      kUrl + "/attrs?options=noOverwrite",
      R"({"o3": {"type": "Property", "value": 99}, "so2": {"type": "Property", "value": 3}})");
  EXPECT_EQ(r.status, 207u) << r.body;
  auto report = parse_json(r.body);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->at("updated").as_array().size(), 1u);
  EXPECT_EQ(report->at("notUpdated").as_array()[0].at("attributeName"), "o3");
  EXPECT_EQ(get_json(kUrl).at("o3").at("value").as_int64(), 50);

  r = patch(kUrl + "/attrs",
            R"({"no2": {"type": "Property", "value": 12}, "nothere": 1})");
  EXPECT_EQ(r.status, 207u) << r.body;
  EXPECT_EQ(get_json(kUrl).at("no2").at("value").as_int64(), 12);
  EXPECT_FALSE(get_json(kUrl).as_object().contains("nothere"));
  r = patch(kUrl + "/attrs", R"({"no2": {"type": "Property", "value": 13}})");
  EXPECT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(
      post("/ngsi-ld/v1/entities/urn:x:missing/attrs", R"({"a": 1})").status,
      404u);
}

TEST_F(EntitiesTest, PartialUpdateReplaceAndDeleteAttribute) {
  auto r = patch(kUrl + "/attrs/no2",
                 R"({"value": 30, "observedAt": "2026-11-25T09:00:00Z"})");
  ASSERT_EQ(r.status, 204u) << r.body;
  auto v = get_json(kUrl);
  EXPECT_EQ(v.at("no2").at("value").as_int64(), 30);
  EXPECT_EQ(v.at("no2").at("unitCode"), "GQ");  // kept
  EXPECT_EQ(v.at("no2").at("observedAt"), "2026-11-25T09:00:00.000Z");
  EXPECT_EQ(patch(kUrl + "/attrs/nothere", R"({"value": 1})").status, 404u);
  EXPECT_EQ(
      patch(kUrl + "/attrs/refDevice", R"({"object": "not a uri"})").status,
      400u);
  r = patch(kUrl + "/attrs/pm10",
            R"({"type": "Relationship", "object": "urn:ngsi-ld:Device:1"})");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(problem_type(r), "BadRequestData");
  EXPECT_EQ(get_json(kUrl).at("pm10").at("type"), "Property");

  r = put(kUrl + "/attrs/pm10",
          R"({"type": "Property", "value": 22, "unitCode": "GQ"})");
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(get_json(kUrl).at("pm10").at("unitCode"), "GQ");

  ASSERT_EQ(del(kUrl + "/attrs/pm10").status, 204u);
  EXPECT_FALSE(get_json(kUrl).as_object().contains("pm10"));
  EXPECT_EQ(del(kUrl + "/attrs/pm10").status, 404u);
}

// NGSI-LD Null written in normalized form deletes, in merge, update and
// partial update; append stores nothing of it either way.
TEST_F(EntitiesTest, NormalizedNullDeletes) {
  auto r = post(kUrl + "/attrs", R"({"no2": [
      {"type": "Property", "value": 40, "datasetId": "urn:ngsi-ld:Dataset:lowcost"}]})");
  ASSERT_EQ(r.status, 204u) << r.body;
  r = patch(kUrl, R"({"no2": {"type": "Property", "value": "urn:ngsi-ld:null",
                             "datasetId": "urn:ngsi-ld:Dataset:lowcost"}})");
  ASSERT_EQ(r.status, 204u) << r.body;
  auto v = get_json(kUrl);
  ASSERT_TRUE(v.at("no2").is_object()) << to_json(v);  // the default one
  EXPECT_EQ(v.at("no2").at("value").as_double(), 41.5);

  r = patch(kUrl,
            R"({"no2": {"type": "Property", "value": "urn:ngsi-ld:null"}})");
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_FALSE(get_json(kUrl).as_object().contains("no2"));

  r = patch(
      kUrl + "/attrs",
      R"({"refDevice": {"type": "Relationship", "object": "urn:ngsi-ld:null"}})");
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_FALSE(get_json(kUrl).as_object().contains("refDevice"));

  r = patch(kUrl + "/attrs/location",
            R"({"type": "GeoProperty", "value": "urn:ngsi-ld:null"})");
  ASSERT_EQ(r.status, 204u) << r.body;
  v = get_json(kUrl);
  EXPECT_FALSE(v.as_object().contains("location"));
  EXPECT_EQ(v.at("pm10").at("value"), 20);

  r = post(
      kUrl + "/attrs",
      R"({"label": {"type": "LanguageProperty", "languageMap": {"de": "Mitte"}}})");
  ASSERT_EQ(r.status, 204u) << r.body;
  r = patch(
      kUrl + "/attrs",
      R"({"label": {"type": "LanguageProperty", "languageMap": {"@none": "urn:ngsi-ld:null"}},
                "gone": {"type": "Property", "value": "urn:ngsi-ld:null"}})");
  EXPECT_EQ(r.status, 207u) << r.body;  // "gone" was not there to delete
  EXPECT_FALSE(get_json(kUrl).as_object().contains("label"));
  // A JSON null as a normalized value is no NGSI-LD Null but an error.
  r = patch(kUrl, R"({"pm10": {"type": "Property", "value": null}})");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(get_json(kUrl).at("pm10").at("value"), 20);
}

// 4.18 and 4.16: a fragment's scope and types are not ignored.
TEST_F(EntitiesTest, ScopeAndTypesInAttributeFragments) {
  auto r = patch(kUrl + "/attrs", R"({"scope": "/KL/Mitte"})");
  EXPECT_EQ(r.status, 207u) << r.body;  // no scope yet to replace
  EXPECT_FALSE(get_json(kUrl).as_object().contains("scope"));
  r = post(kUrl + "/attrs", R"({"scope": "/KL/Mitte"})");
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(get_json(kUrl).at("scope"), "/KL/Mitte");
  r = post(kUrl + "/attrs?options=noOverwrite", R"({"scope": "/KL/Ost"})");
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(get_json(kUrl).at("scope"), (json::array{"/KL/Mitte", "/KL/Ost"}));
  r = patch(kUrl + "/attrs", R"({"scope": "/KL/West", "type": "Sensor"})");
  ASSERT_EQ(r.status, 204u) << r.body;
  auto v = get_json(kUrl);
  EXPECT_EQ(v.at("scope"), "/KL/West");
  EXPECT_EQ(v.at("type"), (json::array{"AirQualityObserved", "Sensor"}));
  // The scope is no attribute: it is removed through its path, never
  // replaced or updated there.
  EXPECT_EQ(put(kUrl + "/attrs/scope", R"({"scope": "/KL/Nord"})").status,
            400u);
  EXPECT_EQ(patch(kUrl + "/attrs/scope", R"({"value": "/KL/Nord"})").status,
            400u);
  ASSERT_EQ(del(kUrl + "/attrs/scope").status, 204u);
  EXPECT_FALSE(get_json(kUrl).as_object().contains("scope"));
  EXPECT_EQ(del(kUrl + "/attrs/scope").status, 404u);
  auto r2 =
      put(kUrl + "/attrs/@invalid", R"({"type": "Property", "value": 1})");
  EXPECT_EQ(r2.status, 400u) << r2.body;
  EXPECT_EQ(problem_type(r2), "BadRequestData");
}

// 4.5.23: join=inline puts linked entities into their relationships,
// join=flat lists them after the entity, joinLevel deep.
TEST_F(EntitiesTest, JoinFollowsRelationships) {
  ASSERT_EQ(
      post(kEntities, R"({"id": "urn:ngsi-ld:Country:DE", "type": "Country"})")
          .status,
      201u);
  ASSERT_EQ(post(kEntities, R"({"id": "urn:ngsi-ld:City:KL", "type": "City",
      "name": "Kaiserslautern",
      "locatedAt": {"type": "Relationship", "object": "urn:ngsi-ld:Country:DE"}})")
                .status,
            201u);
  ASSERT_EQ(
      post(kEntities, R"({"id": "urn:ngsi-ld:Building:1", "type": "Building",
      "locatedAt": {"type": "Relationship", "object": "urn:ngsi-ld:City:KL"},
      "owner": {"type": "Relationship", "object": "urn:ngsi-ld:Org:nobody"}})")
          .status,
      201u);
  const std::string b = "/ngsi-ld/v1/entities/urn:ngsi-ld:Building:1";
  auto one = get_json(b + "?join=inline");
  auto city = one.at("locatedAt").at("entity");
  EXPECT_EQ(city.at("id"), "urn:ngsi-ld:City:KL");
  EXPECT_EQ(city.at("name").at("value"), "Kaiserslautern");
  EXPECT_FALSE(city.at("locatedAt").as_object().contains("entity"));
  EXPECT_FALSE(one.at("owner").as_object().contains("entity"));  // missing
  auto two = get_json(b + "?join=inline&joinLevel=2");
  EXPECT_EQ(
      two.at("locatedAt").at("entity").at("locatedAt").at("entity").at("type"),
      "Country");
  auto kv = get_json(b + "?join=inline&joinLevel=2&options=keyValues");
  EXPECT_EQ(kv.at("locatedAt").at("locatedAt").at("id"),
            "urn:ngsi-ld:Country:DE");
  auto flat = get_json(b + "?join=flat&joinLevel=2");
  ASSERT_TRUE(flat.is_array()) << to_json(flat);
  ASSERT_EQ(flat.as_array().size(), 3u);
  EXPECT_EQ(flat.as_array()[1].at("id"), "urn:ngsi-ld:City:KL");
  EXPECT_EQ(flat.as_array()[2].at("id"), "urn:ngsi-ld:Country:DE");
  auto listed = get_json("/ngsi-ld/v1/entities?type=Building&join=flat");
  ASSERT_EQ(listed.as_array().size(), 2u) << to_json(listed);
  EXPECT_EQ(listed.as_array()[1].at("id"), "urn:ngsi-ld:City:KL");
  for (const char* bad :
       {"?join=deep", "?join=inline&joinLevel=0", "?join=inline&joinLevel=x",
        "?pick=id,locatedAt%7Bname%7D",  // needs join
        "?join=inline&pick=locatedAt%7Bname",
        "?join=inline&pick=locatedAt%7Bname%7Dx",
        "?join=inline&attrs=locatedAt%7Bname%7D"}) {
    EXPECT_EQ(get(b + bad).status, 400u) << bad;
  }
  // Nested projections shape the linked entities, level by level.
  auto picked = get_json(
      b +
      "?join=inline&joinLevel=2&pick=id,locatedAt%7Bname,locatedAt%7Bid%7D%7D");
  EXPECT_FALSE(picked.as_object().contains("type"));
  EXPECT_FALSE(picked.as_object().contains("owner"));
  auto linked = picked.at("locatedAt").at("entity").as_object();
  EXPECT_FALSE(linked.contains("id"));
  EXPECT_EQ(linked.at("name").at("value"), "Kaiserslautern");
  EXPECT_EQ(to_json(linked.at("locatedAt").at("entity")),
            R"({"id":"urn:ngsi-ld:Country:DE"})");
  auto omitted =
      get_json(b + "?join=flat&joinLevel=2&omit=type,locatedAt%7Bname%7D");
  ASSERT_EQ(omitted.as_array().size(), 3u) << to_json(omitted);
  EXPECT_FALSE(omitted.as_array()[0].as_object().contains("type"));
  EXPECT_TRUE(omitted.as_array()[0].as_object().contains("locatedAt"));
  EXPECT_FALSE(omitted.as_array()[1].as_object().contains("name"));
  EXPECT_TRUE(omitted.as_array()[1].as_object().contains("type"));
}

// 5.7.1.4: nothing to show is not found.
TEST_F(EntitiesTest, RetrievingNothingIsNotFound) {
  auto r = get(kUrl + "?attrs=nothere");
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(problem_type(r), "ResourceNotFound");
  EXPECT_EQ(get(kUrl + "?attrs=nothere,pm10").status, 200u);
  r = get(kUrl + "?pick=nothere");
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(get(kUrl + "?omit=id,type,no2,pm10,location,refDevice").status,
            404u);
  EXPECT_EQ(get(kUrl + "?pick=id,nothere").status, 200u);
}

TEST_F(EntitiesTest, DatasetIdsAndDeleteAll) {
  auto r = post(kUrl + "/attrs", R"({"no2": [
      {"type": "Property", "value": 40, "datasetId": "urn:ngsi-ld:Dataset:lowcost"},
      {"type": "Property", "value": 39, "datasetId": "urn:ngsi-ld:Dataset:reference"}]})");
  ASSERT_EQ(r.status, 204u) << r.body;
  auto v = get_json(kUrl);
  ASSERT_TRUE(v.at("no2").is_array());
  EXPECT_EQ(v.at("no2").as_array().size(), 3u);
  // datasetId= picks instances (@none: the default one); attributes left
  // without an instance are not shown.
  auto lowcost = get_json(kUrl + "?datasetId=urn:ngsi-ld:Dataset:lowcost");
  EXPECT_EQ(lowcost.at("no2").at("value").as_int64(), 40);
  EXPECT_FALSE(lowcost.as_object().contains("pm10"));
  auto two = get_json(kUrl + "?datasetId=@none,urn:ngsi-ld:Dataset:reference");
  EXPECT_EQ(two.at("no2").as_array().size(), 2u);
  EXPECT_TRUE(two.as_object().contains("pm10"));
  auto listed = get_json(
      "/ngsi-ld/v1/entities?type=AirQualityObserved&datasetId=urn:ngsi-ld:"
      "Dataset:reference");
  ASSERT_EQ(listed.as_array().size(), 1u);
  EXPECT_EQ(listed.as_array()[0].at("no2").at("value").as_int64(), 39);
  EXPECT_EQ(get(kUrl + "?datasetId=not%20a%20uri").status, 400u);
  r = del(kUrl + "/attrs/no2?datasetId=urn:ngsi-ld:Dataset:lowcost");
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(get_json(kUrl).at("no2").as_array().size(), 2u);
  EXPECT_EQ(del(kUrl + "/attrs/no2?datasetId=urn:ngsi-ld:Dataset:none").status,
            404u);
  ASSERT_EQ(del(kUrl + "/attrs/no2?deleteAll=true").status, 204u);
  EXPECT_FALSE(get_json(kUrl).as_object().contains("no2"));
}

TEST_F(EntitiesTest, AttributeKinds) {
  auto r = post(kEntities, R"({"id": "urn:ngsi-ld:Street:1", "type": "Street",
      "name": {"type": "LanguageProperty", "languageMap": {"de": "Marktstraße", "en": "Market Street"}},
      "category": {"type": "VocabProperty", "vocab": "residential"},
      "lanes": {"type": "ListProperty", "valueList": [1, 2]},
      "crossings": {"type": "ListRelationship", "objectList": [{"object": "urn:ngsi-ld:Street:2"}]}})");
  ASSERT_EQ(r.status, 201u) << r.body;
  auto v = get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:Street:1");
  EXPECT_EQ(v.at("name").at("languageMap").at("de"), "Marktstraße");
  EXPECT_EQ(v.at("category").at("vocab"), "residential");
  EXPECT_EQ(v.at("lanes").at("valueList").as_array().size(), 2u);
  EXPECT_EQ(v.at("crossings").at("objectList").as_array()[0],
            "urn:ngsi-ld:Street:2");
  auto en = get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:Street:1?lang=en");
  EXPECT_EQ(en.at("name").at("value"), "Market Street");
}

// A JsonProperty's "json" is kept as given: never read as attributes,
// never expanded, and it has a history like any attribute.
TEST_F(EntitiesTest, JsonPropertyIsKeptAsGiven) {
  auto r = post(kUrl + "/attrs", R"({"config": {"type": "JsonProperty",
      "json": {"type": "Property", "value": 1, "rules": [{"when": "x"}]}}})");
  ASSERT_EQ(r.status, 204u) << r.body;
  auto v = get_json(kUrl);
  EXPECT_EQ(v.at("config").at("type"), "JsonProperty");
  EXPECT_EQ(to_json(v.at("config").at("json")),
            R"({"type":"Property","value":1,"rules":[{"when":"x"}]})");
  auto concise = get_json(kUrl + "?format=concise");
  EXPECT_EQ(to_json(concise.at("config")),
            R"({"json":{"type":"Property","value":1,"rules":[{"when":"x"}]}})");
  EXPECT_EQ(get_json(kUrl + "?options=keyValues").at("config").at("value"), 1);
  r = patch(kUrl + "/attrs/config", R"({"json": [1, 2]})");
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(to_json(get_json(kUrl).at("config").at("json")), "[1,2]");
  auto history = get_json("/ngsi-ld/v1/temporal/entities/" + std::string(kId) +
                          "?attrs=config");
  ASSERT_EQ(history.at("config").as_array().size(), 2u) << to_json(history);
  EXPECT_EQ(to_json(history.at("config").as_array()[1].at("json")), "[1,2]");
  r = patch(kUrl + "/attrs",
            R"({"config": {"type": "JsonProperty", "json": null}})");
  EXPECT_EQ(r.status, 400u) << r.body;
}

TEST_F(EntitiesTest, QueryByTypeAndIdWithPaging) {
  for (int i = 0; i < 5; ++i) {
    auto r = post(kEntities,
                  R"({"id": "urn:ngsi-ld:WasteContainer:)" + std::to_string(i) +
                      R"(", "type": "WasteContainer", "fillingLevel": 0.5})");
    ASSERT_EQ(r.status, 201u) << r.body;
  }
  auto r = get(
      "/ngsi-ld/v1/entities?type=WasteContainer&limit=2&offset=1&count=true");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("ngsild-results-count"), "5");
  auto v = parse_json(r.body);
  ASSERT_EQ(v->as_array().size(), 2u);
  EXPECT_EQ(v->as_array()[0].at("id"), "urn:ngsi-ld:WasteContainer:1");
  auto both = get_json(
      "/ngsi-ld/v1/entities?type=WasteContainer,AirQualityObserved&limit=100");
  EXPECT_EQ(both.as_array().size(), 6u);
  auto ids = get_json(
      "/ngsi-ld/v1/"
      "entities?id=urn:ngsi-ld:WasteContainer:3,urn:ngsi-ld:WasteContainer:4");
  EXPECT_EQ(ids.as_array().size(), 2u);
  // 4.21: an entity that pick leaves nothing of is not listed.
  auto picked = get_json(
      "/ngsi-ld/v1/entities?type=WasteContainer,AirQualityObserved&pick=pm10");
  ASSERT_EQ(picked.as_array().size(), 1u) << to_json(picked);
  EXPECT_EQ(get("/ngsi-ld/v1/entities?type=WasteContainer&attrs=id").status,
            400u);
  EXPECT_EQ(get("/ngsi-ld/v1/entities?type=WasteContainer&limit=5000").status,
            403u);
  EXPECT_EQ(get("/ngsi-ld/v1/entities?type=WasteContainer&limit=-1").status,
            400u);
  // An incomplete geo-query (tests/e2e/ngsi_query_test.cc has the rest).
  auto geo = get("/ngsi-ld/v1/entities?type=WasteContainer&georel=near");
  EXPECT_EQ(geo.status, 400u);
  EXPECT_EQ(problem_type(geo), "BadRequestData");
}

TEST_F(EntitiesTest, QueryLanguageFilters) {
  const double levels[] = {0.1, 0.5, 0.7, 0.9, 0.95};
  for (int i = 0; i < 5; ++i) {
    auto r = post(kEntities,
                  R"({"id": "urn:ngsi-ld:WasteContainer:)" + std::to_string(i) +
                      R"(", "type": "WasteContainer", "fillingLevel": )" +
                      std::to_string(levels[i]) + R"(, "wasteType": ")" +
                      (i % 2 ? "paper" : "glass") + R"("})");
    ASSERT_EQ(r.status, 201u) << r.body;
  }
  auto r =
      get("/ngsi-ld/v1/entities?type=WasteContainer&q=fillingLevel>0.6"
          "&count=true&limit=1&offset=1");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("ngsild-results-count"), "3");
  auto page = parse_json(r.body);
  ASSERT_EQ(page->as_array().size(), 1u);
  EXPECT_EQ(page->as_array()[0].at("id").as_string(),
            "urn:ngsi-ld:WasteContainer:3");
  auto both = get_json(
      "/ngsi-ld/v1/entities?type=WasteContainer&limit=100"
      "&q=fillingLevel>=0.5;wasteType==%22paper%22");
  // Containers 1 (0.5) and 3 (0.9) hold paper.
  EXPECT_EQ(both.as_array().size(), 2u);
  auto either =
      get_json("/ngsi-ld/v1/entities?q=fillingLevel<0.2|no2>40&limit=100");
  EXPECT_EQ(either.as_array().size(), 2u);  // container 0 and the station
  auto range = get_json(
      "/ngsi-ld/v1/entities?type=WasteContainer&q=fillingLevel==0.6..0.92");
  EXPECT_EQ(range.as_array().size(), 2u);
  auto bad = get("/ngsi-ld/v1/entities?type=WasteContainer&q=fillingLevel>>1");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(problem_type(bad), "BadRequestData");
  EXPECT_NE(problem_detail(bad).find("position"), std::string::npos)
      << bad.body;
}

TEST_F(EntitiesTest, TenantsAreSeparate) {
  Headers t = {{"content-type", "application/json"},
               {"ngsild-tenant", "kaiserslautern"}};
  auto r =
      post(kEntities, R"({"id": "urn:ngsi-ld:Thing:1", "type": "Thing"})", t);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(get("/ngsi-ld/v1/entities/urn:ngsi-ld:Thing:1").status, 404u);
  EXPECT_EQ(get("/ngsi-ld/v1/entities/urn:ngsi-ld:Thing:1",
                {{"ngsild-tenant", "kaiserslautern"}})
                .status,
            200u);
  auto unknown = get("/ngsi-ld/v1/entities/urn:ngsi-ld:Thing:1",
                     {{"ngsild-tenant", "nowhere"}});
  EXPECT_EQ(unknown.status, 404u);
  for (const char* bad : {"..", "a/b", "../etc", "a b", ".hidden"}) {
    auto b = get("/ngsi-ld/v1/entities/urn:ngsi-ld:Thing:1",
                 {{"ngsild-tenant", bad}});
    EXPECT_EQ(b.status, 400u) << bad;
    EXPECT_EQ(problem_type(b), "BadRequestData") << bad;
  }
}

TEST_F(EntitiesTest, HealthAndMetrics) {
  EXPECT_EQ(get("/health").status, 200u);
  auto m = get("/metrics");
  ASSERT_EQ(m.status, 200u);
  EXPECT_NE(m.body.find("cocity_store_commits_total"), std::string::npos);
  EXPECT_NE(m.body.find("cocity_store_entity_cache_hits_total"),
            std::string::npos);
  EXPECT_NE(m.body.find("cocity_store_entity_cache_misses_total"),
            std::string::npos);
  EXPECT_NE(m.body.find("cocity_http_requests_total"), std::string::npos);
}

}  // namespace
}  // namespace cocity::test
