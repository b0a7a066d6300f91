// Ultrasonic fill-level sensor for waste containers: the Milesight
// EM500-UDL (LoRaWAN), uplink format as documented by Milesight
// (github.com/Milesight-IoT/SensorDecoders, em500-udl): a sequence of
// [channel id][channel type][data], little-endian.
//   0x01 0x75  battery, 1 B, %
//   0x03 0x82  distance, 2 B unsigned, mm
//   0x83 0xE9  distance alarm: distance 2 B, mutation 2 B, alarm 1 B
//   0x20 0xCE  historical record: timestamp 4 B, distance 2 B (skipped:
//              only the current reading is stored)
//   0xFF 0x01/0x0B/0x0F/0xFE (1 B), 0x09/0x0A/0xFF (2 B), 0x16 (8 B):
//              device information, skipped
// Example: 01 75 64 03 82 1E 00 = battery 100 %, distance 30 mm.
//
// The container turns distance into the Smart Data Model WasteContainer's
// fillingLevel (0 empty .. 1 full). Profile parameters:
//   depth_m          distance from the sensor to the container's bottom
//                    (required, > 0)
//   full_distance_m  distance from the sensor when full (default 0)
// fillingLevel = (depth - distance) / (depth - full_distance), clamped to
// [0, 1]. Measurements: fillingLevel, distance (MMT), batteryLevel (0..1).
//
// Errors (kBadRequestData): missing or bad depth_m, an unknown channel, a
// truncated value, a distance of 0 mm or beyond twice the depth (no echo
// or a reflection off something outside the container).
#pragma once

#include "ingest/measurement.h"

namespace cocity::ingest {

Result<Measurements> decode_fill_level(std::span<const uint8_t> bytes,
                                       const json::object& params);

// The fill ratio for a distance, as above. REQUIRES: depth_m > full_m.
double filling_level(double distance_m, double depth_m, double full_m);

}  // namespace cocity::ingest
