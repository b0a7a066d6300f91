// Presenting a solution: the JSON object printed by `cocity vrp solve
// --json` and a plain-text summary. Costs are divided by
// Problem::cost_scale; routes list the instance's job numbers.
#pragma once

#include <string>

#include "core/json.h"
#include "vrp/problem.h"
#include "vrp/solution.h"

namespace cocity::vrp {

// {"cost", "vehicles", "seconds", "routes": [[numbers]], "unassigned":
// [numbers], "plan": [{"vehicle_type", "vehicle", "start", "stops":
// [{"job": n} | {"disposal_site": i}]}]}.
json::object solution_to_json(const Problem& problem, const Solution& solution,
                              double seconds);

// "cost 828.94, 10 vehicles, 0.70 s" and one "route k: 5 3 7 ..." line per
// route (disposal visits as "D<i>").
std::string solution_to_text(const Problem& problem, const Solution& solution,
                             double seconds);

}  // namespace cocity::vrp
