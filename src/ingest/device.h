// A registered device: what it is, which entity it feeds and how its
// payloads are decoded.
//
// Devices are stored as NGSI-LD entities of the Smart Data Model type
// "Device" (id urn:ngsi-ld:Device:<id>) in their tenant, written through
// the broker, so they are durable and queryable like any entity:
//   devEUI             Property, 16 upper-case hex digits (absent if none)
//   controlledAsset    Relationship to the entity the device feeds
//   controlledAssetType Property, that entity's type (a Smart Data Model
//                      type: WasteContainer, AirQualityObserved, ...)
//   payloadProfile     Property, a profile name (payload_profile.h)
//   profileParameters  Property, an object (e.g. {"depth_m": 1.2})
//   location           GeoProperty, where the device is (optional)
//   kDeviceKeyHashIri  hex SHA-256 of the device's own key, a private
//                      attribute (ngsi/entity.h): no API ever returns it.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/json.h"
#include "core/time.h"
#include "ngsi/entity.h"

namespace cocity::ingest {

struct Device {
  std::string tenant;       // "" is the default tenant
  std::string id;           // 1-64 of [A-Za-z0-9._-]
  std::string dev_eui;      // normalized, or "" when not LoRaWAN
  std::string entity_id;    // absolute URI of the entity it feeds
  std::string entity_type;  // compact type name
  std::string profile;      // a payload profile name
  json::object params;      // profile parameters
  json::value location;     // GeoJSON geometry, or null
  std::string key_hash;     // hex SHA-256 of the device key
};

inline constexpr std::string_view kDeviceType = "Device";
inline constexpr std::string_view kDeviceKeyHashIri =
    "urn:cocity:private:deviceKeyHash";

// "urn:ngsi-ld:Device:<id>".
std::string device_entity_id(std::string_view id);

bool valid_device_id(std::string_view id);

// "00-04-a3-0b-00-1c-05-30", "0004a30b001c0530" -> "0004A30B001C0530";
// kBadRequestData unless 16 hex digits remain.
Result<std::string> normalize_dev_eui(std::string_view text);

// Reads a device from the API's JSON body:
//   {"id": "wc-17", "devEUI": "...", "profile": "milesight-em500-udl",
//    "params": {"depth_m": 1.2},
//    "entity": {"id": "urn:ngsi-ld:WasteContainer:17",
//               "type": "WasteContainer"},          // type optional
//    "location": {"type": "Point", "coordinates": [7.76, 49.44]}}
// The entity id defaults to urn:ngsi-ld:<type>:<device id>. Errors are
// kBadRequestData naming the member.
Result<Device> parse_device(const json::value& body, std::string tenant);

// The API representation (no key hash).
json::object device_to_json(const Device& device);

// The Device entity in normalized NGSI-LD JSON, without the key hash.
json::object device_to_entity_json(const Device& device);

// The Device entity as stored, created or modified at `now`: the JSON
// above parsed, plus the key hash as a private attribute (the parser
// refuses private names, so it is added afterwards).
Result<ngsi::Entity> device_to_entity(const Device& device, TimePoint now);

// Reads a stored Device entity back; kNotFound when the entity is not one
// of ours (no payloadProfile).
Result<Device> device_from_entity(const ngsi::Entity& entity,
                                  std::string tenant);

}  // namespace cocity::ingest
