// Binds live sessions (live_sessions.h) to the server's router: the
// moderator routes (session cookie + X-CSRF-Token, moderator role), the
// public participant routes and the WebSocket. The contract is in
// docs/cocreation.md ("Live sessions").
#pragma once

#include <memory>

#include "apps/cocreation/idea_catalogue.h"
#include "core/time.h"
#include "server/router.h"
#include "store/cocreation_store.h"

namespace cocity::apps::cocreation {

struct LiveRoutesOptions {
  std::shared_ptr<store::CocreationStores> stores;
  std::shared_ptr<const IdeaCatalogue> catalogue;
  const Clock* clock = Clock::system();
};

void add_live_routes(server::Router& router, LiveRoutesOptions options);

}  // namespace cocity::apps::cocreation
