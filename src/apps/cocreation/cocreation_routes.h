// Binds the co-creation app to the server's router under /api/v1/ (the
// endpoint list is in docs/cocreation.md).
//
// Authentication is the app's own: a session cookie ("cocity_session", or
// "cocity_session_<tenant>" for a named tenant) set by POST
// /api/v1/auth/login. Writes authenticated by the cookie need the header
// X-CSRF-Token (403 otherwise). Respondents use their invitation token in the
// header X-Invitation-Token. The only route that uses the server's API keys
// is POST /api/v1/cocreation/bootstrap (role admin), which creates a
// tenant's first admin account. Tenants come from the NGSILD-Tenant header.
//
// Errors become ProblemDetails through server::problem_response.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "core/time.h"
#include "server/router.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

struct RoutesOptions {
  std::string data_dir;        // databases go to <data_dir>/cocreation/
  std::string catalogue_path;  // data/ideas/catalogue.json
  const Clock* clock = Clock::system();
  // The tenants' databases, shared with the mail sender; null: opened from
  // data_dir.
  std::shared_ptr<store::CocreationStores> stores;
};

// Loads the catalogue and registers the routes. Fails (nothing registered)
// when the catalogue cannot be read or is invalid.
Status add_cocreation_routes(server::Router& router,
                             const RoutesOptions& options);

}  // namespace cocity::apps::cocreation
