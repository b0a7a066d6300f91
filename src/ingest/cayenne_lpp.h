// Cayenne Low Power Payload (LPP), as specified by myDevices and used by
// many generic LoRaWAN nodes (and TTS's built-in "CayenneLPP" formatter).
//
// Frame: a sequence of [channel (1 byte)][type (1 byte)][data], big-endian.
// Types decoded (IPSO id - 3200):
//   0 digital input (1 B)        1 digital output (1 B)
//   2 analog input (2 B, 0.01 signed)   3 analog output (2 B, 0.01 signed)
//   101 illuminance (2 B, 1 lux unsigned)   102 presence (1 B)
//   103 temperature (2 B, 0.1 degC signed)  104 humidity (1 B, 0.5 %)
//   113 accelerometer (3 x 2 B, 0.001 G signed)
//   115 barometer (2 B, 0.1 hPa unsigned)
//   134 gyrometer (3 x 2 B, 0.01 deg/s signed)
//   136 GPS (3 B lat, 3 B lon at 0.0001 deg, 3 B altitude at 0.01 m, signed)
// Attribute names: temperature, relativeHumidity (0..1 as in the Smart Data
// Models), atmosphericPressure, illuminance, presence, digitalInput,
// digitalOutput, analogInput, analogOutput, acceleration, angularVelocity,
// location (GeoProperty Point). A kind that appears again on another channel
// is named "<name>_<channel>" (temperature_2).
//
// Errors (kBadRequestData): an unknown type, a truncated value, an empty
// frame, a humidity over 100 %, a temperature below -273.15 degC, a
// position outside WGS84.
#pragma once

#include "ingest/measurement.h"

namespace cocity::ingest {

Result<Measurements> decode_cayenne_lpp(std::span<const uint8_t> bytes,
                                        const json::object& params);

}  // namespace cocity::ingest
