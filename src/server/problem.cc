#include <string>

#include "core/json.h"
#include "server/http.h"

namespace cocity::server {

namespace {

constexpr std::string_view kProblemTypePrefix =
    "https://uri.etsi.org/ngsi-ld/errors/";

}  // namespace

unsigned http_status_for(Code code) {
  switch (code) {
    case Code::kInvalidRequest:
      return 400;
    case Code::kBadRequestData:
      return 400;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
      return 409;
    case Code::kOperationNotSupported:
      return 422;
    case Code::kTooComplexQuery:
      return 403;
    case Code::kTooManyResults:
      return 403;
    case Code::kLdContextNotAvailable:
      return 503;
    case Code::kNonexistentTenant:
      return 404;
    case Code::kUnauthorized:
      return 401;
    case Code::kForbidden:
      return 403;
    case Code::kPayloadTooLarge:
      return 413;
    case Code::kConflict:
      return 409;
    case Code::kUnavailable:
      return 503;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse problem_response(const Error& error) {
  std::string_view name = code_name(error.code);
  unsigned status = http_status_for(error.code);
  json::object body;
  std::string type(kProblemTypePrefix);
  type += name;
  body["type"] = type;
  body["title"] = error.title.empty() ? std::string(name) : error.title;
  body["status"] = status;
  body["detail"] = error.detail;
  HttpResponse r = json_response(status, to_json(body));
  if (error.code == Code::kUnauthorized) {
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return r;
}

}  // namespace cocity::server
