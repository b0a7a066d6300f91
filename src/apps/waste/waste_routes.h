// The waste app's HTTP routes (docs/waste.md, "API"):
//
//   POST /api/v1/waste/plans        plan a collection day; stores the plan
//                                   as NGSI-LD entities; 201 + the plan
//   GET  /api/v1/waste/plans/{id}   a stored plan
//   POST /api/v1/waste/savings      weekly schedule vs sensor-driven plans
//
// Tenant-scoped (NGSILD-Tenant). Containers come inline or from the
// tenant's WasteContainer entities. Without a road graph for the tenant the
// plan and savings endpoints answer 503 with a detail naming the file.
// Errors are ProblemDetails (server::problem_response).
//
// Planning runs the solver on the calling server thread for the request's
// time limit (at most 120 s; default 5 s).
#pragma once

#include <string>

#include "broker/broker.h"
#include "server/router.h"

namespace cocity::apps::waste {

struct WasteRouteOptions {
  std::string roads_graph;  // one graph for all tenants; empty: per tenant
  std::string data_dir;     // <data_dir>/roads/<tenant>.graph
  size_t max_json_depth = 32;
};

// REQUIRES: `broker` outlives the router.
void add_routes(server::Router& router, broker::Broker& broker,
                WasteRouteOptions options);

}  // namespace cocity::apps::waste
