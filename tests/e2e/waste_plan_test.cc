// The waste app's API over loopback against a real `cocity serve`: a day
// for 300 containers and 5 trucks on the Kaiserslautern road network,
// containers read from NGSI-LD WasteContainer entities, the plan checked
// against every constraint by independent code (tests/apps/waste/
// plan_check.h), stored as NGSI-LD entities and read back; the savings
// report; errors as ProblemDetails. Skips without ../shared/data/osm.
#include <cstdlib>
#include <filesystem>

#include "../apps/waste/scenario.h"
#include "e2e_util.h"
#include "roads/distance_provider.h"
#include "roads/graph_file.h"

namespace cocity::test {
namespace {

namespace waste = apps::waste::testing;

std::string osm_file() {
  const char* src = std::getenv("COCITY_SOURCE_DIR");
  if (!src) return "";
  std::string p =
      std::string(src) + "/../shared/data/osm/kaiserslautern.osm.gz";
  return std::filesystem::exists(p) ? p : "";
}

// One server and one imported graph for the suite (the import takes ~2 s).
class WastePlanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (osm_file().empty()) return;
    server_ = new ServerProcess();
    // The tenant's graph where the server looks for it by default.
    std::string cmd = cocity_binary() + " import osm " + osm_file() +
                      " --data-dir " + server_->data_dir() +
                      " --tenant default > /dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    auto network =
        roads::read_road_network(server_->data_dir() + "/roads/default.graph");
    ASSERT_TRUE(network) << network.error().detail;
    network_ = new std::shared_ptr<const roads::RoadNetwork>(
        std::make_shared<const roads::RoadNetwork>(std::move(*network)));
    auto s = server_->start({"--open"});
    ASSERT_TRUE(s) << s.error().detail;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete network_;
    server_ = nullptr;
    network_ = nullptr;
  }
  void SetUp() override {
    if (osm_file().empty()) GTEST_SKIP() << "no ../shared/data/osm";
    ASSERT_TRUE(server_ && network_ && server_->running());
    client_ = std::make_unique<HttpClient>(server_->port(),
                                           std::chrono::seconds(120));
  }
  const roads::RoadNetwork& graph() { return **network_; }

  Response post(std::string_view target, const json::value& body) {
    return client_->request("POST", target, to_json(body), kJson);
  }

  // The scenario's containers as WasteContainer entities, in batches.
  void create_containers(const waste::Day& day) {
    json::array batch;
    for (const auto& c : day.containers) {
      const auto& o = c.as_object();
      batch.push_back(json::object{
          {"id", o.at("id")},
          {"type", "WasteContainer"},
          {"location",
           json::object{
               {"type", "GeoProperty"},
               {"value", json::object{{"type", "Point"},
                                      {"coordinates", o.at("location")}}}}},
          {"fillingLevel",
           json::object{{"type", "Property"},
                        {"value", o.at("level")},
                        {"observedAt", "2026-11-25T00:00:00Z"}}},
          {"binCapacity",
           json::object{{"type", "Property"}, {"value", o.at("volume_l")}}},
          {"fillingRate", json::object{{"type", "Property"}, {"value", 0}}}});
    }
    auto r = post("/ngsi-ld/v1/entityOperations/create", batch);
    ASSERT_EQ(r.status, 201u) << r.body.substr(0, 500);
  }

  static ServerProcess* server_;
  static std::shared_ptr<const roads::RoadNetwork>* network_;
  std::unique_ptr<HttpClient> client_;
};

ServerProcess* WastePlanTest::server_ = nullptr;
std::shared_ptr<const roads::RoadNetwork>* WastePlanTest::network_ = nullptr;

TEST_F(WastePlanTest, PlansADayFor300ContainersAnd5Trucks) {
  auto day = waste::make_day(graph().graph, 300, 5, 10000);
  create_containers(day);
  day.body["time_limit_s"] = 5;
  auto r = post("/api/v1/waste/plans", day.body);
  ASSERT_EQ(r.status, 201u) << r.body.substr(0, 1000);
  auto plan = parse_json(r.body);
  ASSERT_TRUE(plan);
  const auto& p = plan->as_object();
  auto provider = roads::make_road_distance_provider(*network_);
  size_t served = waste::check_plan(p, day.scenario, *provider);
  int must = 0;
  for (const auto& [id, c] : day.scenario.containers) {
    must += c.level >= day.scenario.threshold;
  }
  EXPECT_GT(must, 30);
  EXPECT_EQ(p.at("totals").at("must").as_int64(), must);
  EXPECT_GE(served, size_t(must));
  EXPECT_LE(p.at("routes").as_array().size(), 5u);
  // Every container is accounted for.
  EXPECT_EQ(served + p.at("skipped").as_array().size() +
                p.at("optional_left").as_array().size() +
                p.at("unroutable").as_array().size(),
            300u);
  bool unloads = false;
  for (const auto& route : p.at("routes").as_array()) {
    unloads |= route.at("disposal_visits").as_int64() > 1;
  }
  EXPECT_TRUE(unloads) << "10 m3 trucks should unload on the way";

  // Stored: the same plan comes back, and the routes are NGSI-LD entities.
  std::string location(r.header("location"));
  ASSERT_FALSE(location.empty());
  auto again = client_->get(location);
  ASSERT_EQ(again.status, 200u) << again.body.substr(0, 500);
  auto stored = parse_json(again.body);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->at("routes"), p.at("routes"));
  EXPECT_EQ(stored->at("totals"), p.at("totals"));
  auto routes = client_->get("/ngsi-ld/v1/entities?type=WasteCollectionRoute");
  ASSERT_EQ(routes.status, 200u);
  auto re = parse_json(routes.body);
  ASSERT_TRUE(re);
  ASSERT_EQ(re->as_array().size(), p.at("routes").as_array().size());
  EXPECT_EQ(re->as_array()[0].at("location").at("value").at("type"),
            "LineString");
}

TEST_F(WastePlanTest, SavingsReportComparesWeeklyAndSensorPlans) {
  auto day = waste::make_day(graph().graph, 80, 2, 10000, 9);
  for (auto& c : day.containers) {
    c.as_object()["fill_rate_per_day"] = 0.12;
  }
  day.body["containers"] = day.containers;
  day.body["days"] = 7;
  day.body["time_limit_s"] = 0.3;
  auto r = post("/api/v1/waste/savings", day.body);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto v = parse_json(r.body);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->at("days").as_int64(), 7);
  // Weekly: each container once in the five working days.
  EXPECT_EQ(v->at("weekly").at("collections").as_int64(), 80);
  EXPECT_GT(v->at("sensor").at("collections").as_int64(), 0);
  EXPECT_GT(v->at("weekly").at("distance_km").as_double(), 0);
  EXPECT_TRUE(v->at("saving_pct").as_object().contains("distance_km"));
}

TEST_F(WastePlanTest, BadInputIsAProblemNamingTheField) {
  auto day = waste::make_day(graph().graph, 5, 1, 10000);
  day.body["containers"] = day.containers;
  day.body["fleet"].as_array()[0].as_object()["capacity_l"] = "big";
  auto r = post("/api/v1/waste/plans", day.body);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(problem_type(r), "BadRequestData");
  EXPECT_NE(r.body.find("fleet[0].capacity_l"), std::string::npos) << r.body;
  r = client_->request("POST", "/api/v1/waste/plans", "{", kJson);
  EXPECT_EQ(r.status, 400u);
  r = client_->get("/api/v1/waste/plans/nope");
  EXPECT_EQ(r.status, 404u);
}

TEST(WasteNoGraphTest, PlansAnswer503WithoutARoadGraph) {
  ServerProcess server;
  ASSERT_TRUE(server.start({"--open"}));
  HttpClient client(server.port());
  auto r = client.request(
      "POST", "/api/v1/waste/plans",
      R"({"date": "2026-11-25", "fleet": [{"id": "T1", "depot": "D1"}],
          "depots": [{"id": "D1", "location": [7.76, 49.44]}],
          "containers": []})",
      kJson);
  EXPECT_EQ(r.status, 503u) << r.body;
  EXPECT_NE(r.body.find("cocity import osm"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace cocity::test
