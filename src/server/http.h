// The server's request and response types, free of Boost.Beast.
//
// Handlers (the NGSI-LD API, the apps' routes) see only these types; Beast
// stays inside http_server.cc. A handler answers by calling its Reply exactly
// once, from any thread, possibly later (after a store commit): the
// connection waits for it without blocking a server thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cocity::server {

enum class Role { kNone = 0, kRead = 1, kWrite = 2, kAdmin = 3 };

// Who sent a request, as established by authentication.
struct Principal {
  std::string key_id;  // empty in open mode
  Role role = Role::kNone;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path, without the query
  // Query parameters in order, names and values percent-decoded
  // ('+' is not a space in NGSI-LD queries).
  // (Named query_params: a member cannot share the name of query() below.)
  std::vector<std::pair<std::string, std::string>> query_params;
  // Header names lower-cased; values as received.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Filled in by the server before the handler runs:
  std::vector<std::pair<std::string, std::string>> path_params;  // {id} etc.
  std::string tenant;  // validated NGSILD-Tenant, "" for the default tenant
  Principal principal;

  // The first header with this (lower-case) name, or "" if absent.
  std::string_view header(std::string_view lower_name) const;
  bool has_header(std::string_view lower_name) const;
  // The first query parameter with this name, or nullptr.
  const std::string* query(std::string_view name) const;
  // A path parameter by name ("id"), or "" if absent.
  std::string_view path_param(std::string_view name) const;
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type;  // empty: no Content-Type (e.g. 204)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Reply: call exactly once, from any thread; later calls are ignored. The
// HttpRequest a handler receives stays valid (and may be moved from) until
// the handler calls its Reply; copy what is needed after that.
// A handler that throws is answered 500 InternalError (if it had not
// replied yet); the exception text goes to the log only.
using Reply = std::function<void(HttpResponse)>;
using Handler = std::function<void(HttpRequest&, Reply)>;

// A 'application/json' response with the given body.
HttpResponse json_response(unsigned status, std::string body);

// The one place where an Error becomes an HTTP status and an NGSI-LD
// ProblemDetails body (application/json; type
// https://uri.etsi.org/ngsi-ld/errors/<Name>, title, status, detail).
HttpResponse problem_response(const Error& error);
unsigned http_status_for(Code code);

}  // namespace cocity::server
