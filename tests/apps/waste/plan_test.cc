#include "apps/waste/plan.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "apps/waste/plan_entities.h"
#include "apps/waste/plan_json.h"
#include "ngsi/context.h"
#include "ngsi/entity_parser.h"
#include "roads/ch.h"
#include "roads/distance_provider.h"
#include "roads/osm_reader.h"
#include "scenario.h"

namespace cocity::apps::waste {
namespace {

class PlanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* src = std::getenv("COCITY_SOURCE_DIR");
    if (!src) return;
    std::string path =
        std::string(src) + "/../shared/data/osm/kaiserslautern_cc.osm.gz";
    if (!std::filesystem::exists(path)) return;
    auto g = roads::build_graph_from_file(path);
    ASSERT_TRUE(g) << g.error().detail;
    auto network = std::make_shared<roads::RoadNetwork>();
    network->ch = roads::contract(*g);
    network->graph = std::move(*g);
    network_ = network;
    index_ = std::make_shared<RoadIndex>(network_);
  }
  static void TearDownTestSuite() {
    index_.reset();
    network_.reset();
  }
  void SetUp() override {
    if (!network_) GTEST_SKIP() << "no ../shared/data/osm";
  }

  Result<Plan> plan(const json::object& body) {
    auto req = parse_plan_request(body);
    if (!req) return std::unexpected(req.error());
    return make_plan(req->request, *index_);
  }

  static std::shared_ptr<const roads::RoadNetwork> network_;
  static std::shared_ptr<const RoadIndex> index_;
};

std::shared_ptr<const roads::RoadNetwork> PlanTest::network_;
std::shared_ptr<const RoadIndex> PlanTest::index_;

TEST_F(PlanTest, PlansADayThatPassesTheIndependentCheck) {
  auto day = testing::make_day(network_->graph, 60, 2, 8000);
  day.body["containers"] = day.containers;
  auto p = plan(day.body);
  ASSERT_TRUE(p) << p.error().detail;
  auto provider = roads::make_road_distance_provider(network_);
  auto served = testing::check_plan(plan_to_json(*p, "x", "2026-11-25"),
                                    day.scenario, *provider);
  EXPECT_GE(int(served), p->must);
  EXPECT_GT(p->must, 0);
  EXPECT_GT(p->distance_m, 0);
  EXPECT_EQ(p->skipped.size() + served + p->optional_left.size() +
                p->unroutable.size(),
            60u);
}

TEST_F(PlanTest, StoredEntitiesGiveThePlanBack) {
  auto day = testing::make_day(network_->graph, 30, 2, 8000, 3);
  day.body["containers"] = day.containers;
  auto p = plan(day.body);
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_FALSE(p->routes.empty());
  auto entities = plan_to_entities(*p, "2026-11-25-ab", "2026-11-25",
                                   *parse_iso_time("2026-11-25T05:00:00Z"));
  ASSERT_TRUE(entities) << entities.error().detail;
  ASSERT_EQ(entities->size(), 1 + p->routes.size());
  const auto& plan_entity = (*entities)[0];
  EXPECT_EQ(plan_entity.id, plan_entity_id("2026-11-25-ab"));
  auto ids = route_ids_of(plan_entity);
  ASSERT_EQ(ids.size(), p->routes.size());
  EXPECT_EQ(ids[0], (*entities)[1].id);
  std::vector<ngsi::Entity> routes(entities->begin() + 1, entities->end());
  auto back = plan_from_entities(plan_entity, routes);
  ASSERT_TRUE(back) << back.error().detail;
  auto direct = plan_to_json(*p, "2026-11-25-ab", "2026-11-25");
  EXPECT_EQ(back->at("routes"), direct.at("routes"));
  EXPECT_EQ(back->at("totals"), direct.at("totals"));
  EXPECT_EQ(back->at("skipped"), direct.at("skipped"));
}

TEST_F(PlanTest, ContainersFromEntities) {
  ParsedPlanRequest defaults;
  defaults.default_volume_l = 660;
  auto doc = parse_json(R"({"id": "urn:ngsi-ld:WasteContainer:1",
    "type": "WasteContainer",
    "location": {"type": "GeoProperty",
                 "value": {"type": "Point", "coordinates": [7.76, 49.44]}},
    "fillingLevel": {"type": "Property", "value": 0.6,
                     "observedAt": "2026-11-25T04:00:00Z"}})");
  ASSERT_TRUE(doc);
  auto e = ngsi::parse_entity(*doc, *ngsi::Context::core(),
                              *parse_iso_time("2026-11-25T05:00:00Z"));
  ASSERT_TRUE(e) << e.error().detail;
  auto c = container_from_entity(*e, defaults);
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->id, "urn:ngsi-ld:WasteContainer:1");
  EXPECT_DOUBLE_EQ(c->level, 0.6);
  EXPECT_DOUBLE_EQ(c->volume_l, 660);
  EXPECT_DOUBLE_EQ(c->location.lat, 49.44);
  EXPECT_EQ(c->level_time, *parse_iso_time("2026-11-25T04:00:00Z"));
  e->attrs.erase(ngsi::Context::core()->expand("fillingLevel"));
  auto missing = container_from_entity(*e, defaults);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find("fillingLevel"), std::string::npos);
}

TEST_F(PlanTest, SmallTrucksUnloadOnTheWay) {
  auto day = testing::make_day(network_->graph, 40, 1, 3000, 7);
  day.body["containers"] = day.containers;
  auto p = plan(day.body);
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_EQ(p->routes.size(), 1u);
  EXPECT_GE(p->routes[0].disposal_visits, 2);
  auto provider = roads::make_road_distance_provider(network_);
  testing::check_plan(plan_to_json(*p, "x", "2026-11-25"), day.scenario,
                      *provider);
}

TEST_F(PlanTest, FarContainersAreUnroutableNotFatal) {
  auto day = testing::make_day(network_->graph, 10, 1, 8000);
  day.containers.push_back(json::object{
      {"id", "far"}, {"location", json::array{8.5, 50.0}}, {"level", 0.95}});
  day.body["containers"] = day.containers;
  auto p = plan(day.body);
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_EQ(p->unroutable.size(), 1u);
  EXPECT_EQ(p->unroutable[0].id, "far");
  EXPECT_NE(p->unroutable[0].reason.find("far"), std::string::npos);
}

TEST_F(PlanTest, BadInputNamesTheField) {
  auto day = testing::make_day(network_->graph, 5, 1, 8000);
  day.body["containers"] = day.containers;
  auto body = day.body;
  body["fleet"].as_array()[0].as_object()["depot"] = "nowhere";
  auto p = plan(body);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().detail.find("nowhere"), std::string::npos);
  body = day.body;
  body["fleet"].as_array()[0].as_object()["shift"] =
      json::array{"14:00", "06:00"};
  auto q = parse_plan_request(body);
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().detail.find("fleet[0].shift"), std::string::npos);
  body = day.body;
  body["containers"].as_array()[0].as_object()["location"] = "here";
  q = parse_plan_request(body);
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().detail.find("containers[0].location"), std::string::npos);
  body = day.body;
  body.erase("date");
  EXPECT_FALSE(parse_plan_request(body));
}

TEST_F(PlanTest, TooManyMustsForTheFleet) {
  auto day = testing::make_day(network_->graph, 80, 1, 8000);
  for (auto& c : day.containers) c.as_object()["level"] = 0.95;
  day.body["containers"] = day.containers;
  day.body["fleet"].as_array()[0].as_object()["max_duration_s"] = 1800;
  day.body["time_limit_s"] = 0.5;
  // Best effort (the default): a plan, and the musts left are listed.
  auto p = plan(day.body);
  ASSERT_TRUE(p) << p.error().detail;
  EXPECT_EQ(p->must, 80);
  EXPECT_FALSE(p->must_left.empty());
  EXPECT_EQ(size_t(p->collected) + p->must_left.size(), 80u);
  for (const auto& r : p->routes) {
    EXPECT_LE(r.return_s - r.depart_s, 1800);
  }
  // Strict: an error that says why.
  day.body["best_effort"] = false;
  p = plan(day.body);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::kBadRequestData);
  EXPECT_NE(p.error().detail.find("80 must containers"), std::string::npos)
      << p.error().detail;
}

}  // namespace
}  // namespace cocity::apps::waste
