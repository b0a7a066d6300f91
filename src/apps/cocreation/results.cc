#include "apps/cocreation/results.h"

#include <cmath>
#include <map>

#include "apps/cocreation/answer_validation.h"
#include "apps/cocreation/statistics.h"

namespace cocity::apps::cocreation {

namespace {

// Rating cells: one per likert question, ideas x criteria per idea_rating
// question, laid out question by question.
struct CellLayout {
  std::vector<size_t> offset;  // per question; npos for non-rating ones
  size_t cells = 0;
};

CellLayout layout_cells(const std::vector<Question>& questions) {
  CellLayout l;
  for (const auto& q : questions) {
    if (q.type == QuestionType::kLikert) {
      l.offset.push_back(l.cells);
      l.cells += 1;
    } else if (q.type == QuestionType::kIdeaRating) {
      l.offset.push_back(l.cells);
      l.cells += q.ideas.size() * q.criteria.size();
    } else {
      l.offset.push_back(std::string::npos);
    }
  }
  return l;
}

struct Group {
  size_t respondents = 0;
  std::vector<RatingCounts> cells;
};

size_t index_of(const std::vector<std::string>& list, std::string_view s) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i] == s) return i;
  }
  return std::string::npos;
}

void add_ratings(const std::vector<Question>& questions,
                 const CellLayout& layout, const json::object& answers,
                 Group* g) {
  ++g->respondents;
  for (size_t qi = 0; qi < questions.size(); ++qi) {
    const Question& q = questions[qi];
    if (layout.offset[qi] == std::string::npos) continue;
    const json::value* a = answers.if_contains(q.id);
    if (a == nullptr || a->is_null()) continue;
    if (q.type == QuestionType::kLikert) {
      g->cells[layout.offset[qi]].add(rating_value(*a));
      continue;
    }
    for (const auto& [idea, ratings] : a->get_object()) {
      size_t ii = index_of(q.ideas, idea);
      if (ii == std::string::npos || !ratings.is_object()) continue;
      for (const auto& [criterion, r] : ratings.get_object()) {
        size_t ci = index_of(q.criteria, criterion);
        if (ci == std::string::npos) continue;
        g->cells[layout.offset[qi] + ii * q.criteria.size() + ci].add(
            rating_value(r));
      }
    }
  }
}

json::value number(double v) {
  if (std::isnan(v)) return nullptr;
  return std::round(v * 10000) / 10000;
}

json::object summary_json(const RatingSummary& s) {
  json::object o;
  o["n"] = s.n;
  o["mean"] = number(s.mean);
  o["dont_know"] = s.dont_know;
  o["median"] = number(s.median);
  o["stddev"] = number(s.stddev);
  o["ci95"] = json::array{number(s.ci_low), number(s.ci_high)};
  json::array dist;
  for (uint32_t c : s.distribution) dist.emplace_back(c);
  o["distribution"] = std::move(dist);
  return o;
}

json::array ranking_json(const Question& q,
                         const std::vector<RatingSummary>& s) {
  json::array out;
  for (const RankEntry& e : rank_with_uncertainty(s)) {
    json::object o;
    o["idea"] = q.ideas[e.item];
    o["rank"] = e.rank;
    o["rank_low"] = e.rank_low;
    o["rank_high"] = e.rank_high;
    o["mean"] = number(s[e.item].mean);
    json::array tied;
    for (size_t t : e.tied_with) tied.emplace_back(q.ideas[t]);
    o["tied_with"] = std::move(tied);
    out.emplace_back(std::move(o));
  }
  return out;
}

// Statistics of the rating questions of one group; `full` adds the
// rankings.
json::object rating_json(const std::vector<Question>& questions,
                         const CellLayout& layout, const Group& g, bool full) {
  json::object out;
  for (size_t qi = 0; qi < questions.size(); ++qi) {
    const Question& q = questions[qi];
    size_t off = layout.offset[qi];
    if (off == std::string::npos) continue;
    if (q.type == QuestionType::kLikert) {
      out[q.id] = summary_json(summarize(g.cells[off]));
      continue;
    }
    json::object ideas;
    std::vector<std::vector<RatingSummary>> by_criterion(q.criteria.size());
    for (size_t ii = 0; ii < q.ideas.size(); ++ii) {
      json::object crit;
      for (size_t ci = 0; ci < q.criteria.size(); ++ci) {
        RatingSummary s = summarize(g.cells[off + ii * q.criteria.size() + ci]);
        crit[q.criteria[ci]] = summary_json(s);
        by_criterion[ci].push_back(s);
      }
      ideas[q.ideas[ii]] = std::move(crit);
    }
    json::object qo;
    qo["ideas"] = std::move(ideas);
    if (full) {
      json::object rankings;
      for (size_t ci = 0; ci < q.criteria.size(); ++ci) {
        rankings[q.criteria[ci]] = ranking_json(q, by_criterion[ci]);
      }
      qo["rankings"] = std::move(rankings);
    }
    out[q.id] = std::move(qo);
  }
  return out;
}

json::object choice_json(const Question& q,
                         const std::vector<ParsedResponse>& responses) {
  std::vector<double> total(q.options.size(), 0);
  std::vector<size_t> count(q.options.size(), 0);
  size_t answered = 0;
  for (const auto& r : responses) {
    const json::value* a = r.answers.if_contains(q.id);
    if (a == nullptr || a->is_null()) continue;
    ++answered;
    auto add = [&](std::string_view option, double v) {
      size_t i = index_of(q.options, option);
      if (i == std::string::npos) return;
      total[i] += v;
      ++count[i];
    };
    if (a->is_string()) add(a->get_string(), 1);
    if (a->is_array()) {
      const auto& arr = a->get_array();
      for (size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_string()) continue;
        // ranking: the position (1 = best); multiple choice: a count
        add(arr[i].get_string(),
            q.type == QuestionType::kRanking ? double(i + 1) : 1.0);
      }
    }
    if (a->is_object()) {
      for (const auto& [option, points] : a->get_object()) {
        if (points.is_int64()) add(option, double(points.get_int64()));
      }
    }
  }
  json::object o;
  o["answered"] = answered;
  json::object options;
  for (size_t i = 0; i < q.options.size(); ++i) {
    json::object e;
    e["count"] = count[i];
    if (q.type == QuestionType::kRanking) {
      e["mean_position"] =
          count[i] == 0 ? json::value(nullptr) : number(total[i] / count[i]);
    } else if (q.type == QuestionType::kBudget) {
      e["mean_points"] =
          answered == 0 ? json::value(nullptr) : number(total[i] / answered);
      e["total_points"] = total[i];
    }
    options[q.options[i]] = std::move(e);
  }
  o["options"] = std::move(options);
  return o;
}

json::object segments_json(const std::vector<Question>& questions,
                           const CellLayout& layout,
                           const std::vector<ParsedResponse>& responses,
                           size_t min_segment) {
  json::object out;
  for (std::string_view attr : kAttributeNames) {
    std::map<std::string, Group, std::less<>> groups;
    for (const auto& r : responses) {
      const json::value* v = r.attributes.if_contains(attr);
      if (v == nullptr || !v->is_string()) continue;
      auto [it, fresh] = groups.try_emplace(std::string(v->get_string()));
      if (fresh) it->second.cells.resize(layout.cells);
      add_ratings(questions, layout, r.answers, &it->second);
    }
    json::array shown;
    size_t suppressed = 0;
    for (const auto& [value, g] : groups) {
      if (g.respondents < min_segment) {
        ++suppressed;
        continue;
      }
      json::object s;
      s["value"] = value;
      s["respondents"] = g.respondents;
      s["questions"] = rating_json(questions, layout, g, false);
      shown.emplace_back(std::move(s));
    }
    json::object a;
    a["segments"] = std::move(shown);
    a["suppressed"] = suppressed;
    out[attr] = std::move(a);
  }
  return out;
}

}  // namespace

json::object compute_results(const std::vector<Question>& questions,
                             const std::vector<ParsedResponse>& responses,
                             const ResultOptions& options) {
  CellLayout layout = layout_cells(questions);
  Group all;
  all.cells.resize(layout.cells);
  for (const auto& r : responses) {
    add_ratings(questions, layout, r.answers, &all);
  }
  json::object ratings = rating_json(questions, layout, all, true);
  json::object qs;
  for (const auto& q : questions) {
    json::object o;
    o["type"] = question_type_name(q.type);
    o["text"] = q.text;
    if (auto* r = ratings.if_contains(q.id)) {
      o["results"] = std::move(*r);
    } else if (q.type == QuestionType::kFreeText) {
      size_t n = 0;
      for (const auto& r : responses) {
        const json::value* a = r.answers.if_contains(q.id);
        if (a != nullptr && a->is_string() && !a->get_string().empty()) ++n;
      }
      o["results"] = json::object{{"answered", n}};
    } else {
      o["results"] = choice_json(q, responses);
    }
    qs[q.id] = std::move(o);
  }
  json::object out;
  out["respondents"] = responses.size();
  out["min_segment"] = options.min_segment;
  out["method"] =
      "95% CI: t-based on the sample standard deviation; ties: Welch t-test, "
      "two-sided 5%";
  out["questions"] = std::move(qs);
  if (options.segments) {
    out["segments"] =
        segments_json(questions, layout, responses, options.min_segment);
  }
  return out;
}

}  // namespace cocity::apps::cocreation
