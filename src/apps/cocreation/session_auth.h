// The co-creation app's browser sessions over HTTP: the cookie that carries
// the session token (docs/cocreation.md, "Sessions and CSRF") and the CSRF
// check on writes. Shared by the app's route files.
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

}  // namespace cocity::apps::cocreation
