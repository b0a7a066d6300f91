#include "vrp/solver.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "test_problems.h"
#include "vrp/feasibility.h"
#include "vrp/instance_reader.h"
#include "vrp/solution_json.h"

namespace cocity::vrp {
namespace {

SolverOptions quick(int64_t iterations = 300) {
  SolverOptions o;
  o.time_limit_s = 30;  // the iteration limit ends the run
  o.max_iterations = iterations;
  o.threads = 1;
  return o;
}

TEST(Solver, SolvesLineOptimally) {
  Problem p = testing::line_problem(6, 3, 3);
  auto s = solve(p, quick());
  ASSERT_TRUE(s.has_value()) << s.error().detail;
  // Two trips 0-30-0 and 0-60-0 are optimal: 60 + 120.
  EXPECT_DOUBLE_EQ(s->cost, 180);
  EXPECT_EQ(s->routes.size(), 2u);
  EXPECT_TRUE(check_solution(p, *s).has_value());
}

TEST(Solver, IsDeterministicForSeedAndIterations) {
  Problem p = testing::grid_problem(5, 6, 10);
  auto a = solve(p, quick(200));
  auto b = solve(p, quick(200));
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_DOUBLE_EQ(a->cost, b->cost);
  ASSERT_EQ(a->routes.size(), b->routes.size());
  for (size_t r = 0; r < a->routes.size(); ++r) {
    EXPECT_EQ(a->routes[r].stops.size(), b->routes[r].stops.size());
  }
}

TEST(Solver, RespectsWindowsWithTwoThreads) {
  Problem p = testing::grid_problem(5, 6, 10);
  SolverOptions o = quick(200);
  o.threads = 2;
  auto s = solve(p, o);
  ASSERT_TRUE(s.has_value()) << s.error().detail;
  EXPECT_TRUE(check_solution(p, *s).has_value());
}

TEST(Solver, SkipsOptionalJobsWhosePrizeIsTooSmall) {
  Problem p = testing::line_problem(3, 1, 10);
  p.jobs[2].mandatory = false;
  p.jobs[2].prize = 5;  // serving x=30 costs 20 more than stopping at 20
  p.jobs.push_back(p.jobs[2]);
  p.jobs.back().number = 4;
  p.jobs.back().location = 1;
  p.jobs.back().prize = 1;  // on the way: free to serve
  auto s = solve(p, quick());
  ASSERT_TRUE(s.has_value()) << s.error().detail;
  EXPECT_EQ(s->unassigned, (std::vector<int>{2}));
  EXPECT_DOUBLE_EQ(s->cost, 40 + 5);
}

TEST(Solver, ServesNoneWhenNoOptionalJobFits) {
  // Every job is optional and none can be reached within the truck's
  // maximum duration: the feasible plan serves none (not an error).
  Problem p = testing::line_problem(4, 1, 10);
  for (auto& job : p.jobs) {
    job.mandatory = false;
    job.prize = 1000;
  }
  p.vehicle_types[0].max_duration = 5;  // the nearest job is 10 away
  SolverOptions o = quick(50);
  o.time_limit_s = 0.5;
  auto s = solve(p, o);
  ASSERT_TRUE(s.has_value()) << s.error().detail;
  EXPECT_EQ(s->unassigned.size(), 4u);
  EXPECT_TRUE(check_solution(p, *s).has_value());
}

TEST(Solver, UnloadsAtDisposalSites) {
  Problem p = testing::line_problem(4, 1, 2);
  p.disposal_sites.push_back({0, {}, 0});
  auto s = solve(p, quick());
  ASSERT_TRUE(s.has_value()) << s.error().detail;
  ASSERT_EQ(s->routes.size(), 1u);
  int visits = 0;
  for (const Stop& stop : s->routes[0].stops) {
    visits += stop.kind == Stop::Kind::kDisposal;
  }
  EXPECT_EQ(visits, 2);
  EXPECT_DOUBLE_EQ(s->cost, 40 + 80);
}

TEST(Solver, UsesDepotsOfAHeterogeneousFleet) {
  Problem p = testing::line_problem(4, 1, 2);
  VehicleType far = p.vehicle_types[0];
  far.id = "far";
  far.start_location = far.end_location = 4;
  far.capacity = 2;
  p.vehicle_types.push_back(far);
  auto s = solve(p, quick());
  ASSERT_TRUE(s.has_value()) << s.error().detail;
  EXPECT_EQ(s->routes.size(), 2u);
  EXPECT_DOUBLE_EQ(s->cost, 40 + 20);  // 0-10-20-0 and 40-30-40(-40)
}

TEST(Solver, ReportsImpossibleProblems) {
  Problem p = testing::line_problem(2, 1, 10);
  p.jobs[1].window = {0, 5};  // unreachable in time
  auto s = solve(p, quick(50));
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().detail.find("no feasible plan"), std::string::npos);
}

TEST(Solver, JsonOutputListsJobNumbers) {
  Problem p = testing::line_problem(2, 1, 10);
  auto s = solve(p, quick());
  ASSERT_TRUE(s.has_value());
  json::object o = solution_to_json(p, *s, 0.5);
  EXPECT_DOUBLE_EQ(o["cost"].as_double(), 40);
  EXPECT_EQ(o["vehicles"].as_int64(), 1);
  const json::array& route = o["routes"].as_array()[0].as_array();
  ASSERT_EQ(route.size(), 2u);
  EXPECT_EQ(route[0].as_int64() + route[1].as_int64(), 3);
}

TEST(Solver, SolomonC101NearBestKnown) {
  const char* root = std::getenv("COCITY_SOURCE_DIR");
  if (!root) GTEST_SKIP() << "COCITY_SOURCE_DIR not set";
  const std::string file =
      std::string(root) + "/../shared/data/vrp/solomon/C101.txt";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "no data";
  auto p = read_problem_file(file);
  ASSERT_TRUE(p.has_value());
  auto s = solve(*p, quick(100));
  ASSERT_TRUE(s.has_value()) << s.error().detail;
  EXPECT_TRUE(check_solution(*p, *s).has_value());
  EXPECT_LT(s->cost / p->cost_scale, 828.94 * 1.05);
}

}  // namespace
}  // namespace cocity::vrp
