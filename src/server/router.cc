#include "server/router.h"

#include <algorithm>
#include <unordered_map>

#include "server/url.h"

namespace cocity::server {

struct Router::Route {
  std::string method;
  std::string pattern;
  Handler handler;
  WebSocketHandler websocket;  // empty for plain HTTP routes
  RouteOptions options;
  size_t index = 0;
  std::vector<std::string> capture_names;  // in segment order
};

// A trie over path segments. A node's routes are those whose pattern ends
// at it, one per method.
namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>()(s);
  }
};

}  // namespace

struct Router::Node {
  std::unordered_map<std::string, std::unique_ptr<Node>, StringHash,
                     std::equal_to<>>
      literals;
  std::unique_ptr<Node> capture;  // "{name}" child
  std::vector<const Route*> routes;
};

namespace {

// Splits "/a/b" into {"a", "b"}, "/a/b/" into {"a", "b", ""}, "/" into {}.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return out;
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_capture(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

void Router::add(std::string method, std::string pattern, Handler handler,
                 RouteOptions options) {
  auto route = std::make_unique<Route>();
  route->method = std::move(method);
  route->pattern = std::move(pattern);
  route->handler = std::move(handler);
  route->options = options;
  route->index = routes_.size();
  Node* node = root_.get();
  for (std::string_view segment : split_path(route->pattern)) {
    if (is_capture(segment)) {
      route->capture_names.emplace_back(segment.substr(1, segment.size() - 2));
      if (!node->capture) node->capture = std::make_unique<Node>();
      node = node->capture.get();
    } else {
      auto& child = node->literals[std::string(segment)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  // A later registration of the same method and pattern replaces the first.
  auto same =
      std::find_if(node->routes.begin(), node->routes.end(),
                   [&](const Route* r) { return r->method == route->method; });
  if (same != node->routes.end()) {
    *same = route.get();
  } else {
    node->routes.push_back(route.get());
  }
  routes_.push_back(std::move(route));
}

void Router::add_websocket(std::string pattern, WebSocketHandler handler,
                           RouteOptions options) {
  add(
      "GET", std::move(pattern),
      [](HttpRequest& req, Reply reply) {
        HttpResponse r = problem_response(
            Error{Code::kBadRequestData,
                  req.path + " is a WebSocket endpoint: send 'Upgrade: "
                             "websocket'",
                  {}});
        r.status = 426;
        auto pos = r.body.find("\"status\":400");
        if (pos != std::string::npos) r.body.replace(pos, 12, "\"status\":426");
        r.headers.emplace_back("Upgrade", "websocket");
        reply(std::move(r));
      },
      options);
  routes_.back()->websocket = std::move(handler);
}

struct Router::Search {
  std::string_view method;
  std::vector<std::string_view> segments;
  std::vector<std::string_view> captured;  // raw captures on the current path
  std::vector<std::string> allowed;        // methods matching the path only
  bool empty_captures = false;             // whether "" may be captured
};

// Depth-first, literals before captures: the first route matching path and
// method wins; routes matching only the path add their method to `allowed`.
const Router::Route* Router::search(const Node& node, size_t depth, Search* s) {
  if (depth == s->segments.size()) {
    for (const Route* r : node.routes) {
      if (r->method == s->method) return r;
    }
    for (const Route* r : node.routes) {
      if (std::find(s->allowed.begin(), s->allowed.end(), r->method) ==
          s->allowed.end()) {
        s->allowed.push_back(r->method);
      }
    }
    return nullptr;
  }
  std::string_view segment = s->segments[depth];
  if (!node.literals.empty()) {
    auto it = node.literals.find(segment);
    if (it != node.literals.end()) {
      if (const Route* r = search(*it->second, depth + 1, s)) return r;
    }
  }
  if (node.capture && (!segment.empty() || s->empty_captures)) {
    s->captured.push_back(segment);
    if (const Route* r = search(*node.capture, depth + 1, s)) return r;
    s->captured.pop_back();
  }
  return nullptr;
}

Router::Match Router::find(std::string_view method,
                           std::string_view path) const {
  // "/entities/" is "/entities": clients (and the NGSI-LD spec's own
  // resource names) often end a path with a slash. Failing a match, an
  // empty segment is an empty capture, so that "/entities//attrs" reaches
  // the handler, which names the empty id, rather than being answered as a
  // path that does not exist.
  std::vector<std::string_view> segments = split_path(path);
  bool trailing_slash = !segments.empty() && segments.back().empty();
  Search s;
  const Route* route = nullptr;
  for (bool empty_captures : {false, true}) {
    for (bool strip : {true, false}) {
      if (strip && !trailing_slash) continue;
      Search attempt;
      attempt.method = method;
      attempt.segments = segments;
      if (strip) attempt.segments.pop_back();
      attempt.empty_captures = empty_captures;
      attempt.allowed = std::move(s.allowed);
      route = search(*root_, 0, &attempt);
      s = std::move(attempt);
      if (route != nullptr) break;
    }
    if (route != nullptr) break;
  }
  Match match;
  if (route == nullptr) {
    std::sort(s.allowed.begin(), s.allowed.end());
    match.allowed_methods = std::move(s.allowed);
    return match;
  }
  match.handler = &route->handler;
  if (route->websocket) match.websocket = &route->websocket;
  match.options = route->options;
  match.route_index = route->index;
  match.pattern = &route->pattern;
  match.params.reserve(route->capture_names.size());
  for (size_t i = 0; i < route->capture_names.size(); ++i) {
    std::string value;
    if (!percent_decode(s.captured[i], &value)) {
      value.assign(s.captured[i]);
    }
    match.params.emplace_back(route->capture_names[i], std::move(value));
  }
  return match;
}

size_t Router::route_count() const { return routes_.size(); }
const std::string& Router::route_pattern(size_t index) const {
  return routes_.at(index)->pattern;
}
const std::string& Router::route_method(size_t index) const {
  return routes_.at(index)->method;
}

}  // namespace cocity::server
