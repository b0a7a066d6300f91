// Publishes readings to an MQTT broker, one message per reading, on the
// topic cocity ingests NGSI-LD fragments from: ngsi-ld/<tenant>/entities
// (src/ingest/topic.h), with QoS 1. publish() returns once the broker has
// acknowledged every message (or fails after the timeout).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/error.h"
#include "sim/simulator.h"

namespace cocity::sim {

struct MqttTarget {
  std::string host = "127.0.0.1";
  uint16_t port = 1883;
  std::string tenant;  // topic level; empty for the default tenant
  std::chrono::milliseconds timeout{10000};
};

// Parses "mqtt://HOST:PORT" (port 1883 if absent).
Result<MqttTarget> parse_mqtt_url(std::string_view url);

// Connects now; kUnavailable if the broker cannot be reached.
Result<std::unique_ptr<Publisher>> make_mqtt_publisher(
    const MqttTarget& target);

}  // namespace cocity::sim
