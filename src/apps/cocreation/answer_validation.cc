#include "apps/cocreation/answer_validation.h"

#include <algorithm>
#include <set>
#include <string>

namespace cocity::apps::cocreation {

namespace {

std::unexpected<Error> bad(const Question& q, const std::string& what) {
  Error e{Code::kBadRequestData, "answers." + q.id + ": " + what, {}};
  e.title = "Invalid answer to question '" + q.id + "'";
  return std::unexpected(std::move(e));
}

bool is_rating(const json::value& v) {
  if (v.is_string()) return v.get_string() == "dont_know";
  return v.is_int64() && v.get_int64() >= 1 && v.get_int64() <= 5;
}

bool contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

Status check_idea_rating(const Question& q, const json::value& a) {
  if (!a.is_object()) return bad(q, "must be an object keyed by idea id");
  for (const auto& [idea, ratings] : a.get_object()) {
    if (!contains(q.ideas, idea)) {
      return bad(q, "'" + std::string(idea) +
                        "' is not an idea of this "
                        "question");
    }
    if (!ratings.is_object()) {
      return bad(q, "'" + std::string(idea) +
                        "' must map criteria to "
                        "ratings");
    }
    for (const auto& [criterion, r] : ratings.get_object()) {
      if (!contains(q.criteria, criterion)) {
        return bad(q, "'" + std::string(criterion) +
                          "' is not a criterion of this question");
      }
      if (!is_rating(r)) {
        return bad(q, "'" + std::string(idea) + "." + std::string(criterion) +
                          "' must be 1-5 or \"dont_know\"");
      }
    }
  }
  return ok();
}

// Distinct option ids from an array; errors name the rule.
Status option_array(const Question& q, const json::value& a,
                    std::set<std::string, std::less<>>* seen) {
  if (!a.is_array()) return bad(q, "must be an array of option ids");
  for (const auto& e : a.get_array()) {
    if (!e.is_string() || !contains(q.options, e.get_string())) {
      return bad(q, "each entry must be one of the question's options");
    }
    if (!seen->emplace(e.get_string()).second) {
      return bad(q, "'" + std::string(e.get_string()) + "' appears twice");
    }
  }
  return ok();
}

Status check_ranking(const Question& q, const json::value& a,
                     Strictness strictness) {
  std::set<std::string, std::less<>> seen;
  if (auto s = option_array(q, a, &seen); !s) return s;
  if (strictness == Strictness::kSubmission &&
      seen.size() != q.options.size()) {
    return bad(q, "must rank every option exactly once (" +
                      std::to_string(q.options.size()) + " options)");
  }
  return ok();
}

Status check_budget(const Question& q, const json::value& a,
                    Strictness strictness) {
  if (!a.is_object()) return bad(q, "must be an object of option: points");
  int64_t total = 0;
  for (const auto& [option, points] : a.get_object()) {
    if (!contains(q.options, option)) {
      return bad(q, "'" + std::string(option) + "' is not an option");
    }
    if (!points.is_int64() || points.get_int64() < 0 ||
        points.get_int64() > q.points) {
      return bad(q, "points for '" + std::string(option) +
                        "' must be an integer from 0 to " +
                        std::to_string(q.points));
    }
    total += points.get_int64();
  }
  if (total > q.points ||
      (strictness == Strictness::kSubmission && total != q.points)) {
    return bad(q, "points must add up to " + std::to_string(q.points) +
                      " (got " + std::to_string(total) + ")");
  }
  return ok();
}

Status check_answer(const Question& q, const json::value& a,
                    Strictness strictness) {
  switch (q.type) {
    case QuestionType::kLikert:
      if (!is_rating(a)) return bad(q, "must be 1-5 or \"dont_know\"");
      return ok();
    case QuestionType::kIdeaRating:
      return check_idea_rating(q, a);
    case QuestionType::kRanking:
      return check_ranking(q, a, strictness);
    case QuestionType::kBudget:
      return check_budget(q, a, strictness);
    case QuestionType::kSingleChoice:
      if (!a.is_string() || !contains(q.options, a.get_string())) {
        return bad(q, "must be one of the question's options");
      }
      return ok();
    case QuestionType::kMultipleChoice: {
      std::set<std::string, std::less<>> seen;
      if (auto s = option_array(q, a, &seen); !s) return s;
      if (q.max_choices > 0 && seen.size() > q.max_choices) {
        return bad(q, "at most " + std::to_string(q.max_choices) + " choices");
      }
      return ok();
    }
    case QuestionType::kFreeText:
      if (!a.is_string()) return bad(q, "must be a string");
      if (a.get_string().size() > q.max_length) {
        return bad(
            q, "longer than " + std::to_string(q.max_length) + " characters");
      }
      return ok();
  }
  return ok();
}

bool is_empty_answer(const json::value& a) {
  return (a.is_object() && a.get_object().empty()) ||
         (a.is_array() && a.get_array().empty()) ||
         (a.is_string() && a.get_string().empty());
}

template <size_t N>
bool in_list(const std::string_view (&list)[N], std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

}  // namespace

Status validate_answers(const std::vector<Question>& questions,
                        const json::value& answers, Strictness strictness) {
  if (!answers.is_object()) {
    return fail(Code::kBadRequestData,
                "answers: must be an object keyed by question id");
  }
  const json::object& obj = answers.get_object();
  for (const auto& [id, a] : obj) {
    auto q = std::find_if(questions.begin(), questions.end(),
                          [&](const Question& q) { return q.id == id; });
    if (q == questions.end()) {
      return fail(Code::kBadRequestData,
                  "answers." + std::string(id) + ": no such question");
    }
    if (a.is_null()) continue;  // explicitly unanswered
    if (auto s = check_answer(*q, a, strictness); !s) return s;
  }
  if (strictness == Strictness::kDraft) return ok();
  for (const auto& q : questions) {
    const json::value* a = obj.if_contains(q.id);
    if (q.required && (a == nullptr || a->is_null() || is_empty_answer(*a))) {
      return bad(q, "an answer is required");
    }
  }
  return ok();
}

Status validate_attributes(const json::value& attributes,
                           Strictness strictness) {
  if (!attributes.is_object()) {
    return fail(Code::kBadRequestData, "attributes: must be an object");
  }
  const json::object& obj = attributes.get_object();
  for (const auto& [name, value] : obj) {
    bool valid = value.is_string();
    if (valid && name == "state") {
      valid = in_list(kStates, value.get_string());
    } else if (valid && name == "size_class") {
      valid = in_list(kSizeClasses, value.get_string());
    } else if (valid && name == "role") {
      valid = in_list(kRespondentRoles, value.get_string());
    } else if (valid) {
      return fail(Code::kBadRequestData,
                  "attributes." + std::string(name) +
                      ": unknown attribute (state, size_class, role)");
    }
    if (!valid) {
      return fail(Code::kBadRequestData, "attributes." + std::string(name) +
                                             ": not one of the allowed values");
    }
  }
  if (strictness == Strictness::kSubmission) {
    for (std::string_view name : kAttributeNames) {
      if (obj.if_contains(name) == nullptr) {
        return fail(Code::kBadRequestData,
                    "attributes." + std::string(name) + ": required");
      }
    }
  }
  return ok();
}

int rating_value(const json::value& v) {
  return v.is_int64() ? static_cast<int>(v.get_int64()) : 0;
}

}  // namespace cocity::apps::cocreation
