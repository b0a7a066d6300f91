// PM air-quality node: the Decentlab DL-PM (Sensirion SPS30 particulate
// matter sensor, SHT temperature/humidity, barometer), Decentlab's
// documented protocol version 2 (github.com/decentlab/decentlab-decoders,
// DL-PM). All integers are big-endian.
//   byte 0     protocol version, must be 2
//   bytes 1-2  device id
//   bytes 3-4  flags: bit i set = sensor group i present, in order
//   then the groups' 16-bit words:
//     group 0 (1 word)  battery voltage, mV
//     group 1 (10 words) PM1.0, PM2.5, PM4, PM10 mass concentration
//                       (x / 10 ug/m3), typical particle size (nm), PM0.5,
//                       PM1.0, PM2.5, PM4, PM10 number concentration
//     group 2 (2 words) temperature 175.72 x / 65536 - 46.85 degC,
//                       humidity 125 x / 65536 - 6 %
//     group 3 (1 word)  barometric pressure, 2 x Pa
// Example: 02 1B50 000F 0C25 0025 0027 0027 0027 01F5 0107 012C 012D 012D
//          012D 67BD 618D BD10 -> battery 3.109 V, PM2.5 3.9 ug/m3, 24.36
//          degC, 41.6 %, 968 hPa.
//
// Measurements (Smart Data Model AirQualityObserved names): pm1, pm25,
// pm4, pm10 (GQ), temperature (CEL), relativeHumidity (0..1),
// atmosphericPressure (A97), batteryVoltage (VLT). NO2 is not part of the
// DL-PM frame: nodes with an NO2 cell (Decentlab's DL-AC needs per-unit
// calibration of raw cell voltages) report it through their network
// server's decoded payload or as plain JSON ("no2"), which the same device
// profile maps (see docs/ingest.md).
//
// Errors (kBadRequestData): another protocol version, a frame shorter than
// its flags announce, unknown flag bits, a PM value over the sensor's range
// of 1000 ug/m3, humidity outside 0..100 % (2 % tolerance, clamped).
#pragma once

#include "ingest/measurement.h"

namespace cocity::ingest {

Result<Measurements> decode_air_quality(std::span<const uint8_t> bytes,
                                        const json::object& params);

}  // namespace cocity::ingest
