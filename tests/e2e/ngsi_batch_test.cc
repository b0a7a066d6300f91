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
