// Measurements of a device -> the NGSI-LD fragment upserted into the entity
// it feeds.
//
// Each measurement becomes a Property {"value", "observedAt", "unitCode"}
// (a GeoProperty for geometries) named as the measurement; the fragment
// carries the entity's id and type, so the first reading creates the
// entity. Names are expanded with the core context (Smart Data Model
// names join the default vocabulary, as for any client using the core
// context only).
#pragma once

#include "core/error.h"
#include "core/time.h"
#include "ingest/device.h"
#include "ingest/measurement.h"
#include "ngsi/entity_parser.h"

namespace cocity::ingest {

// kBadRequestData when a value is not acceptable to NGSI-LD.
Result<ngsi::Fragment> make_reading_fragment(const Device& device,
                                             const Measurements& values,
                                             TimePoint observed_at,
                                             TimePoint now);

// The fragment that announces a newly registered device's entity: type,
// location (when the device has one) and refDevice.
Result<ngsi::Fragment> make_announce_fragment(const Device& device,
                                              TimePoint now);

}  // namespace cocity::ingest
