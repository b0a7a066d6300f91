// results_to_csv (declared in results.h).
#include <string>

#include "apps/cocreation/results.h"

namespace cocity::apps::cocreation {

namespace {

void field(std::string_view s, std::string* out) {
  bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
  // Spreadsheets run cells starting with these as formulas.
  bool formula = !s.empty() &&
                 std::string_view("=+-@").find(s[0]) != std::string_view::npos;
  if (!quote && !formula) {
    out->append(s);
    return;
  }
  out->push_back('"');
  if (formula) out->push_back('\'');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string cell(const json::value* v) {
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->get_string());
  return to_json(*v);
}

const json::value* at(const json::value& v, std::string_view key) {
  return v.is_object() ? v.get_object().if_contains(key) : nullptr;
}

void row(const std::vector<std::string>& cells, std::string* out) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out->push_back(',');
    field(cells[i], out);
  }
  out->append("\r\n");
}

std::vector<std::string> stats_cells(const json::value& s) {
  const json::value* ci = at(s, "ci95");
  const json::value* low = ci && ci->is_array() ? &ci->get_array()[0] : nullptr;
  const json::value* high =
      ci && ci->is_array() ? &ci->get_array()[1] : nullptr;
  return {cell(at(s, "n")),    cell(at(s, "dont_know")),
          cell(at(s, "mean")), cell(at(s, "median")),
          cell(low),           cell(high)};
}

// Rows of one question's rating statistics for one group.
void question_rows(const std::string& qid, const json::value& stats,
                   const std::string& segment, const std::string& value,
                   std::string* out) {
  const json::value* ideas = at(stats, "ideas");
  if (ideas == nullptr) {  // likert
    std::vector<std::string> c = {qid, "", "", segment, value};
    for (auto& s : stats_cells(stats)) c.push_back(std::move(s));
    c.resize(14);
    row(c, out);
    return;
  }
  const json::value* rankings = at(stats, "rankings");
  for (const auto& [idea, criteria] : ideas->get_object()) {
    for (const auto& [criterion, s] : criteria.get_object()) {
      std::vector<std::string> c = {qid, std::string(idea),
                                    std::string(criterion), segment, value};
      for (auto& x : stats_cells(s)) c.push_back(std::move(x));
      c.resize(14);
      const json::value* list = rankings ? at(*rankings, criterion) : nullptr;
      for (const auto& e : list ? list->get_array() : json::array()) {
        if (cell(at(e, "idea")) != idea) continue;
        c[11] = cell(at(e, "rank"));
        c[12] = cell(at(e, "rank_low"));
        c[13] = cell(at(e, "rank_high"));
      }
      row(c, out);
    }
  }
}

}  // namespace

std::string results_to_csv(const json::object& results) {
  std::string out;
  row({"question", "idea", "criterion", "segment", "value", "n", "dont_know",
       "mean", "median", "ci_low", "ci_high", "rank", "rank_low", "rank_high"},
      &out);
  if (const json::value* qs = results.if_contains("questions")) {
    for (const auto& [qid, q] : qs->get_object()) {
      const json::value* r = at(q, "results");
      std::string type = cell(at(q, "type"));
      if (r == nullptr || (type != "likert" && type != "idea_rating")) continue;
      question_rows(std::string(qid), *r, "all", "", &out);
    }
  }
  const json::value* segs = results.if_contains("segments");
  if (segs == nullptr) return out;
  for (const auto& [attr, a] : segs->get_object()) {
    const json::value* list = at(a, "segments");
    if (list == nullptr) continue;
    for (const auto& s : list->get_array()) {
      const json::value* qs = at(s, "questions");
      if (qs == nullptr) continue;
      for (const auto& [qid, stats] : qs->get_object()) {
        question_rows(std::string(qid), stats, std::string(attr),
                      cell(at(s, "value")), &out);
      }
    }
  }
  return out;
}

}  // namespace cocity::apps::cocreation
