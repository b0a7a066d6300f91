// The NGSI-LD API (ETSI GS CIM 009 v1.8) under /ngsi-ld/v1: entities,
// attributes and batch entity operations, bound to the broker.
//
// Handlers validate at the edge (ngsi_request.h), turn requests into broker
// mutations (broker/entity_ops.h) and reply after the store has made the
// change durable. docs/api.md lists what is supported.
#pragma once

#include "broker/broker.h"
#include "server/config.h"
#include "server/router.h"

namespace cocity::server {

// `broker` must outlive the router's use.
void add_ngsi_api(Router& router, broker::Broker& broker, const Limits& limits);

}  // namespace cocity::server
