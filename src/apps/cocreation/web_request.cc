#include "apps/cocreation/web_request.h"

#include "apps/cocreation/secrets.h"

namespace cocity::apps::cocreation {

std::string session_cookie_name(std::string_view tenant) {
  return tenant.empty() ? "cocity_session"
                        : "cocity_session_" + std::string(tenant);
}

std::string cookie_value(const server::HttpRequest& req,
                         std::string_view name) {
  std::string_view header = req.header("cookie");
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return {};
}

Result<Caller> authenticate_session(Accounts& accounts,
                                    const server::HttpRequest& req,
                                    std::string* session_token) {
  std::string token = cookie_value(req, session_cookie_name(req.tenant));
  if (token.empty()) {
    return fail(Code::kUnauthorized,
                "not logged in: POST /api/v1/auth/login first");
  }
  auto caller = accounts.authenticate(token);
  if (!caller) return caller;
  bool write = req.method != "GET" && req.method != "HEAD";
  if (write &&
      !equal_secrets(req.header("x-csrf-token"), csrf_token_for(token))) {
    return fail(Code::kForbidden,
                "CSRF token missing or wrong: send the header X-CSRF-Token "
                "from GET /api/v1/auth/me");
  }
  if (session_token) *session_token = std::move(token);
  return caller;
}

std::string public_url(const server::HttpRequest& req, std::string_view path) {
  std::string host(req.header("host"));
  if (host.empty()) host = "localhost";
  std::string scheme(req.header("x-forwarded-proto"));
  if (scheme != "http" && scheme != "https") {
    scheme = host.starts_with("localhost") || host.starts_with("127.")
                 ? "http"
                 : "https";
  }
  return scheme + "://" + host + std::string(path);
}

}  // namespace cocity::apps::cocreation
