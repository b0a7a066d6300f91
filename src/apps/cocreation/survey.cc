#include "apps/cocreation/survey.h"

#include <algorithm>
#include <set>

namespace cocity::apps::cocreation {

namespace {

constexpr size_t kMaxQuestions = 200;
constexpr size_t kMaxOptions = 100;
constexpr size_t kMaxTextLength = 10000;

struct TypeName {
  QuestionType type;
  std::string_view name;
};
constexpr TypeName kTypeNames[] = {
    {QuestionType::kLikert, "likert"},
    {QuestionType::kIdeaRating, "idea_rating"},
    {QuestionType::kRanking, "ranking"},
    {QuestionType::kBudget, "budget"},
    {QuestionType::kSingleChoice, "single_choice"},
    {QuestionType::kMultipleChoice, "multiple_choice"},
    {QuestionType::kFreeText, "free_text"},
};

std::unexpected<Error> bad(const std::string& where, const std::string& what) {
  return fail(Code::kBadRequestData, where + ": " + what);
}

Result<std::vector<std::string>> id_list(const json::object& q,
                                         std::string_view key,
                                         const std::string& where) {
  const json::value* v = q.if_contains(key);
  std::string at = where + "." + std::string(key);
  if (v == nullptr || !v->is_array() || v->get_array().empty()) {
    return bad(at, "must be a non-empty array of ids");
  }
  if (v->get_array().size() > kMaxOptions) {
    return bad(at, "at most 100 entries");
  }
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  for (const auto& e : v->get_array()) {
    if (!e.is_string() || !valid_item_id(e.get_string())) {
      return bad(at,
                 "each entry must be an id of 1-64 characters "
                 "[A-Za-z0-9_-]");
    }
    if (!seen.emplace(e.get_string()).second) {
      return bad(at, "'" + std::string(e.get_string()) + "' appears twice");
    }
    out.emplace_back(e.get_string());
  }
  return out;
}

Result<int64_t> positive_int(const json::object& q, std::string_view key,
                             int64_t fallback, int64_t max,
                             const std::string& where) {
  const json::value* v = q.if_contains(key);
  if (v == nullptr) return fallback;
  if (!v->is_int64() || v->get_int64() < 1 || v->get_int64() > max) {
    return bad(where + "." + std::string(key),
               "must be an integer from 1 to " + std::to_string(max));
  }
  return v->get_int64();
}

Status parse_criteria(const json::object& q, const std::string& where,
                      Question* out) {
  if (q.if_contains("criteria") == nullptr) {
    out->criteria.assign(std::begin(kCriteria), std::end(kCriteria));
    return ok();
  }
  auto list = id_list(q, "criteria", where);
  if (!list) return std::unexpected(list.error());
  for (const auto& c : *list) {
    if (std::find(std::begin(kCriteria), std::end(kCriteria), c) ==
        std::end(kCriteria)) {
      return bad(where + ".criteria",
                 "'" + c +
                     "' is not one of benefit, urgency, feasibility, "
                     "cost");
    }
  }
  out->criteria = std::move(*list);
  return ok();
}

Status parse_type_fields(const json::object& q, const std::string& where,
                         Question* out) {
  switch (out->type) {
    case QuestionType::kLikert:
      return ok();
    case QuestionType::kIdeaRating: {
      auto ideas = id_list(q, "ideas", where);
      if (!ideas) return std::unexpected(ideas.error());
      out->ideas = std::move(*ideas);
      return parse_criteria(q, where, out);
    }
    case QuestionType::kFreeText: {
      auto n = positive_int(q, "max_length", 2000, kMaxTextLength, where);
      if (!n) return std::unexpected(n.error());
      out->max_length = static_cast<size_t>(*n);
      return ok();
    }
    default:
      break;
  }
  auto options = id_list(q, "options", where);
  if (!options) return std::unexpected(options.error());
  out->options = std::move(*options);
  if (out->type == QuestionType::kBudget) {
    auto points = positive_int(q, "points", 100, 1000000, where);
    if (!points) return std::unexpected(points.error());
    out->points = *points;
  }
  if (out->type == QuestionType::kMultipleChoice) {
    auto n = positive_int(q, "max_choices", 0, kMaxOptions, where);
    if (!n) return std::unexpected(n.error());
    out->max_choices = static_cast<size_t>(*n);
  }
  return ok();
}

Result<Question> parse_question(const json::value& v,
                                const std::string& where) {
  if (!v.is_object()) return bad(where, "must be an object");
  const json::object& q = v.get_object();
  Question out;
  const json::value* id = q.if_contains("id");
  if (id == nullptr || !id->is_string() || !valid_item_id(id->get_string())) {
    return bad(where + ".id", "must be an id of 1-64 characters [A-Za-z0-9_-]");
  }
  out.id = std::string(id->get_string());
  const json::value* type = q.if_contains("type");
  auto it = type != nullptr && type->is_string()
                ? std::find_if(std::begin(kTypeNames), std::end(kTypeNames),
                               [&](const TypeName& t) {
                                 return t.name == type->get_string();
                               })
                : std::end(kTypeNames);
  if (it == std::end(kTypeNames)) {
    return bad(where + ".type",
               "must be one of likert, idea_rating, ranking, budget, "
               "single_choice, multiple_choice, free_text");
  }
  out.type = it->type;
  const json::value* text = q.if_contains("text");
  if (text == nullptr || !text->is_string() || text->get_string().empty() ||
      text->get_string().size() > kMaxTextLength) {
    return bad(where + ".text", "must be a non-empty string");
  }
  out.text = std::string(text->get_string());
  if (const json::value* r = q.if_contains("required")) {
    if (!r->is_bool()) return bad(where + ".required", "must be a boolean");
    out.required = r->get_bool();
  }
  if (auto s = parse_type_fields(q, where, &out); !s) {
    return std::unexpected(s.error());
  }
  return out;
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

bool valid_item_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string_view question_type_name(QuestionType type) {
  for (const auto& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "likert";
}

Result<std::vector<Question>> parse_questions(const json::value& v) {
  if (!v.is_array() || v.get_array().empty()) {
    return bad("questions", "must be a non-empty array");
  }
  if (v.get_array().size() > kMaxQuestions) {
    return bad("questions", "at most 200 questions");
  }
  std::vector<Question> out;
  std::set<std::string, std::less<>> ids;
  for (size_t i = 0; i < v.get_array().size(); ++i) {
    std::string where = "questions[" + std::to_string(i) + "]";
    auto q = parse_question(v.get_array()[i], where);
    if (!q) return std::unexpected(q.error());
    if (!ids.insert(q->id).second) {
      return bad(where + ".id", "'" + q->id + "' is used twice");
    }
    out.push_back(std::move(*q));
  }
  return out;
}

json::array questions_to_json(const std::vector<Question>& questions) {
  json::array out;
  for (const auto& q : questions) {
    json::object o;
    o["id"] = q.id;
    o["type"] = question_type_name(q.type);
    o["text"] = q.text;
    o["required"] = q.required;
    if (!q.options.empty()) o["options"] = strings(q.options);
    if (!q.ideas.empty()) o["ideas"] = strings(q.ideas);
    if (!q.criteria.empty()) o["criteria"] = strings(q.criteria);
    if (q.type == QuestionType::kBudget) o["points"] = q.points;
    if (q.max_choices > 0) o["max_choices"] = q.max_choices;
    if (q.type == QuestionType::kFreeText) o["max_length"] = q.max_length;
    out.emplace_back(std::move(o));
  }
  return out;
}

}  // namespace cocity::apps::cocreation
