#include "roads/osm_reader.h"

#include <gtest/gtest.h>

#include "osm_fixture.h"
#include "roads/components.h"
#include "roads/geo.h"

namespace cocity::roads {
namespace {

using testing::find_edge;
using testing::graph_from;
using testing::OsmNode;
using testing::OsmWay;

// Three nodes in a row along a parallel, ~72 m apart.
const std::vector<OsmNode> kRow = {
    {1, 49.44, 7.760}, {2, 49.44, 7.761}, {3, 49.44, 7.762}};

TEST(OsmReaderTest, TwoWayStreetHasEdgesBothWays) {
  auto g = graph_from(kRow, {{10, {1, 2, 3}, {{"highway", "residential"}}}});
  ASSERT_TRUE(g) << g.error().detail;
  EXPECT_EQ(g->node_count(), 3u);
  EXPECT_EQ(g->edge_count(), 4u);
  EdgeId e = find_edge(*g, 1, 2);
  ASSERT_NE(e, kNoId);
  EXPECT_NE(find_edge(*g, 2, 1), kNoId);
  EXPECT_EQ(g->way_id[e], 10);
  double length = distance_m({49.44, 7.760}, {49.44, 7.761});
  EXPECT_NEAR(g->distance_m[e], length, 0.01);
  EXPECT_NEAR(length, 72.4, 0.5);
  // 30 km/h residential default.
  EXPECT_NEAR(g->duration_ms[e], length / (30 / 3.6) * 1000, 1);
  EXPECT_EQ(g->reverse_edge(e), find_edge(*g, 2, 1));
}

TEST(OsmReaderTest, MaxspeedSetsDuration) {
  auto g = graph_from(
      kRow,
      {{10, {1, 2}, {{"highway", "residential"}, {"maxspeed", "DE:urban"}}}});
  ASSERT_TRUE(g);
  EdgeId e = find_edge(*g, 1, 2);
  EXPECT_NEAR(g->duration_ms[e], g->distance_m[e] / (50 / 3.6) * 1000, 1);
}

TEST(OsmReaderTest, OnewayKeepsOneDirection) {
  auto g = graph_from(
      kRow, {{10, {1, 2, 3}, {{"highway", "residential"}, {"oneway", "yes"}}}});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->edge_count(), 2u);
  EXPECT_NE(find_edge(*g, 1, 2), kNoId);
  EXPECT_EQ(find_edge(*g, 2, 1), kNoId);
  EXPECT_EQ(g->reverse_edge(find_edge(*g, 1, 2)), kNoId);
}

TEST(OsmReaderTest, ReverseOnewayAndImpliedOneways) {
  auto rev = graph_from(
      kRow, {{10, {1, 2}, {{"highway", "primary"}, {"oneway", "-1"}}}});
  ASSERT_TRUE(rev);
  EXPECT_EQ(rev->edge_count(), 1u);
  EXPECT_NE(find_edge(*rev, 2, 1), kNoId);

  auto roundabout = graph_from(
      kRow,
      {{10, {1, 2}, {{"highway", "primary"}, {"junction", "roundabout"}}}});
  ASSERT_TRUE(roundabout);
  EXPECT_EQ(roundabout->edge_count(), 1u);
  EXPECT_NE(find_edge(*roundabout, 1, 2), kNoId);

  auto motorway = graph_from(kRow, {{10, {1, 2}, {{"highway", "motorway"}}}});
  ASSERT_TRUE(motorway);
  EXPECT_EQ(motorway->edge_count(), 1u);
}

TEST(OsmReaderTest, ExcludesWaysCarsMayNotUse) {
  auto g = graph_from(
      {{1, 49.44, 7.760},
       {2, 49.44, 7.761},
       {3, 49.44, 7.762},
       {4, 49.44, 7.763},
       {5, 49.44, 7.764},
       {6, 49.44, 7.765}},
      {{10, {1, 2}, {{"highway", "footway"}}},
       {11, {2, 3}, {{"highway", "service"}, {"access", "private"}}},
       {12, {3, 4}, {{"highway", "residential"}, {"access", "destination"}}},
       {13, {4, 5}, {{"highway", "track"}, {"motor_vehicle", "agricultural"}}},
       {14, {5, 6}, {{"highway", "cycleway"}}}});
  ASSERT_TRUE(g) << g.error().detail;
  EXPECT_EQ(g->node_count(), 2u);
  EXPECT_NE(find_edge(*g, 3, 4), kNoId);
}

TEST(OsmReaderTest, KeepsLargestStronglyConnectedComponent) {
  // A two-way square 1-2-3-4 with a one-way spur 3 -> 5 (a dead end a car
  // cannot leave) and a separate two-way street 6-7.
  std::vector<OsmNode> nodes = {{1, 49.440, 7.760}, {2, 49.440, 7.761},
                                {3, 49.441, 7.761}, {4, 49.441, 7.760},
                                {5, 49.442, 7.761}, {6, 49.450, 7.770},
                                {7, 49.450, 7.771}};
  std::vector<OsmWay> ways = {
      {10, {1, 2, 3, 4, 1}, {{"highway", "residential"}}},
      {11, {3, 5}, {{"highway", "service"}, {"oneway", "yes"}}},
      {12, {6, 7}, {{"highway", "residential"}}}};
  auto all = graph_from(nodes, ways, /*keep_largest_component=*/false);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->node_count(), 7u);
  auto kept = graph_from(nodes, ways, /*keep_largest_component=*/true);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->node_count(), 4u);
  EXPECT_EQ(kept->edge_count(), 8u);
  for (int64_t osm : kept->osm_node_id) EXPECT_LE(osm, 4);
}

TEST(OsmReaderTest, SkipsSegmentsWithMissingNodes) {
  auto g =
      graph_from(kRow, {{10, {1, 2, 99, 3}, {{"highway", "residential"}}}});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->edge_count(), 2u);  // only 1 <-> 2
}

TEST(OsmReaderTest, BadInputIsAnError) {
  auto malformed = build_graph_from_memory("<osm version=\"0.6\"><node", "osm");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, Code::kBadRequestData);

  auto no_roads = graph_from(kRow, {{10, {1, 2}, {{"highway", "footway"}}}});
  ASSERT_FALSE(no_roads);
  EXPECT_NE(no_roads.error().detail.find("no road segment"), std::string::npos);

  auto missing = build_graph_from_file("/nonexistent/city.osm.gz");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Code::kNotFound);
  EXPECT_NE(missing.error().detail.find("/nonexistent/city.osm.gz"),
            std::string::npos);
}

TEST(ComponentsTest, IterativeTarjanOnLongCycleAndChain) {
  // A 200k-node one-way cycle (one component) followed by a chain that
  // leaves it (singletons): recursion would overflow the stack here.
  constexpr NodeId kCycle = 200000;
  constexpr NodeId kChain = 1000;
  std::vector<LatLon> coords(kCycle + kChain, LatLon{49.44, 7.76});
  std::vector<int64_t> ids(coords.size());
  std::vector<Arc> arcs;
  for (NodeId i = 0; i < kCycle; ++i)
    arcs.push_back({i, (i + 1) % kCycle, 1, 1, 1});
  arcs.push_back({0, kCycle, 1, 1, 2});
  for (NodeId i = kCycle; i + 1 < kCycle + kChain; ++i)
    arcs.push_back({i, i + 1, 1, 1, 2});
  auto g = make_graph(coords, ids, arcs);
  ASSERT_TRUE(g);
  std::vector<uint32_t> c = strongly_connected_components(*g);
  EXPECT_EQ(c[0], c[kCycle - 1]);
  EXPECT_NE(c[0], c[kCycle]);
  EXPECT_NE(c[kCycle], c[kCycle + 1]);
  EXPECT_EQ(largest_strong_component(*g).node_count(), kCycle);
}

TEST(OsmReaderTest, ReadsTheKaiserslauternExtract) {
  std::string path = testing::shared_osm_file("kaiserslautern_uni.osm.gz");
  if (path.empty()) GTEST_SKIP() << "shared OSM data not found";
  auto g = build_graph_from_file(path);
  ASSERT_TRUE(g) << g.error().detail;
  EXPECT_GT(g->node_count(), 100u);
  EXPECT_TRUE(validate(*g));
  // Strongly connected: one component.
  std::vector<uint32_t> c = strongly_connected_components(*g);
  for (uint32_t x : c) ASSERT_EQ(x, c[0]);
}

}  // namespace
}  // namespace cocity::roads
