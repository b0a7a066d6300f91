// Radar traffic counter: the Parametric TCR (TCR-LS/-S/-HS), LoRaWAN
// application payload versions 1 and 2 as documented by Parametric
// (parametric.ch/docs/tcr, "tcr_payload_v1"/"v2", sent on port 15).
// Big-endian.
//   bytes 0-2  0xBE (vendor), 0x02 (TCR family), payload version 1 or 2
//   v1: 1 B solar battery %        v2: 2 B solar battery voltage, mV
//   2 B solar panel power (mW), 2 B signed device temperature (0.1 degC)
//   4 speed classes, each: 2 B count left-to-right, 1 B average speed
//   left-to-right (km/h), 2 B count right-to-left, 1 B average speed.
// Configuration frames (port 190, 27 bytes) carry no counts and decode to
// no measurements.
//
// Measurements (Smart Data Model TrafficFlowObserved): intensity (vehicles
// in the counting interval, both directions), averageVehicleSpeed (KMH,
// weighted by the class counts; absent when nothing passed), and per
// direction intensityLeftToRight / intensityRightToLeft.
//
// Errors (kBadRequestData): another vendor or family, an unknown version, a
// frame whose length is neither a count frame nor a configuration frame, an
// average speed over 250 km/h.
#pragma once

#include "ingest/measurement.h"

namespace cocity::ingest {

Result<Measurements> decode_traffic_counter(std::span<const uint8_t> bytes,
                                            const json::object& params);

}  // namespace cocity::ingest
