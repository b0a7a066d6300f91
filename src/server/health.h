// The public operational endpoints every cocity server has.
#pragma once

#include "server/metrics.h"
#include "server/router.h"

namespace cocity::server {

// Registers, as public routes (no key, no tenant):
//   GET /health   200 {"status":"ok"}
//   GET /metrics  200 text/plain; version=0.0.4 (metrics->render_text())
// `metrics` must outlive the router.
void add_health_routes(Router* router, Metrics* metrics);

}  // namespace cocity::server
