// What the co-creation routes read from a browser's request: the cookie
// that carries the session token (docs/cocreation.md, "Sessions and CSRF"),
// the CSRF check on writes, and the public address for links in mails and
// QR codes. Shared by the app's route files.
#pragma once

#include <string>
#include <string_view>

#include "apps/cocreation/accounts.h"
#include "core/error.h"
#include "server/http.h"

namespace cocity::apps::cocreation {

// "cocity_session", or "cocity_session_<tenant>" for a named tenant.
std::string session_cookie_name(std::string_view tenant);

// The value of cookie `name` in the request's Cookie header; "" if absent.
std::string cookie_value(const server::HttpRequest& req, std::string_view name);

// The account behind the request's session cookie: kUnauthorized without a
// valid session, kForbidden for a write (not GET/HEAD) without the session's
// X-CSRF-Token. Sets `*session_token` (when not null) to the cookie's token.
Result<Caller> authenticate_session(Accounts& accounts,
                                    const server::HttpRequest& req,
                                    std::string* session_token = nullptr);

// "<scheme>://<host><path>" as the browser reached the server: the Host
// header, and the scheme from X-Forwarded-Proto (behind a TLS proxy), else
// http for localhost and 127.x and https for any other host.
std::string public_url(const server::HttpRequest& req, std::string_view path);

}  // namespace cocity::apps::cocreation
