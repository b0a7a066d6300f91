// The NGSI-LD temporal API (ETSI GS CIM 009 v1.8, 5.6.11-5.6.14, 5.7.3,
// 5.7.4) under /ngsi-ld/v1/temporal/entities, on the store's attribute
// history (store::TenantStore::history, docs/store.md "History").
//
// Reads: GET /temporal/entities/{id} and GET /temporal/entities (type, id,
// idPattern, attrs, q on the entity's current state), with timerel
// (before, after, between) + timeAt/endTimeAt, timeproperty (observedAt,
// modifiedAt, createdAt), lastN, and the representations normalized
// (instances with instanceId), temporalValues ([value, time] pairs) and
// aggregatedValues (aggrMethods over aggrPeriodDuration periods).
// Writes: POST /temporal/entities (create, or append instances to an
// existing entity), POST /temporal/entities/{id}/attrs (append), DELETE
// /temporal/entities/{id}, DELETE .../attrs/{attr} (datasetId, deleteAll),
// DELETE and PATCH .../attrs/{attr}/{instanceId}.
//
// Errors are ProblemDetails; bad timerel, times, durations, aggrMethods or
// lastN are 400 BadRequestData naming the parameter.
#pragma once

#include "broker/broker.h"
#include "server/config.h"
#include "server/router.h"
#include "store/store.h"

namespace cocity::server {

// `broker` and `store` must outlive the router's use.
void add_temporal_api(Router& router, broker::Broker& broker,
                      store::Store& store, const Limits& limits);

}  // namespace cocity::server
