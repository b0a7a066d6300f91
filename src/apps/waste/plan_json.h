// The JSON form of plan requests and plans (docs/waste.md, "API").
//
// parse_plan_request() reads everything but the containers' source: inline
// "containers" are parsed when present; the caller adds containers from
// NGSI-LD entities otherwise. Errors are kBadRequestData naming the field
// ("fleet[1].shift[0]: must be \"HH:MM\" or seconds").
#pragma once

#include <string>

#include "apps/waste/plan.h"
#include "core/error.h"
#include "core/json.h"

namespace cocity::apps::waste {

struct ParsedPlanRequest {
  PlanRequest request;
  bool has_containers = false;  // "containers" was given inline
  double default_volume_l = 1100;
  double default_rate_per_day = 0.15;  // containers without history or rate
  int utc_offset_s = 0;
};

Result<ParsedPlanRequest> parse_plan_request(const json::value& body);

// One container object: id, location, level, observed_at, volume_l, and
// either fill_rate_per_day or history [[time, level], ...].
Result<Container> parse_container(const json::value& v, const std::string& path,
                                  const ParsedPlanRequest& defaults);

// The plan as returned by the API; `id` and `date` are echoed.
json::object plan_to_json(const Plan& plan, const std::string& id,
                          const std::string& date);

// One route as in plan_to_json()'s "routes".
json::object route_to_json(const TruckRoute& route, TimePoint day_start);

json::array line_string_coordinates(const std::vector<roads::LatLon>& points);

}  // namespace cocity::apps::waste
