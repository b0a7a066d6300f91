// Readings that are not newer than what an entity already holds.
//
// MQTT at QoS 1 and LoRaWAN webhooks deliver at least once: after a crash
// between a commit and its PUBACK the broker sends the same messages again,
// and network servers retry webhooks. Devices also report late (a LoRaWAN
// retransmission, a gateway's backlog). For every attribute instance of an
// incoming fragment that carries its own observedAt, judged against the
// entity's current instance of the same datasetId:
//   - observed at the same time, with the same members (system times
//     aside): a duplicate. Dropped: no change, no history.
//   - observed earlier: a late reading. It does not replace the newer
//     current value; it goes to history only, unless the history already
//     holds an entry of that series at that time (a redelivered older
//     message; store::HistoryEntry::unless_stored).
//   - otherwise (no current instance, no observedAt on either side, newer):
//     merged as usual.
// Readings without their own time (observedAt set on receipt) cannot be
// told apart from new ones and are always merged.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/time.h"
#include "ngsi/entity.h"
#include "ngsi/entity_parser.h"
#include "store/store.h"

namespace cocity::ingest {

struct SortedReadings {
  // The fragment to merge when some instances were taken out; nullopt when
  // the original fragment is to be merged as it is (the common case: no
  // copy).
  std::optional<ngsi::Fragment> rest;
  std::vector<store::HistoryEntry> late;  // unless_stored set
  uint64_t duplicates = 0;
};

// `current`: the entity before the fragment (nullptr: not stored yet).
// `now`: the fragment's receipt time (the late entries' recorded time).
SortedReadings sort_out_old_readings(const ngsi::Fragment& fragment,
                                     const ngsi::Entity* current,
                                     TimePoint now);

}  // namespace cocity::ingest
