// Reader for Solomon VRPTW instances (*.txt): a name line, a VEHICLE block
// (NUMBER CAPACITY) and a CUSTOMER table (CUST NO., XCOORD., YCOORD.,
// DEMAND, READY TIME, DUE DATE, SERVICE TIME); row 0 is the depot, whose
// window is the planning horizon.
//
// The result uses Euclidean distances x1000 rounded per edge (cost_scale
// 1000), travel time = distance, one vehicle type with the file's fleet
// size, distance cost only. Job numbers are the customer numbers.
#pragma once

#include <string_view>

#include "core/error.h"
#include "vrp/problem.h"

namespace cocity::vrp {

inline constexpr double kSolomonScale = 1000.0;

// `source` names the text in error messages (usually the file name).
// Errors are kInvalidRequest naming the line and field.
Result<Problem> parse_solomon(std::string_view text, std::string_view source);

}  // namespace cocity::vrp
