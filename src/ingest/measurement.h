// What a payload decoder produces: named values for the entity a device
// feeds, before they become an NGSI-LD fragment.
//
// Names are Smart Data Model attribute names (fillingLevel, pm25, intensity,
// ...); units are UN/CEFACT common codes (the NGSI-LD "unitCode"): CEL for
// degrees Celsius, GQ for micrograms per cubic metre, MMT for millimetres,
// KMH for km/h, P1 for percent, A97 for hectopascal, LUX, VLT for volt.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace cocity::ingest {

struct Measurement {
  std::string name;       // attribute name, a valid NGSI-LD name
  json::value value;      // number, string, bool, or a GeoJSON geometry
  std::string unit_code;  // "" when the value has no unit
  bool geo = false;       // value is a GeoJSON geometry (a GeoProperty)
};

using Measurements = std::vector<Measurement>;

// A binary payload decoder: the uplink's bytes and the device's profile
// parameters -> measurements. Errors are kBadRequestData whose detail says
// what is malformed or out of range ("distance 0 mm is out of range").
// Decoders never read outside `bytes` and never throw.
using BinaryDecoder = Result<Measurements> (*)(std::span<const uint8_t> bytes,
                                               const json::object& params);

// Appends a numeric measurement.
inline void add_number(Measurements* out, std::string name, double value,
                       std::string unit_code = {}) {
  out->push_back(
      Measurement{std::move(name), json::value(value), std::move(unit_code)});
}

}  // namespace cocity::ingest
