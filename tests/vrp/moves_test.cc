// Each move's gain must equal the change of the penalised cost after
// apply(), its bound must never be below its gain, and apply() must produce
// the documented job order.
#include <gtest/gtest.h>

#include <random>

#include "test_problems.h"
#include "vrp/optional_job.h"
#include "vrp/relocate.h"
#include "vrp/search_state.h"
#include "vrp/swap.h"
#include "vrp/two_opt.h"
#include "vrp/two_opt_star.h"

namespace cocity::vrp {
namespace {

using Routes = std::vector<std::vector<int>>;

class MovesTest : public ::testing::Test {
 protected:
  MovesTest()
      : problem_(testing::grid_problem(4, 3, 12)),
        in_(problem_, 10),
        state_(in_) {}

  void load(const Routes& routes) { state_.load(routes, {3.0, 2.0}); }

  double total() const {
    double c = 0;
    for (int r = 0; r < state_.num_routes(); ++r) c += state_.route(r).cost;
    return c;
  }

  template <typename Move>
  void expect_consistent(const Move& m) {
    ASSERT_TRUE(m.valid());
    const double before = total();
    const double gain = m.gain();
    if constexpr (requires { m.bound(); }) {
      EXPECT_GE(m.bound(), gain - 1e-6);
    }
    m.apply(&state_);
    EXPECT_NEAR(before - total(), gain, 1e-6);
  }

  Problem problem_;
  SolverInstance in_;
  SearchState state_;
};

const Routes kRoutes = {
    {0, 1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}, {11, 12, 13, 14, 15}};

TEST_F(MovesTest, RelocateBetweenRoutes) {
  load(kRoutes);
  expect_consistent(Relocate(state_, 0, 1, 2, 1, 3));
  EXPECT_EQ(state_.route(0).jobs, (std::vector<int>{0, 3, 4, 5}));
  EXPECT_EQ(state_.route(1).jobs, (std::vector<int>{6, 7, 8, 1, 2, 9, 10}));
  EXPECT_EQ(state_.route_of(1), 1);
  EXPECT_EQ(state_.position_of(2), 4);
}

TEST_F(MovesTest, RelocateWithinRouteBothDirections) {
  load(kRoutes);
  expect_consistent(Relocate(state_, 0, 1, 1, 0, 4));
  EXPECT_EQ(state_.route(0).jobs, (std::vector<int>{0, 2, 3, 1, 4, 5}));
  expect_consistent(Relocate(state_, 0, 4, 2, 0, 0));
  EXPECT_EQ(state_.route(0).jobs, (std::vector<int>{4, 5, 0, 2, 3, 1}));
}

TEST_F(MovesTest, RelocateNoOpIsInvalid) {
  load(kRoutes);
  EXPECT_FALSE(Relocate(state_, 0, 1, 1, 0, 1).valid());
  EXPECT_FALSE(Relocate(state_, 0, 1, 1, 0, 2).valid());
  EXPECT_FALSE(Relocate(state_, 0, 5, 2, 1, 0).valid());  // past the end
}

TEST_F(MovesTest, RelocateIntoEmptyRoute) {
  load({{0, 1, 2}, {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {}});
  expect_consistent(Relocate(state_, 0, 0, 1, 2, 0));
  EXPECT_EQ(state_.route(2).jobs, (std::vector<int>{0}));
}

TEST_F(MovesTest, SwapBetweenAndWithinRoutes) {
  load(kRoutes);
  expect_consistent(Swap(state_, 0, 0, 2, 2, 3, 1));
  EXPECT_EQ(state_.route(0).jobs, (std::vector<int>{14, 2, 3, 4, 5}));
  EXPECT_EQ(state_.route(2).jobs, (std::vector<int>{11, 12, 13, 0, 1, 15}));
  expect_consistent(Swap(state_, 1, 4, 1, 1, 0, 2));
  EXPECT_EQ(state_.route(1).jobs, (std::vector<int>{10, 8, 9, 6, 7}));
  EXPECT_FALSE(Swap(state_, 1, 0, 2, 1, 1, 1).valid());  // overlap
}

TEST_F(MovesTest, TwoOptStarExchangesTails) {
  load(kRoutes);
  expect_consistent(TwoOptStar(state_, 0, 2, 1, 4));
  EXPECT_EQ(state_.route(0).jobs, (std::vector<int>{0, 1, 10}));
  EXPECT_EQ(state_.route(1).jobs, (std::vector<int>{6, 7, 8, 9, 2, 3, 4, 5}));
  EXPECT_FALSE(TwoOptStar(state_, 0, 0, 1, 0).valid());
}

TEST_F(MovesTest, TwoOptReversesASegment) {
  load(kRoutes);
  expect_consistent(TwoOpt(state_, 2, 1, 3));
  EXPECT_EQ(state_.route(2).jobs, (std::vector<int>{11, 14, 13, 12, 15}));
  EXPECT_FALSE(TwoOpt(state_, 2, 3, 3).valid());
}

TEST_F(MovesTest, OptionalJobInsertAndRemove) {
  problem_.jobs[5].mandatory = false;
  problem_.jobs[5].prize = 1000;
  SolverInstance in(problem_, 10);
  SearchState s(in);
  s.load({{0, 1, 2, 3, 4}, {6, 7, 8, 9, 10}, {11, 12, 13, 14, 15}}, {3, 2});
  EXPECT_EQ(s.route_of(5), SearchState::kUnassigned);
  InsertJob insert(s, 5, 0, 5);
  ASSERT_TRUE(insert.valid());
  const double before = s.route(0).cost;
  const double gain = insert.gain();
  insert.apply(&s);
  EXPECT_NEAR(1000 - (s.route(0).cost - before), gain, 1e-6);
  RemoveJob remove(s, 5);
  ASSERT_TRUE(remove.valid());
  EXPECT_NEAR(remove.gain(), -gain, 1e-6);
  remove.apply(&s);
  EXPECT_EQ(s.route_of(5), SearchState::kUnassigned);
  EXPECT_FALSE(RemoveJob(s, 4).valid());  // mandatory
}

// Random moves on random routes: gains always match recomputed costs.
TEST_F(MovesTest, RandomMovesStayConsistent) {
  std::mt19937 rng(7);
  load(kRoutes);
  int applied = 0;
  for (int k = 0; k < 400; ++k) {
    auto pick_route = [&] { return static_cast<int>(rng() % 3); };
    const int a = pick_route(), b = pick_route();
    const int na = state_.route(a).size() + 1, nb = state_.route(b).size() + 1;
    const int i = rng() % na, j = rng() % nb, len = 1 + rng() % 2;
    switch (k % 4) {
      case 0: {
        Relocate m(state_, a, i, len, b, j);
        if (m.valid()) {
          expect_consistent(m);
          ++applied;
        }
        break;
      }
      case 1: {
        Swap m(state_, a, i, len, b, j, 1 + rng() % 2);
        if (m.valid()) {
          expect_consistent(m);
          ++applied;
        }
        break;
      }
      case 2: {
        TwoOptStar m(state_, a, i, b, j);
        if (m.valid()) {
          expect_consistent(m);
          ++applied;
        }
        break;
      }
      default: {
        TwoOpt m(state_, a, i, i + 1 + len);
        if (m.valid()) {
          expect_consistent(m);
          ++applied;
        }
      }
    }
  }
  EXPECT_GT(applied, 100);
  int jobs = 0;
  for (int r = 0; r < 3; ++r) jobs += state_.route(r).size();
  EXPECT_EQ(jobs, 16);
}

}  // namespace
}  // namespace cocity::vrp
