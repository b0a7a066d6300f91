// The HTTP binding of ingestion (thin: parsing and replies only).
//
//   POST   /api/v1/lorawan/tts          The Things Stack v3 webhook (uplink)
//   POST   /api/v1/lorawan/chirpstack   ChirpStack v4 HTTP integration
//                                       (?event=up; other events: 204)
//   POST   /api/v1/devices              register; 201 with the device and
//                                       its "apiKey", shown once
//   GET    /api/v1/devices[/{id}]       list / one (never the key hash)
//   PUT    /api/v1/devices/{id}         replace (the key stays)
//   DELETE /api/v1/devices/{id}
//   POST   /api/v1/devices/{id}/up      a device's own push: header
//                                       X-Device-Key, tenant from
//                                       NGSILD-Tenant; body as for the
//                                       device topic (bytes or JSON)
//   GET    /api/v1/deadletters[?limit=N] newest first (default 100)
//
// Webhooks and pushes answer 204 once the readings are durable, 4xx with a
// ProblemDetails body for a bad message (also a dead letter), 503 when the
// ingestion window is full. Tenants come from NGSILD-Tenant. Roles: read
// for GETs, write for webhooks and device changes; the device push
// authenticates with the device key alone.
#pragma once

#include "ingest/ingestor.h"
#include "server/metrics.h"
#include "server/router.h"

namespace cocity::ingest {

// `ingestor` must outlive the router's use.
void add_ingest_routes(server::Router& router, Ingestor& ingestor);

// cocity_ingest_* counters and gauges read from the ingestor's stats.
void add_ingest_metrics(server::Metrics& metrics, Ingestor& ingestor);

}  // namespace cocity::ingest
