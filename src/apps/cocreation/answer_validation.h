// Checks a respondent's answers and attributes against a survey.
//
// Two strictnesses: a draft may be incomplete (required questions missing,
// a budget not yet spent in full, a ranking not yet complete) but every
// answer it holds must have the right shape; a submission must be complete.
// Errors are kBadRequestData and name the question ("answers.q3: must be
// 1-5 or \"dont_know\"") or the attribute.
#pragma once

#include <vector>

#include "apps/cocreation/survey.h"
#include "core/error.h"
#include "core/json.h"

namespace cocity::apps::cocreation {

enum class Strictness { kDraft, kSubmission };

// `answers` must be an object keyed by question id; unknown ids are errors.
Status validate_answers(const std::vector<Question>& questions,
                        const json::value& answers, Strictness strictness);

// `attributes`: {"state", "size_class", "role"} from the fixed lists in
// survey.h. A submission needs all three; a draft may lack some.
Status validate_attributes(const json::value& attributes,
                           Strictness strictness);

// The value of a 1-5 rating, or 0 for "dont_know". REQUIRES: validated.
int rating_value(const json::value& v);

}  // namespace cocity::apps::cocreation
