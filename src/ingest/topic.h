// The MQTT topics cocity ingests and what each carries.
//
//   ngsi-ld/<tenant>/entities                  NGSI-LD entity fragment(s)
//                                              (object or array), upserted
//   devices/<tenant>/<deviceId>/up             a registered device's payload
//                                              (bytes or JSON, per profile)
//   v3/<app>@<tts-tenant>/devices/<dev>/up     The Things Stack v3 uplink
//   application/<app>/device/<devEUI>/event/up ChirpStack v4 uplink event
//
// An empty <tenant> level ("ngsi-ld//entities") is the default tenant.
// LoRaWAN topics are resolved through the DevEUI in the message, so the
// network server's own tenant/application names need not match cocity's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cocity::ingest {

enum class TopicKind { kEntities, kDevice, kTts, kChirpStack };

struct Topic {
  TopicKind kind = TopicKind::kEntities;
  std::string tenant;  // kEntities, kDevice
  std::string device;  // kDevice: device id; kChirpStack: DevEUI from topic
};

// kInvalidRequest for a topic of none of these shapes or an invalid tenant.
Result<Topic> parse_topic(std::string_view topic);

// The subscriptions that cover every shape above (with '+' wildcards).
std::vector<std::string> default_topics();

}  // namespace cocity::ingest
