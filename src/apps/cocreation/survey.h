// A survey's questions and respondent attributes: the model, parsed from
// and written to JSON.
//
// Question JSON: {"id": "q1", "type": T, "text": "...", "required": bool,
// ...}, with T one of
//   "likert"           answer 1..5 or "dont_know"
//   "idea_rating"      "ideas": [idea ids], "criteria": subset of
//                      benefit, urgency, feasibility, cost (default all);
//                      answer {"<idea>": {"<criterion>": 1..5|"dont_know"}}
//   "ranking"          "options": [ids]; answer: every option once, best first
//   "budget"           "options": [ids], "points" (default 100); answer
//                      {"<option>": points >= 0} summing to "points"
//   "single_choice"    "options"; answer: one option
//   "multiple_choice"  "options", optional "max_choices"; answer: distinct
//                      options
//   "free_text"        optional "max_length" (default 2000, at most 10000)
// Ids: 1-64 characters of [A-Za-z0-9_-], unique within the survey.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace cocity::apps::cocreation {

enum class QuestionType {
  kLikert,
  kIdeaRating,
  kRanking,
  kBudget,
  kSingleChoice,
  kMultipleChoice,
  kFreeText,
};

inline constexpr std::string_view kCriteria[] = {"benefit", "urgency",
                                                 "feasibility", "cost"};

struct Question {
  std::string id;
  QuestionType type = QuestionType::kLikert;
  std::string text;
  bool required = false;
  std::vector<std::string> options;   // ranking, budget, choices
  std::vector<std::string> ideas;     // idea_rating
  std::vector<std::string> criteria;  // idea_rating
  int64_t points = 100;               // budget
  size_t max_choices = 0;             // multiple_choice; 0: no limit
  size_t max_length = 2000;           // free_text
};

// Parses and checks a "questions" array. kBadRequestData naming the
// offending element ("questions[2].options: ...") on error. An empty array
// is an error. At most 200 questions.
Result<std::vector<Question>> parse_questions(const json::value& v);
json::array questions_to_json(const std::vector<Question>& questions);

std::string_view question_type_name(QuestionType type);

// Whether `id` is 1-64 characters of [A-Za-z0-9_-].
bool valid_item_id(std::string_view id);

// Respondent attributes, asked once per response. Values are fixed lists so
// that segments are comparable: state is an ISO 3166-2 code of a German
// state ("DE-BY"), size_class one of kSizeClasses, role one of
// kRespondentRoles.
inline constexpr std::string_view kStates[] = {
    "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
    "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH"};
inline constexpr std::string_view kSizeClasses[] = {
    "under_5k", "5k_20k", "20k_100k", "100k_500k", "over_500k"};
inline constexpr std::string_view kRespondentRoles[] = {
    "mayor", "council", "administration", "it", "citizen", "other"};
inline constexpr std::string_view kAttributeNames[] = {"state", "size_class",
                                                       "role"};

}  // namespace cocity::apps::cocreation
