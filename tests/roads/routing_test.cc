// Shortest paths: plain Dijkstra, the contraction hierarchy's one-to-one
// routes and many-to-many matrices, on the test square and on the real
// Kaiserslautern network.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "roads/ch.h"
#include "roads/ch_query.h"
#include "roads/dijkstra.h"
#include "roads/matrix.h"
#include "roads/snapping.h"
#include "square_fixture.h"

namespace cocity::roads {
namespace {

using testing::find_edge;

int64_t ms(double seconds) { return std::llround(seconds * 1000); }

class SquareRoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = testing::square_graph();
    ASSERT_TRUE(g) << g.error().detail;
    graph_ = std::move(*g);
    ch_ = contract(graph_);
    ASSERT_TRUE(validate(ch_, graph_));
    index_ = std::make_unique<SnapIndex>(graph_);
    p_ = *index_->snap(testing::kP);
    q_ = *index_->snap(testing::kQ);
    r_ = *index_->snap(testing::kR);
  }

  uint32_t duration(int64_t a, int64_t b) const {
    return graph_.duration_ms[find_edge(graph_, a, b)];
  }

  Graph graph_;
  ContractedGraph ch_;
  std::unique_ptr<SnapIndex> index_;
  Snap p_, q_, r_;
};

TEST_F(SquareRoutingTest, AlongTheOneWayIsDirect) {
  // Half the edge, up to rounding of the snapped fractions.
  double expected = 0.5 * duration(1, 2);
  auto d = dijkstra(graph_, p_, q_);
  ASSERT_TRUE(d);
  EXPECT_NEAR(d->duration_ms, expected, 1);
  ChRouter router(graph_, ch_);
  auto route = router.route(p_, q_);
  ASSERT_TRUE(route) << route.error().detail;
  EXPECT_EQ(ms(route->duration_s), static_cast<int64_t>(d->duration_ms));
  ASSERT_EQ(route->geometry.size(), 2u);
  EXPECT_NEAR(route->distance_m, graph_.distance_m[p_.edge] / 2, 0.01);
}

TEST_F(SquareRoutingTest, AgainstTheOneWayGoesAround) {
  // Q -> B, B -> C -> D -> A, A -> P.
  uint64_t expected = std::llround(0.25 * duration(1, 2)) + duration(2, 3) +
                      duration(3, 4) + duration(4, 1) +
                      std::llround(0.25 * duration(1, 2));
  auto d = dijkstra(graph_, q_, p_);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->duration_ms, expected);

  ChRouter router(graph_, ch_);
  auto route = router.route(q_, p_);
  ASSERT_TRUE(route);
  EXPECT_EQ(ms(route->duration_s), static_cast<int64_t>(expected));
  // Q', B, C, D, A, P'.
  ASSERT_EQ(route->geometry.size(), 6u);
  EXPECT_NEAR(route->geometry[1].lon, 7.762, 1e-9);
  EXPECT_NEAR(route->geometry[2].lat, 49.442, 1e-9);
  EXPECT_NEAR(route->geometry[4].lon, 7.760, 1e-9);
  EXPECT_NEAR(route->geometry[5].lon, 7.7605, 1e-9);

  auto m = duration_distance_matrix(graph_, ch_, std::vector{p_, q_},
                                    std::vector{p_, q_});
  ASSERT_TRUE(m);
  EXPECT_EQ(ms(m->duration(0, 0)), 0);
  EXPECT_NEAR(ms(m->duration(0, 1)), 0.5 * duration(1, 2), 1);
  EXPECT_EQ(ms(m->duration(1, 0)), static_cast<int64_t>(expected));
  EXPECT_NEAR(m->distance(1, 0), route->distance_m, 0.01);
}

TEST_F(SquareRoutingTest, UnreachablePointsAreMarked) {
  auto m = duration_distance_matrix(graph_, ch_, std::vector{p_, r_},
                                    std::vector{p_, r_});
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->reachable(0, 0));
  EXPECT_FALSE(m->reachable(0, 1));
  EXPECT_FALSE(m->reachable(1, 0));
  EXPECT_TRUE(m->reachable(1, 1));
  EXPECT_TRUE(std::isinf(m->distance(0, 1)));
  EXPECT_FALSE(dijkstra(graph_, p_, r_));

  ChRouter router(graph_, ch_);
  auto route = router.route(p_, r_);
  ASSERT_FALSE(route);
  EXPECT_EQ(route.error().code, Code::kNotFound);
}

TEST_F(SquareRoutingTest, EmptyAndLopsidedMatrices) {
  auto empty = duration_distance_matrix(graph_, ch_, {}, std::vector{p_},
                                        {.threads = 4});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->sources, 0u);
  EXPECT_TRUE(empty->duration_s.empty());
  auto one = duration_distance_matrix(graph_, ch_, std::vector{q_},
                                      std::vector{p_, q_, r_}, {.threads = 4});
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->reachable(0, 0));
  EXPECT_EQ(one->duration(0, 1), 0);
  EXPECT_FALSE(one->reachable(0, 2));
}

TEST_F(SquareRoutingTest, ForeignSnapsAreRejected) {
  Snap bogus = p_;
  bogus.edge = 12345;
  auto m = duration_distance_matrix(graph_, ch_, std::vector{bogus},
                                    std::vector{p_});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, Code::kInvalidRequest);
  Snap unset;
  ChRouter router(graph_, ch_);
  EXPECT_FALSE(router.route(unset, p_));
}

TEST_F(SquareRoutingTest, MatrixSizeLimit) {
  auto m = duration_distance_matrix(graph_, ch_, std::vector{p_, q_},
                                    std::vector{p_, q_}, {.max_cells = 3});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, Code::kPayloadTooLarge);
}

// The real network: the hierarchy must give exactly Dijkstra's durations.
class KaiserslauternTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string path = testing::shared_osm_file("kaiserslautern.osm.gz");
    if (path.empty()) return;
    auto g = build_graph_from_file(path);
    ASSERT_TRUE(g) << g.error().detail;
    graph_ = new Graph(std::move(*g));
    ch_ = new ContractedGraph(contract(*graph_));
    index_ = new SnapIndex(*graph_);
  }
  static void TearDownTestSuite() {
    delete index_;
    delete ch_;
    delete graph_;
    index_ = nullptr;
    ch_ = nullptr;
    graph_ = nullptr;
  }
  void SetUp() override {
    if (graph_ == nullptr) GTEST_SKIP() << "shared OSM data not found";
  }

  static std::vector<Snap> random_snaps(size_t count, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<size_t> node(0, graph_->node_count() - 1);
    std::uniform_real_distribution<double> jitter(-0.0005, 0.0005);
    std::vector<Snap> snaps;
    while (snaps.size() < count) {
      LatLon p = graph_->coords[node(rng)];
      auto s = index_->snap({p.lat + jitter(rng), p.lon + jitter(rng)});
      if (s) snaps.push_back(*s);
    }
    return snaps;
  }

  static Graph* graph_;
  static ContractedGraph* ch_;
  static SnapIndex* index_;
};
Graph* KaiserslauternTest::graph_ = nullptr;
ContractedGraph* KaiserslauternTest::ch_ = nullptr;
SnapIndex* KaiserslauternTest::index_ = nullptr;

TEST_F(KaiserslauternTest, GraphIsCityScale) {
  EXPECT_GT(graph_->node_count(), 10000u);
  EXPECT_TRUE(validate(*graph_));
  EXPECT_TRUE(validate(*ch_, *graph_));
}

TEST_F(KaiserslauternTest, NodeToNodeRoutesEqualDijkstra) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<NodeId> node(0, graph_->node_count() - 1);
  ChRouter router(*graph_, *ch_);
  std::vector<EdgeId> in_edge(graph_->node_count(), kNoId);
  for (EdgeId e = 0; e < graph_->edge_count(); ++e)
    in_edge[graph_->head[e]] = e;
  for (int i = 0; i < 200; ++i) {
    NodeId a = node(rng);
    NodeId b = node(rng);
    auto expected = dijkstra(*graph_, a, b);
    ASSERT_TRUE(expected);  // one strongly connected component
    // Positions exactly on the nodes: the end of an edge into a, the start
    // of an edge out of b.
    Snap from{graph_->coords[a], graph_->coords[a], in_edge[a], kNoId, 1, 0, 0};
    Snap to{graph_->coords[b],
            graph_->coords[b],
            graph_->begin_edge(b),
            kNoId,
            0,
            0,
            0};
    auto route = router.route(from, to);
    ASSERT_TRUE(route);
    EXPECT_EQ(ms(route->duration_s),
              static_cast<int64_t>(expected->duration_ms))
        << "pair " << a << " -> " << b;
  }
}

TEST_F(KaiserslauternTest, SnappedRoutesEqualDijkstraAndFollowEdges) {
  std::vector<Snap> a = random_snaps(150, 1);
  std::vector<Snap> b = random_snaps(150, 2);
  ChRouter router(*graph_, *ch_);
  for (size_t i = 0; i < a.size(); ++i) {
    auto expected = dijkstra(*graph_, a[i], b[i]);
    ASSERT_TRUE(expected);
    auto route = router.route(a[i], b[i]);
    ASSERT_TRUE(route);
    ASSERT_EQ(ms(route->duration_s),
              static_cast<int64_t>(expected->duration_ms));
    double length = 0;
    for (size_t k = 1; k < route->geometry.size(); ++k) {
      length += distance_m(route->geometry[k - 1], route->geometry[k]);
    }
    EXPECT_NEAR(length, route->distance_m, 0.01 * route->distance_m + 1);
  }
}

TEST_F(KaiserslauternTest, MatrixEqualsDijkstra) {
  std::vector<Snap> sources = random_snaps(25, 3);
  std::vector<Snap> targets = random_snaps(30, 4);
  targets[0] = sources[0];  // a zero diagonal cell
  for (size_t threads : {1, 2}) {
    auto m = duration_distance_matrix(*graph_, *ch_, sources, targets,
                                      {.threads = threads});
    ASSERT_TRUE(m);
    ASSERT_EQ(m->duration_s.size(), 25u * 30u);
    EXPECT_EQ(ms(m->duration(0, 0)), 0);
    for (size_t i = 0; i < sources.size(); ++i) {
      for (size_t j = 0; j < targets.size(); ++j) {
        auto d = dijkstra(*graph_, sources[i], targets[j]);
        ASSERT_TRUE(d);
        ASSERT_EQ(ms(m->duration(i, j)), static_cast<int64_t>(d->duration_ms))
            << i << " -> " << j;
        EXPECT_NEAR(m->distance(i, j), d->distance_m, 0.05 * d->distance_m + 1);
      }
    }
  }
}

}  // namespace
}  // namespace cocity::roads
