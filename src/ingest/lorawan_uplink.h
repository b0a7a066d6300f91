// LoRaWAN uplinks as network servers forward them, over HTTP webhooks and
// over their MQTT integrations.
//
// The Things Stack v3 (webhook "uplink message" and MQTT
// v3/<app>@<tenant>/devices/<dev>/up):
//   {"end_device_ids": {"device_id": "...", "dev_eui": "0004A30B001C0530",
//                       "application_ids": {"application_id": "..."}},
//    "received_at": "2026-11-25T08:00:00.123456789Z",
//    "uplink_message": {"f_port": 15, "frm_payload": "<base64>",
//                       "decoded_payload": {...}, "received_at": "..."}}
// ChirpStack v4 (HTTP integration ?event=up, MQTT
// application/<app>/device/<devEUI>/event/up), protobuf JSON:
//   {"time": "2026-11-25T08:00:00Z",
//    "deviceInfo": {"devEui": "0101010101010101", "deviceName": "..."},
//    "fPort": 15, "data": "<base64>", "object": {...}}
//
// observedAt of the readings is the uplink's time (uplink_message
// .received_at, else received_at; ChirpStack: time), else "now".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "core/time.h"

namespace cocity::ingest {

struct Uplink {
  std::string dev_eui;      // normalized
  std::string device_name;  // the network server's device id
  uint32_t f_port = 0;
  std::vector<uint8_t> payload;        // decoded from base64; may be empty
  std::optional<json::value> decoded;  // decoded_payload / object
  std::optional<TimePoint> time;
};

// Errors: kInvalidRequest for malformed JSON or base64, kBadRequestData for
// a missing or invalid DevEUI or time, or neither payload nor decoded
// object. Both accept at most `max_depth` JSON nesting.
Result<Uplink> parse_tts_uplink(std::string_view body);
Result<Uplink> parse_chirpstack_uplink(std::string_view body);

}  // namespace cocity::ingest
