// cocity's MQTT client: libmosquitto, MQTT 5, its own network thread.
//
// start() connects in the background (mosquitto_loop_start) and returns at
// once; a broker that is down or goes away is retried with exponential
// backoff (1 s doubling to 30 s, libmosquitto's reconnect delay), and the
// subscriptions are renewed on every (re)connect. With `share_group` set,
// each topic is subscribed as "$share/<group>/<topic>" so that several
// cocity nodes split one stream (MQTT 5 shared subscriptions).
//
// Messages are handed to `handler` on the network thread, one at a time,
// in order. The handler may block (backpressure): the thread then stops
// reading its socket, and the broker queues (QoS 1, up to its
// max_queued_messages) or drops (QoS 0 beyond its limits) further messages.
//
// Delivery guarantee: libmosquitto acknowledges a QoS 1 message (PUBACK)
// when it has read it, before the handler runs. So QoS 1 protects the hop
// from the broker to cocity's process; once received, a message is
// at-most-once: a crash loses what the ingestion window held but had not
// committed yet (at most BatcherOptions::max_pending readings). QoS 2 is
// not used. `receive_maximum` (MQTT 5) lets the broker keep that many QoS 1
// messages in flight to us (the default 20 of libmosquitto halves QoS 1
// throughput).
//
// Thread-safe; stop() (and the destructor) disconnect and join the thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

struct mosquitto;  // NOLINT(readability-identifier-naming): libmosquitto's

namespace cocity::ingest {

struct MqttOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 1883;
  std::string client_id;            // "" picks "cocity-<pid>-<n>"
  std::vector<std::string> topics;  // empty: default_topics()
  int qos = 1;                      // 0 or 1
  std::string share_group;          // "" = ordinary subscriptions
  int keepalive_s = 30;
  int receive_maximum = 1000;
};

// "mqtt://host[:port]" (port defaults to 1883). kInvalidRequest otherwise
// (mqtts:// is not supported yet).
Result<MqttOptions> parse_mqtt_url(std::string_view url);

class MqttClient {
 public:
  using Handler =
      std::function<void(std::string_view topic, std::string_view payload)>;

  MqttClient(MqttOptions options, Handler handler);
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // kInternal when libmosquitto cannot create the client or its thread.
  // A broker that is not reachable yet is not an error (retried).
  Status start();
  void stop();

  bool connected() const { return connected_.load(); }
  // Successful connections so far (1 after the first, more after
  // reconnects).
  uint64_t connects() const { return connects_.load(); }
  // Subscriptions acknowledged by the broker since start.
  uint64_t subscribed() const { return subscribed_.load(); }

 private:
  friend struct MqttCallbacks;  // libmosquitto's callbacks (mqtt_client.cc)

  MqttOptions options_;
  Handler handler_;
  struct mosquitto* mosq_ = nullptr;
  bool running_ = false;
  std::atomic<bool> connected_{false};
  std::atomic<uint64_t> connects_{0};
  std::atomic<uint64_t> subscribed_{0};
};

}  // namespace cocity::ingest
