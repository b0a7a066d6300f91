#include "vrp/split.h"

#include <gtest/gtest.h>

#include "test_problems.h"

namespace cocity::vrp {
namespace {

TEST(Split, CutsAGiantTourAtCapacity) {
  Problem p = testing::line_problem(6, 3, 2);
  SolverInstance in(p, 5);
  auto routes = split_tour(in, {0, 1, 2, 3, 4, 5}, {1000, 1000});
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0], (std::vector<int>{0, 1}));
  EXPECT_EQ(routes[1], (std::vector<int>{2, 3}));
  EXPECT_EQ(routes[2], (std::vector<int>{4, 5}));
}

TEST(Split, KeepsOneRouteWhenThatIsCheapest) {
  Problem p = testing::line_problem(4, 4, 10);
  SolverInstance in(p, 5);
  auto routes = split_tour(in, {0, 1, 2, 3}, {1000, 1000});
  EXPECT_EQ(routes[0], (std::vector<int>{0, 1, 2, 3}));
  EXPECT_TRUE(routes[1].empty());
}

TEST(Split, OverflowsIntoLastRouteWhenFleetRunsOut) {
  Problem p = testing::line_problem(6, 2, 2);
  SolverInstance in(p, 5);
  auto routes = split_tour(in, {0, 1, 2, 3, 4, 5}, {1000, 1000});
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].size() + routes[1].size(), 6u);
}

TEST(Split, PicksTheCheaperVehicleType) {
  Problem p = testing::line_problem(2, 1, 10);
  VehicleType expensive = p.vehicle_types[0];
  expensive.cost_per_distance = 5;
  p.vehicle_types.insert(p.vehicle_types.begin(), expensive);
  SolverInstance in(p, 5);
  ASSERT_EQ(in.num_slots(), 2);
  auto routes = split_tour(in, {0, 1}, {1000, 1000});
  EXPECT_TRUE(routes[0].empty());
  EXPECT_EQ(routes[1], (std::vector<int>{0, 1}));
}

}  // namespace
}  // namespace cocity::vrp
