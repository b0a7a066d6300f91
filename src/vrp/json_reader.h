// Reader for cocity's own routing problem format (JSON), documented in
// docs/vrp.md. Distances are metres, times seconds, both integers.
#pragma once

#include <string_view>

#include "core/error.h"
#include "vrp/problem.h"

namespace cocity::vrp {

// Errors are kInvalidRequest (bad JSON, with byte offset) or
// kBadRequestData naming the field path ("jobs[2].time_window: expected
// [open, close] with 0 <= open <= close").
Result<Problem> parse_problem_json(std::string_view text);

}  // namespace cocity::vrp
