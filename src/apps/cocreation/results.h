// Survey results: per question and idea the rating statistics, rankings
// with their uncertainty, and segments by respondent attribute.
//
// Segments: for each attribute (state, size_class, role) and each value, the
// statistics of likert and idea_rating questions over the respondents with
// that value. A segment with fewer than `min_segment` respondents is
// suppressed: neither its value nor its figures are shown, only how many
// segments were suppressed (so that small groups cannot be identified).
//
// Free-text answers are not part of the results (they go to moderation).
// Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "apps/cocreation/survey.h"
#include "core/json.h"

namespace cocity::apps::cocreation {

// A submitted response, parsed. Both members are JSON objects.
struct ParsedResponse {
  json::object attributes;
  json::object answers;
};

struct ResultOptions {
  size_t min_segment = 5;
  bool segments = true;
};

// The results document (shape in docs/cocreation.md, "Results").
json::object compute_results(const std::vector<Question>& questions,
                             const std::vector<ParsedResponse>& responses,
                             const ResultOptions& options = {});

// The results of likert and idea_rating questions as CSV rows: question,
// idea, criterion, segment, value, n, dont_know, mean, median, ci_low,
// ci_high, rank, rank_low, rank_high (rank columns for idea ratings over all
// respondents only). From a document made by compute_results.
std::string results_to_csv(const json::object& results);

}  // namespace cocity::apps::cocreation
