// /ngsi-ld/v1/entityOperations/* against a real server.
#include "e2e_util.h"

namespace cocity::test {
namespace {

std::string station(int i, double no2) {
  return R"({"id": "urn:ngsi-ld:AirQualityObserved:)" + std::to_string(i) +
         R"(", "type": "AirQualityObserved", "no2": {"type": "Property", "value": )" +
         std::to_string(no2) + "}}";
}

std::string batch(int from, int to, double no2) {
  std::string s = "[";
  for (int i = from; i < to; ++i) s += (i > from ? "," : "") + station(i, no2);
  return s + "]";
}

using BatchTest = OpenServerTest;

TEST_F(BatchTest, CreateReportsPerEntity) {
  auto r = post("/ngsi-ld/v1/entityOperations/create", batch(0, 3, 10));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse_json(r.body)->as_array().size(), 3u);
  r = post(
      "/ngsi-ld/v1/entityOperations/create",
      "[" + station(2, 1) + "," + station(3, 1) +
          R"(, {"id": "urn:x:9", "type": "T", "a": {"type": "Banana", "value": 1}}, {"type": "NoId"}])");
  ASSERT_EQ(r.status, 207u) << r.body;
  auto v = parse_json(r.body);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->at("success").as_array().size(), 1u);
  EXPECT_EQ(v->at("success").as_array()[0], "urn:ngsi-ld:AirQualityObserved:3");
  auto errors = v->at("errors").as_array();
  ASSERT_EQ(errors.size(), 3u);
  bool saw_exists = false;
  for (const auto& e : errors) {
    if (e.at("entityId") == "urn:ngsi-ld:AirQualityObserved:2") {
      saw_exists = true;
      EXPECT_EQ(e.at("error").at("status").as_int64(), 409);
    }
  }
  EXPECT_TRUE(saw_exists);
  // The existing entity was not touched.
  EXPECT_EQ(get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:2")
                .at("no2")
                .at("value")
                .as_double(),
            10.0);
}

TEST_F(BatchTest, UpsertReplaceAndUpdate) {
  auto r = post("/ngsi-ld/v1/entityOperations/upsert", batch(0, 2, 10));
  ASSERT_EQ(r.status, 201u) << r.body;
  r = post("/ngsi-ld/v1/entityOperations/upsert", batch(0, 2, 20));
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:1")
                .at("no2")
                .at("value")
                .as_double(),
            20.0);
  r = post(
      "/ngsi-ld/v1/entityOperations/upsert?options=update",
      R"([{"id": "urn:ngsi-ld:AirQualityObserved:1", "type": "AirQualityObserved", "pm10": 5}])");
  ASSERT_EQ(r.status, 204u) << r.body;
  auto v = get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:1");
  EXPECT_EQ(v.at("no2").at("value").as_double(), 20.0);
  EXPECT_EQ(v.at("pm10").at("value").as_int64(), 5);
  EXPECT_EQ(
      post("/ngsi-ld/v1/entityOperations/upsert?options=merge", batch(0, 1, 1))
          .status,
      400u);
}

// The handler parses the entities it expects to be new onto the heap and
// the others into the request's arena; a guess proven wrong inside the
// batch changes nothing: one new id twice (created, then replaced), a
// stored id and a new one, all in one request.
TEST_F(BatchTest, UpsertOfNewAndStoredEntitiesInOneBatch) {
  ASSERT_EQ(post("/ngsi-ld/v1/entityOperations/upsert", batch(0, 1, 10)).status,
            201u);
  auto r = post("/ngsi-ld/v1/entityOperations/upsert",
                "[" + station(5, 1) + "," + station(0, 2) + "," +
                    station(5, 3) + "," + station(6, 4) + "]");
  ASSERT_EQ(r.status, 201u) << r.body;
  auto created = parse_json(r.body);
  ASSERT_TRUE(created);
  // Per op: 5 (created), then 6; 0 existed, and 5's second op replaced.
  EXPECT_EQ(created->as_array().size(), 2u) << r.body;
  auto no2 = [&](int i) {
    return get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:" +
                    std::to_string(i))
        .at("no2")
        .at("value")
        .as_double();
  };
  EXPECT_EQ(no2(0), 2.0);
  EXPECT_EQ(no2(5), 3.0);
  EXPECT_EQ(no2(6), 4.0);
}

// Upsert with replace rewrites a stored entity in its own memory when the
// new content has the old shape, and copies what differs. Either way the
// entity reads back as sent, attribute order included, long after the
// request (and the arena it was parsed into) is gone.
TEST_F(BatchTest, UpsertReplaceTakesTheNewContentWhateverItsShape) {
  const std::string id = "urn:ngsi-ld:Device:shape";
  auto upsert = [&](const std::string& attrs) {
    return post(
        "/ngsi-ld/v1/entityOperations/upsert",
        R"([{"id": ")" + id + R"(", "type": "Device", )" + attrs + "}]");
  };
  // The first shape: a reading, a relationship, a text.
  auto first_shape = [](int value, const std::string& observed,
                        const std::string& object, const std::string& text) {
    return R"("a": {"type": "Property", "value": )" + std::to_string(value) +
           R"(, "observedAt": ")" + observed +
           R"("}, "b": {"type": "Relationship", "object": ")" + object +
           R"("}, "c": ")" + text + "\"";
  };
  ASSERT_EQ(
      upsert(first_shape(1, "2026-11-26T10:00:00Z", "urn:x:1", "short")).status,
      201u);
  // The same shape, new values.
  ASSERT_EQ(upsert(first_shape(2, "2026-11-26T11:00:00Z", "urn:x:2",
                               "a text much longer than the one before it"))
                .status,
            204u);
  auto v = get_json("/ngsi-ld/v1/entities/" + id);
  EXPECT_EQ(v.at("a").at("value").as_int64(), 2);
  EXPECT_EQ(v.at("a").at("observedAt"), "2026-11-26T11:00:00.000Z");
  EXPECT_EQ(v.at("b").at("object"), "urn:x:2");
  EXPECT_EQ(v.at("c").at("value"), "a text much longer than the one before it");

  // Another shape: b left out, d new and first, a with two instances.
  ASSERT_EQ(upsert(R"("d": {"type": "GeoProperty", "value":
                            {"type": "Point", "coordinates": [13.4, 52.5]}},
                      "a": [{"type": "Property", "value": "on"},
                            {"type": "Property", "value": 3,
                             "datasetId": "urn:ds:2"}],
                      "c": "short")")
                .status,
            204u);
  auto r = get("/ngsi-ld/v1/entities/" + id);
  ASSERT_EQ(r.status, 200u);
  v = *parse_json(r.body);
  EXPECT_FALSE(v.as_object().contains("b"));
  ASSERT_TRUE(v.at("a").is_array()) << r.body;
  EXPECT_EQ(v.at("a").as_array()[0].at("value"), "on");
  EXPECT_EQ(v.at("a").as_array()[1].at("datasetId"), "urn:ds:2");
  EXPECT_EQ(v.at("c").at("value"), "short");
  EXPECT_EQ(v.at("d").at("value").at("coordinates").as_array()[0].as_double(),
            13.4);
  EXPECT_LT(r.body.find("\"d\""), r.body.find("\"a\"")) << r.body;
  EXPECT_LT(r.body.find("\"a\""), r.body.find("\"c\"")) << r.body;
}

TEST_F(BatchTest, UpdateMergeAndDelete) {
  ASSERT_EQ(post("/ngsi-ld/v1/entityOperations/create", batch(0, 2, 10)).status,
            201u);
  auto r = post(
      "/ngsi-ld/v1/entityOperations/update?options=noOverwrite",
      R"([{"id": "urn:ngsi-ld:AirQualityObserved:0", "no2": 99, "o3": 7}])");
  ASSERT_EQ(r.status, 204u) << r.body;
  auto v = get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:0");
  EXPECT_EQ(v.at("no2").at("value").as_double(), 10.0);
  EXPECT_EQ(v.at("o3").at("value").as_int64(), 7);
  r = post(
      "/ngsi-ld/v1/entityOperations/merge",
      R"([{"id": "urn:ngsi-ld:AirQualityObserved:0", "o3": null}, {"id": "urn:x:none", "a": 1}])");
  ASSERT_EQ(r.status, 207u) << r.body;
  EXPECT_FALSE(get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:0")
                   .as_object()
                   .contains("o3"));
  r = post(
      "/ngsi-ld/v1/entityOperations/delete",
      R"(["urn:ngsi-ld:AirQualityObserved:0", "urn:ngsi-ld:AirQualityObserved:1", "urn:x:none"])");
  ASSERT_EQ(r.status, 207u) << r.body;
  EXPECT_EQ(parse_json(r.body)->at("success").as_array().size(), 2u);
  EXPECT_EQ(get("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:0").status,
            404u);
}

TEST_F(BatchTest, LimitsAndShapes) {
  auto r = post("/ngsi-ld/v1/entityOperations/create", batch(0, 1001, 1));
  EXPECT_EQ(r.status, 413u) << r.body;
  EXPECT_NE(problem_detail(r).find("max_batch_entities"), std::string::npos);
  EXPECT_EQ(
      get("/ngsi-ld/v1/entities?type=AirQualityObserved&count=true&limit=0")
          .header("ngsild-results-count"),
      "0");
  EXPECT_EQ(post("/ngsi-ld/v1/entityOperations/create", station(1, 1)).status,
            400u);
  EXPECT_EQ(post("/ngsi-ld/v1/entityOperations/create", "[]").status, 400u);
  EXPECT_EQ(post("/ngsi-ld/v1/entityOperations/frobnicate", "[]").status, 404u);
  r = post("/ngsi-ld/v1/entityOperations/create", batch(0, 1000, 1));
  EXPECT_EQ(r.status, 201u);
  // The body limit: 8 MiB by default.
  std::string huge(9 * 1024 * 1024, ' ');
  r = post("/ngsi-ld/v1/entityOperations/upsert", "[" + huge + "]");
  EXPECT_EQ(r.status, 413u);
}

}  // namespace
}  // namespace cocity::test
