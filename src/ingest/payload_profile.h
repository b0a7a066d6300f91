// Payload profiles: how a device's uplinks become measurements.
//
// A device in the registry names one profile. Binary profiles decode the
// uplink bytes (LoRaWAN frm_payload/data, or the raw MQTT payload on a
// device topic) with their decoder; the "json" profile maps a JSON object
// of measurements (see decode_json_measurements). Each profile has a
// default Smart Data Model type for the entity the device feeds.
//
//   name                  product                          entity type
//   cayenne-lpp           any Cayenne LPP node             Device
//   milesight-em500-udl   Milesight EM500-UDL fill level   WasteContainer
//   decentlab-dl-pm       Decentlab DL-PM particulates     AirQualityObserved
//   parametric-tcr        Parametric TCR radar counter     TrafficFlowObserved
//   json                  plain JSON measurements          (given per device)
#pragma once

#include <span>
#include <string_view>

#include "ingest/measurement.h"

namespace cocity::ingest {

struct PayloadProfile {
  std::string_view name;
  std::string_view product;
  std::string_view entity_type;    // default type; "" = must be given
  BinaryDecoder decode = nullptr;  // null: JSON measurements
};

// Every built-in profile. Lives forever.
std::span<const PayloadProfile> payload_profiles();

// The profile called `name`, or nullptr.
const PayloadProfile* find_profile(std::string_view name);

// Plain JSON measurements: an object whose members are attribute names and
// values (numbers, strings, booleans, or objects/arrays kept as values);
// "location" holding a GeoJSON geometry becomes a GeoProperty. Members
// "id", "type", "@context" and "observedAt" are not measurements and are
// skipped. Errors (kBadRequestData): not an object, an invalid attribute
// name, null values, more than 100 members.
Result<Measurements> decode_json_measurements(const json::value& doc);

}  // namespace cocity::ingest
