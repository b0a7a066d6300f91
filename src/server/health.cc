#include "server/health.h"

namespace cocity::server {

void add_health_routes(Router* router, Metrics* metrics) {
  RouteOptions open_route;
  open_route.role = Role::kNone;
  open_route.tenant_scoped = false;
  router->add(
      "GET", "/health",
      [](HttpRequest&, Reply reply) {
        reply(json_response(200, R"({"status":"ok"})"));
      },
      open_route);
  router->add(
      "GET", "/metrics",
      [metrics](HttpRequest&, Reply reply) {
        HttpResponse r;
        r.status = 200;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = metrics->render_text();
        reply(std::move(r));
      },
      open_route);
}

}  // namespace cocity::server
