// Survey results at the size of the goal: 1,000 respondents rating
// 22 ideas on 4 criteria, with segments by state, size class and role
// (goal: < 100 ms). Responses are generated with a fixed seed.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "apps/cocreation/results.h"

namespace cocity::apps::cocreation {
namespace {

constexpr size_t kRespondents = 1000;
constexpr size_t kIdeas = 22;

std::vector<Question> make_questions() {
  json::array ideas;
  for (size_t i = 0; i < kIdeas; ++i) {
    ideas.emplace_back("idea-" + std::to_string(i));
  }
  json::array questions{
      json::object{{"id", "rate"},
                   {"type", "idea_rating"},
                   {"text", "Rate each idea"},
                   {"ideas", ideas}},
      json::object{{"id", "agree"}, {"type", "likert"}, {"text", "Agree?"}}};
  return *parse_questions(questions);
}

// The stored JSON text of each response, as the server reads it.
std::vector<std::pair<std::string, std::string>> make_rows() {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> rating(0, 5);  // 0: dont_know
  std::vector<std::pair<std::string, std::string>> rows;
  for (size_t r = 0; r < kRespondents; ++r) {
    json::object attributes{
        {"state", kStates[rng() % std::size(kStates)]},
        {"size_class", kSizeClasses[rng() % std::size(kSizeClasses)]},
        {"role", kRespondentRoles[rng() % std::size(kRespondentRoles)]}};
    json::object rate;
    for (size_t i = 0; i < kIdeas; ++i) {
      json::object criteria;
      for (std::string_view c : kCriteria) {
        int v = rating(rng);
        criteria[c] = v == 0 ? json::value("dont_know") : json::value(v);
      }
      rate["idea-" + std::to_string(i)] = std::move(criteria);
    }
    json::object answers{{"rate", std::move(rate)},
                         {"agree", 1 + static_cast<int>(rng() % 5)}};
    rows.emplace_back(to_json(attributes), to_json(answers));
  }
  return rows;
}

std::vector<ParsedResponse> parse_rows(
    const std::vector<std::pair<std::string, std::string>>& rows) {
  std::vector<ParsedResponse> out;
  out.reserve(rows.size());
  for (const auto& [attributes, answers] : rows) {
    out.push_back({parse_json(attributes)->get_object(),
                   parse_json(answers)->get_object()});
  }
  return out;
}

void BM_ResultsFromParsed(benchmark::State& state) {
  auto questions = make_questions();
  auto responses = parse_rows(make_rows());
  for (auto _ : state) {
    json::object doc = compute_results(questions, responses);
    benchmark::DoNotOptimize(doc);
  }
}
BENCHMARK(BM_ResultsFromParsed)->Unit(benchmark::kMillisecond);

// What GET /results does after reading the rows: parse, compute, serialise.
void BM_ResultsFromStoredText(benchmark::State& state) {
  auto questions = make_questions();
  auto rows = make_rows();
  size_t bytes = 0;
  for (auto _ : state) {
    json::object doc = compute_results(questions, parse_rows(rows));
    std::string text = to_json(doc);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["result_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ResultsFromStoredText)->Unit(benchmark::kMillisecond);

void BM_ResultsCsv(benchmark::State& state) {
  auto questions = make_questions();
  json::object doc = compute_results(questions, parse_rows(make_rows()));
  for (auto _ : state) {
    std::string csv = results_to_csv(doc);
    benchmark::DoNotOptimize(csv);
  }
}
BENCHMARK(BM_ResultsCsv)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cocity::apps::cocreation

BENCHMARK_MAIN();
