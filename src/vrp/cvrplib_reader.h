// Reader for CVRPLIB / TSPLIB CVRP instances (*.vrp): KEY : value headers
// (NAME, TYPE, DIMENSION, EDGE_WEIGHT_TYPE, CAPACITY, optionally VEHICLES),
// NODE_COORD_SECTION, DEMAND_SECTION, DEPOT_SECTION (terminated by -1), EOF.
// Only EUC_2D and a single depot are supported.
//
// The result uses TSPLIB EUC_2D distances (rounded per edge, cost_scale 1),
// one vehicle type with an unlimited fleet (or VEHICLES if given), no time
// limits. Job numbers are node id - 1, as in CVRPLIB's .sol files.
#pragma once

#include <string_view>

#include "core/error.h"
#include "vrp/problem.h"

namespace cocity::vrp {

// Errors are kInvalidRequest naming the line and field.
Result<Problem> parse_cvrplib(std::string_view text, std::string_view source);

}  // namespace cocity::vrp
