// The NGSI-LD subscription routes (ETSI GS CIM 009 v1.8, 5.8):
//
//   POST   /ngsi-ld/v1/subscriptions        create: 201 + Location
//   GET    /ngsi-ld/v1/subscriptions        list: limit, offset, count
//   GET    /ngsi-ld/v1/subscriptions/{id}   retrieve
//   PATCH  /ngsi-ld/v1/subscriptions/{id}   update: 204
//   DELETE /ngsi-ld/v1/subscriptions/{id}   delete: 204
//
// Per tenant (NGSILD-Tenant). The request's @context (Link header or body
// member) is stored with the subscription and used to compact its
// notifications. Errors are ProblemDetails: 400 naming the member, 404 for
// an unknown id, 409 for a taken id. docs/api.md has the details.
#pragma once

#include "broker/notifier.h"
#include "server/config.h"
#include "server/router.h"

namespace cocity::server {

// `notifier` must outlive the router's use.
void add_subscription_api(Router& router, broker::Notifier& notifier,
                          const Limits& limits);

// What `cocity serve` calls: opens <data_dir>/subscriptions.db, starts the
// notifier on `broker` (delivering notifications left pending by the last
// run), adds the routes. The caller keeps the notifier alive while the
// server runs and destroys it before the broker. `ca_file`: extra CAs for
// https endpoints (ServerConfig::ca_file).
Result<std::unique_ptr<broker::Notifier>> start_subscriptions(
    Router& router, broker::Broker& broker, const std::string& data_dir,
    const Limits& limits, const std::string& ca_file = "");

}  // namespace cocity::server
