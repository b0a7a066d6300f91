#include "apps/cocreation/answer_validation.h"

#include <gtest/gtest.h>

namespace cocity::apps::cocreation {
namespace {

std::vector<Question> questions() {
  auto v = parse_json(R"([
    {"id": "l", "type": "likert", "text": "Agree?", "required": true},
    {"id": "r", "type": "idea_rating", "text": "Rate", "ideas": ["a", "b"],
     "criteria": ["benefit", "cost"]},
    {"id": "k", "type": "ranking", "text": "Rank", "options": ["x", "y", "z"]},
    {"id": "b", "type": "budget", "text": "Spend", "options": ["x", "y"]},
    {"id": "s", "type": "single_choice", "text": "One", "options": ["x", "y"]},
    {"id": "m", "type": "multiple_choice", "text": "Some",
     "options": ["x", "y", "z"], "max_choices": 2},
    {"id": "f", "type": "free_text", "text": "Say", "max_length": 5}
  ])");
  auto q = parse_questions(*v);
  EXPECT_TRUE(q) << q.error().detail;
  return *q;
}

Status check(std::string_view answers,
             Strictness strictness = Strictness::kSubmission) {
  auto v = parse_json(answers);
  EXPECT_TRUE(v);
  return validate_answers(questions(), *v, strictness);
}

TEST(AnswerValidationTest, AcceptsACompleteResponse) {
  auto s = check(R"({"l": 4, "r": {"a": {"benefit": 5, "cost": "dont_know"}},
      "k": ["z", "x", "y"], "b": {"x": 60, "y": 40}, "s": "y",
      "m": ["x", "z"], "f": "gut"})");
  EXPECT_TRUE(s) << s.error().detail;
}

TEST(AnswerValidationTest, NamesTheQuestionThatIsWrong) {
  struct Case {
    const char* answers;
    const char* expected;
  };
  for (const Case& c : {
           Case{R"({"l": 6})", "answers.l: must be 1-5"},
           Case{R"({"l": "3"})", "answers.l: must be 1-5"},
           Case{R"({"l": 3, "r": {"c": {"benefit": 1}}})",
                "answers.r: 'c' is not an idea"},
           Case{R"({"l": 3, "r": {"a": {"speed": 1}}})",
                "answers.r: 'speed' is not a criterion"},
           Case{R"({"l": 3, "k": ["x", "y"]})", "answers.k: must rank every"},
           Case{R"({"l": 3, "k": ["x", "x", "y"]})", "answers.k: 'x' appears"},
           Case{R"({"l": 3, "b": {"x": 60, "y": 30}})",
                "answers.b: points must add up to 100 (got 90)"},
           Case{R"({"l": 3, "b": {"x": -1}})", "answers.b: points for 'x'"},
           Case{R"({"l": 3, "s": "q"})", "answers.s: must be one of"},
           Case{R"({"l": 3, "m": ["x", "y", "z"]})", "answers.m: at most 2"},
           Case{R"({"l": 3, "f": "zu lang"})", "answers.f: longer than 5"},
           Case{R"({"l": 3, "nope": 1})", "answers.nope: no such question"},
           Case{R"({"r": {}})", "answers.l: an answer is required"},
       }) {
    auto s = check(c.answers);
    ASSERT_FALSE(s) << c.answers;
    EXPECT_EQ(s.error().code, Code::kBadRequestData);
    EXPECT_NE(s.error().detail.find(c.expected), std::string::npos)
        << c.answers << " -> " << s.error().detail;
  }
}

TEST(AnswerValidationTest, DraftsMayBeIncompleteButNotMalformed) {
  EXPECT_TRUE(check(R"({"k": ["y"], "b": {"x": 10}})", Strictness::kDraft));
  EXPECT_FALSE(check(R"({"b": {"x": 101}})", Strictness::kDraft));
  EXPECT_FALSE(check(R"({"l": 0})", Strictness::kDraft));
  EXPECT_FALSE(check(R"([1])", Strictness::kDraft));
}

TEST(AnswerValidationTest, Attributes) {
  auto full = parse_json(
      R"({"state": "DE-BY", "size_class": "5k_20k", "role": "mayor"})");
  EXPECT_TRUE(validate_attributes(*full, Strictness::kSubmission));
  auto partial = parse_json(R"({"state": "DE-BY"})");
  EXPECT_TRUE(validate_attributes(*partial, Strictness::kDraft));
  auto missing = validate_attributes(*partial, Strictness::kSubmission);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find("attributes.size_class"),
            std::string::npos);
  auto wrong = parse_json(R"({"state": "Bayern"})");
  EXPECT_FALSE(validate_attributes(*wrong, Strictness::kDraft));
  auto unknown = parse_json(R"({"age": "40"})");
  EXPECT_FALSE(validate_attributes(*unknown, Strictness::kDraft));
}

TEST(QuestionParsingTest, RejectsBadQuestions) {
  for (
      const char* text : {
          R"([])",
          R"([{"id": "a", "type": "poll", "text": "x"}])",
          R"([{"id": "a b", "type": "likert", "text": "x"}])",
          R"([{"id": "a", "type": "likert"}])",
          R"([{"id": "a", "type": "ranking", "text": "x"}])",
          R"([{"id": "a", "type": "ranking", "text": "x", "options": ["p", "p"]}])",
          R"([{"id": "a", "type": "idea_rating", "text": "x", "ideas": ["i"],
               "criteria": ["beauty"]}])",
          R"([{"id": "a", "type": "likert", "text": "x"},
               {"id": "a", "type": "likert", "text": "y"}])",
      }) {
    auto v = parse_json(text);
    ASSERT_TRUE(v) << text;
    auto q = parse_questions(*v);
    EXPECT_FALSE(q) << text;
    if (!q) {
      EXPECT_EQ(q.error().code, Code::kBadRequestData);
    }
  }
}

}  // namespace
}  // namespace cocity::apps::cocreation
