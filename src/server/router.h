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

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/http.h"
#include "server/websocket.h"

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

  // A WebSocket route: a GET on `pattern` carrying "Upgrade: websocket" is
  // handed to `handler` (after the same tenant and key checks as any
  // route); a plain GET there is answered 426 Upgrade Required.
  void add_websocket(std::string pattern, WebSocketHandler handler,
                     RouteOptions options = {});

  struct Match {
    const Handler* handler = nullptr;
    // Set for a route added with add_websocket (then `handler` answers 426).
    const WebSocketHandler* websocket = nullptr;
    RouteOptions options;
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string>
        allowed_methods;  // set when only the method failed
    // For metrics and logs: the route's registration index and pattern
    // ("/ngsi-ld/v1/entities/{id}"), valid while the router lives.
    size_t route_index = 0;
    const std::string* pattern = nullptr;
  };
  // `path` is the raw (not yet percent-decoded) path of the request target,
  // without the query: "/ngsi-ld/v1/entities/urn%3Ax". Segments are split on
  // the raw '/', so an encoded "%2F" stays inside its capture. One trailing
  // '/' is ignored when the path matches without it. An empty segment is
  // captured (as "") only when nothing else matches, so that the handler
  // can name what is missing. A segment with a malformed escape is
  // captured as received.
  Match find(std::string_view method, std::string_view path) const;

  // Registered routes, in registration order (index = Match::route_index).
  size_t route_count() const;
  const std::string& route_pattern(size_t index) const;
  const std::string& route_method(size_t index) const;

 private:
  struct Node;
  struct Route;
  struct Search;
  static const Route* search(const Node& node, size_t depth, Search* search);

  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace cocity::server
