#include "apps/cocreation/results.h"

#include <gtest/gtest.h>

namespace cocity::apps::cocreation {
namespace {

std::vector<Question> questions() {
  auto v = parse_json(R"([
    {"id": "r", "type": "idea_rating", "text": "Rate", "ideas": ["a", "b"],
     "criteria": ["benefit"]},
    {"id": "k", "type": "ranking", "text": "Rank", "options": ["x", "y"]},
    {"id": "b", "type": "budget", "text": "Spend", "options": ["x", "y"]},
    {"id": "f", "type": "free_text", "text": "Say"}
  ])");
  return *parse_questions(*v);
}

ParsedResponse response(const char* state, int a, int b) {
  ParsedResponse r;
  r.attributes = {
      {"state", state}, {"size_class", "5k_20k"}, {"role", "mayor"}};
  json::object ratings;
  ratings["a"] = json::object{{"benefit", a}};
  if (b > 0) ratings["b"] = json::object{{"benefit", b}};
  if (b == 0) ratings["b"] = json::object{{"benefit", "dont_know"}};
  r.answers = {{"r", ratings},
               {"k", json::array{"y", "x"}},
               {"b", json::object{{"x", 30}, {"y", 70}}},
               {"f", "Mehr Radwege"}};
  return r;
}

const json::value& at(const json::value& v,
                      std::initializer_list<std::string_view> path) {
  const json::value* p = &v;
  for (auto key : path) p = &p->get_object().at(key);
  return *p;
}

TEST(ResultsTest, StatisticsRankingsAndSuppressedSegments) {
  std::vector<ParsedResponse> rs;
  // Six respondents in Bavaria rate a high and b low; two in Hesse.
  for (int i = 0; i < 6; ++i) rs.push_back(response("DE-BY", 5, 1));
  rs.push_back(response("DE-HE", 4, 2));
  rs.push_back(response("DE-HE", 4, 0));
  json::value doc = compute_results(questions(), rs);
  EXPECT_EQ(at(doc, {"respondents"}).to_number<int64_t>(), 8);
  const json::value& a =
      at(doc, {"questions", "r", "results", "ideas", "a", "benefit"});
  EXPECT_EQ(at(a, {"n"}).to_number<int64_t>(), 8);
  EXPECT_DOUBLE_EQ(at(a, {"mean"}).as_double(), 4.75);  // (30 + 8) / 8
  EXPECT_DOUBLE_EQ(at(a, {"median"}).as_double(), 5.0);
  EXPECT_EQ(at(a, {"distribution"}), (json::array{0, 0, 0, 2, 6}));
  const json::value& b =
      at(doc, {"questions", "r", "results", "ideas", "b", "benefit"});
  EXPECT_EQ(at(b, {"n"}).to_number<int64_t>(), 7);
  EXPECT_EQ(at(b, {"dont_know"}).to_number<int64_t>(), 1);
  const json::array& ranking =
      at(doc, {"questions", "r", "results", "rankings", "benefit"}).as_array();
  EXPECT_EQ(at(ranking[0], {"idea"}), "a");
  EXPECT_EQ(at(ranking[0], {"rank_high"}).to_number<int64_t>(), 1);
  EXPECT_TRUE(at(ranking[0], {"tied_with"}).as_array().empty());

  const json::value& k = at(doc, {"questions", "k", "results", "options"});
  EXPECT_DOUBLE_EQ(at(k, {"y", "mean_position"}).as_double(), 1.0);
  const json::value& budget = at(doc, {"questions", "b", "results", "options"});
  EXPECT_DOUBLE_EQ(at(budget, {"y", "mean_points"}).as_double(), 70.0);
  EXPECT_EQ(
      at(doc, {"questions", "f", "results", "answered"}).to_number<int64_t>(),
      8);

  // Hesse has 2 respondents: suppressed, and its name does not appear.
  const json::value& states = at(doc, {"segments", "state"});
  EXPECT_EQ(at(states, {"suppressed"}).to_number<int64_t>(), 1);
  ASSERT_EQ(at(states, {"segments"}).as_array().size(), 1u);
  EXPECT_EQ(at(states, {"segments"}).as_array()[0].at("value"), "DE-BY");
  EXPECT_EQ(to_json(at(doc, {"segments"})).find("DE-HE"), std::string::npos);
  EXPECT_EQ(to_json(doc).find("Radwege"), std::string::npos);

  std::string csv = results_to_csv(doc.as_object());
  EXPECT_TRUE(csv.starts_with("question,idea,criterion,segment,value,n,"));
  // By hand: s^2 = (6 * 0.25^2 + 2 * 0.75^2) / 7, half width
  // t(7) = 2.365 * s / sqrt(8) = 0.38706: (4.3629, 5.1371), clipped to the
  // scale's 5.
  EXPECT_NE(csv.find("r,a,benefit,all,,8,0,4.75,5.0,4.3629,5.0,1,1,1"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("r,a,benefit,state,DE-BY,6,0,5.0,5.0,"), std::string::npos)
      << csv;
}

TEST(ResultsTest, EmptySurvey) {
  json::value doc = compute_results(questions(), {});
  EXPECT_EQ(at(doc, {"respondents"}).to_number<int64_t>(), 0);
  EXPECT_TRUE(
      at(doc, {"questions", "r", "results", "ideas", "a", "benefit", "mean"})
          .is_null());
}

}  // namespace
}  // namespace cocity::apps::cocreation
