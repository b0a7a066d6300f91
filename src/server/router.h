// Maps method and path to a handler and the role it needs.
//
// Patterns are literal segments and "{name}" captures of one whole segment:
// "/ngsi-ld/v1/entities/{id}/attrs/{attr}". Captures are percent-decoded.
// Literal segments win over captures. A path that matches a pattern but not
// its method is answered 405 with an Allow header; no match at all is 404.
//
// Registration happens before the server starts; lookups are then
// thread-safe (read-only).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/http.h"

namespace cocity::server {

struct RouteOptions {
  // The least role the caller needs for this tenant. kNone: public (health,
  // metrics, static files); no key needed, no tenant resolved.
  Role role = Role::kRead;
  // Whether the route reads the NGSILD-Tenant header (the NGSI-LD API and
  // tenant-scoped apps). Public routes ignore tenants.
  bool tenant_scoped = true;
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void add(std::string method, std::string pattern, Handler handler,
           RouteOptions options = {});

  struct Match {
    const Handler* handler = nullptr;
    RouteOptions options;
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string> allowed_methods;  // set when only the method failed
  };
  Match find(std::string_view method, std::string_view path) const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
};

}  // namespace cocity::server
