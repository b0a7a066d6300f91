// Test and benchmark support: a synchronous-enough MQTT publisher on
// libmosquitto (its own network thread), and a subscriber that counts.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

struct mosquitto;  // NOLINT(readability-identifier-naming): libmosquitto's

namespace cocity::test {

class MqttPublisher {
 public:
  MqttPublisher();
  ~MqttPublisher();
  MqttPublisher(const MqttPublisher&) = delete;
  MqttPublisher& operator=(const MqttPublisher&) = delete;

  // Connects (MQTT 5) and waits for CONNACK (5 s).
  Status connect(uint16_t port);
  // Queues one message; with QoS 1 at most `max_inflight` are unacknowledged.
  Status publish(std::string_view topic, std::string_view payload, int qos);
  // Waits until every QoS 1 message was acknowledged and the output queue
  // is written (timeout 30 s).
  Status flush();
  uint64_t acked() const { return acked_.load(); }

 private:
  struct mosquitto* mosq_ = nullptr;
  std::atomic<bool> connected_{false};
  std::atomic<uint64_t> sent_qos1_{0};
  std::atomic<uint64_t> acked_{0};
  friend struct PublisherCallbacks;
};

// Subscribes to `topic` and counts the messages it receives.
class MqttCounter {
 public:
  MqttCounter();
  ~MqttCounter();
  Status connect(uint16_t port, const std::string& topic, int qos);
  uint64_t count() const { return count_.load(); }

 private:
  struct mosquitto* mosq_ = nullptr;
  std::string topic_;
  int qos_ = 0;
  std::atomic<bool> subscribed_{false};
  std::atomic<uint64_t> count_{0};
  friend struct PublisherCallbacks;
};

}  // namespace cocity::test
