#include "roads/snapping.h"

#include <gtest/gtest.h>

#include <cmath>

#include "square_fixture.h"

namespace cocity::roads {
namespace {

using testing::find_edge;

class SnappingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = testing::square_graph();
    ASSERT_TRUE(g) << g.error().detail;
    graph_ = std::move(*g);
  }
  Graph graph_;
};

TEST_F(SnappingTest, ProjectsOntoNearestSegment) {
  SnapIndex index(graph_);
  auto s = index.snap({49.4399, 7.761});
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s->edge, find_edge(graph_, 1, 2));
  EXPECT_EQ(s->reverse, kNoId);  // one-way
  EXPECT_NEAR(s->fraction, 0.5, 1e-6);
  EXPECT_NEAR(s->point.lat, 49.44, 1e-9);
  EXPECT_NEAR(s->point.lon, 7.761, 1e-9);
  EXPECT_NEAR(s->snap_distance_m, 11.1, 0.1);
  EXPECT_NEAR(s->offset_m, graph_.distance_m[s->edge] / 2, 0.01);
}

TEST_F(SnappingTest, TwoWaySegmentHasBothEdges) {
  SnapIndex index(graph_);
  auto s = index.snap({49.441, 7.7621});  // east of B-C
  ASSERT_TRUE(s);
  EdgeId bc = find_edge(graph_, 2, 3);
  EdgeId cb = find_edge(graph_, 3, 2);
  EXPECT_TRUE((s->edge == bc && s->reverse == cb) ||
              (s->edge == cb && s->reverse == bc));
  EXPECT_EQ(graph_.reverse_edge(s->edge), s->reverse);
}

TEST_F(SnappingTest, EndpointsClampToNodes) {
  SnapIndex index(graph_);
  auto s = index.snap({49.4395, 7.7595});  // south-west of A
  ASSERT_TRUE(s);
  EXPECT_NEAR(s->point.lat, 49.44, 1e-9);
  EXPECT_NEAR(s->point.lon, 7.76, 1e-9);
}

TEST_F(SnappingTest, TooFarIsAnErrorNamingThePoint) {
  SnapIndex index(graph_);
  auto far = index.snap({49.46, 7.76}, "container 17");
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().code, Code::kBadRequestData);
  EXPECT_NE(far.error().detail.find("container 17"), std::string::npos);
  EXPECT_NE(far.error().detail.find("1000 m"), std::string::npos);

  SnapIndex strict(graph_, {.max_snap_distance_m = 5});
  EXPECT_FALSE(strict.snap({49.4399, 7.761}));
  EXPECT_TRUE(strict.snap({49.44001, 7.761}));
}

TEST_F(SnappingTest, InvalidCoordinatesAreAnError) {
  SnapIndex index(graph_);
  EXPECT_FALSE(index.snap({91, 7.76}, "depot"));
  EXPECT_FALSE(index.snap({49.44, std::nan("")}));
}

TEST_F(SnappingTest, SeedsRespectOneWays) {
  SnapIndex index(graph_);
  auto p = index.snap(testing::kP);
  ASSERT_TRUE(p);
  Seeds from = source_seeds(graph_, *p);
  ASSERT_EQ(from.count, 1);
  EXPECT_EQ(graph_.osm_node_id[from.seed[0].node], 2);  // only towards B
  EXPECT_NEAR(from.seed[0].duration_ms, 0.75 * graph_.duration_ms[p->edge], 1);
  Seeds to = target_seeds(graph_, *p);
  ASSERT_EQ(to.count, 1);
  EXPECT_EQ(graph_.osm_node_id[to.seed[0].node], 1);  // only from A
}

}  // namespace
}  // namespace cocity::roads
