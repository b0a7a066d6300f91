#include "vrp/feasibility.h"

#include <gtest/gtest.h>

#include "test_problems.h"

namespace cocity::vrp {
namespace {

Stop job(int i) { return {Stop::Kind::kJob, i}; }
Stop dump(int i) { return {Stop::Kind::kDisposal, i}; }

Solution one_route(std::vector<Stop> stops, int64_t start = 0) {
  Solution s;
  s.routes.push_back({0, 0, start, std::move(stops)});
  return s;
}

TEST(Feasibility, AcceptsValidPlanAndRecomputesCost) {
  Problem p = testing::line_problem(3, 1, 10);
  auto f = check_solution(p, one_route({job(0), job(1), job(2)}));
  ASSERT_TRUE(f.has_value()) << f.error().detail;
  EXPECT_EQ(f->distance, 60);  // 0 -> 30 and back
  EXPECT_DOUBLE_EQ(f->cost, 60);
  EXPECT_EQ(f->vehicles, 1);
  EXPECT_EQ(f->duration, 60);
}

TEST(Feasibility, RejectsCapacityExcess) {
  Problem p = testing::line_problem(3, 1, 2);
  auto f = check_solution(p, one_route({job(0), job(1), job(2)}));
  ASSERT_FALSE(f.has_value());
  EXPECT_NE(f.error().detail.find("exceeds capacity 2"), std::string::npos)
      << f.error().detail;
}

TEST(Feasibility, RejectsLateService) {
  Problem p = testing::line_problem(2, 1, 10);
  p.jobs[1].window = {0, 15};  // at x=20, reached at 20 at the earliest
  auto f = check_solution(p, one_route({job(0), job(1)}));
  ASSERT_FALSE(f.has_value());
  EXPECT_NE(f.error().detail.find("job 2 starts at 20"), std::string::npos)
      << f.error().detail;
}

TEST(Feasibility, WaitsForWindowOpening) {
  Problem p = testing::line_problem(1, 1, 10);
  p.jobs[0].window = {50, 60};
  auto f = check_solution(p, one_route({job(0)}));
  ASSERT_TRUE(f.has_value()) << f.error().detail;
  EXPECT_EQ(f->duration, 60);  // wait 40 at the job, 10 back
}

TEST(Feasibility, RejectsShiftEndAndMaxDuration) {
  Problem p = testing::line_problem(2, 1, 10);
  p.vehicle_types[0].shift = {0, 30};
  auto late = check_solution(p, one_route({job(0), job(1)}));
  ASSERT_FALSE(late.has_value());
  EXPECT_NE(late.error().detail.find("after the shift ends"),
            std::string::npos);
  p.vehicle_types[0].shift = {};
  p.vehicle_types[0].max_duration = 30;
  auto longer = check_solution(p, one_route({job(0), job(1)}));
  ASSERT_FALSE(longer.has_value());
  EXPECT_NE(longer.error().detail.find("longer than the maximum"),
            std::string::npos);
}

TEST(Feasibility, RejectsDuplicateAndMissingJobs) {
  Problem p = testing::line_problem(2, 1, 10);
  auto twice = check_solution(p, one_route({job(0), job(0), job(1)}));
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().detail.find("served 2 times"), std::string::npos);
  auto missing = check_solution(p, one_route({job(0)}));
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().detail.find("mandatory but unserved"),
            std::string::npos);
}

TEST(Feasibility, OptionalJobCostsItsPrizeWhenUnserved) {
  Problem p = testing::line_problem(2, 1, 10);
  p.jobs[1].mandatory = false;
  p.jobs[1].prize = 7;
  auto f = check_solution(p, one_route({job(0)}));
  ASSERT_TRUE(f.has_value()) << f.error().detail;
  EXPECT_DOUBLE_EQ(f->cost, 20 + 7);
}

TEST(Feasibility, DisposalVisitEmptiesTheVehicle) {
  Problem p = testing::line_problem(4, 1, 2);
  p.disposal_sites.push_back({0, {}, 5});  // at the depot
  auto ok = check_solution(
      p, one_route({job(0), job(1), dump(0), job(2), job(3), dump(0)}));
  ASSERT_TRUE(ok.has_value()) << ok.error().detail;
  EXPECT_EQ(ok->distance, 40 + 80);
  auto loaded = check_solution(p, one_route({job(0), job(1), dump(0), job(2)}));
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().detail.find("returns loaded"), std::string::npos);
}

TEST(Feasibility, RejectsFleetViolations) {
  Problem p = testing::line_problem(2, 1, 10);
  Solution s;
  s.routes.push_back({0, 0, 0, {job(0)}});
  s.routes.push_back({0, 0, 0, {job(1)}});
  auto twice = check_solution(p, s);
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().detail.find("two routes"), std::string::npos);
  s.routes[1].vehicle = 1;  // the type has only one vehicle
  EXPECT_FALSE(check_solution(p, s).has_value());
  s.routes[1].vehicle_type = 3;
  EXPECT_FALSE(check_solution(p, s).has_value());
}

TEST(Feasibility, RejectsUnknownIndices) {
  Problem p = testing::line_problem(2, 1, 10);
  EXPECT_FALSE(check_solution(p, one_route({job(5)})).has_value());
  EXPECT_FALSE(check_solution(p, one_route({dump(0)})).has_value());
}

}  // namespace
}  // namespace cocity::vrp
