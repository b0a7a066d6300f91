// cocity's MQTT client: libmosquitto, MQTT 5, its own network thread.
//
// start() starts the thread and returns at once; the thread connects, and
// a broker that is down or goes away is retried with exponential backoff
// (1 s doubling to 30 s); the subscriptions are renewed on every
// (re)connect. With `share_group` set, each topic is subscribed as
// "$share/<group>/<topic>" so that several cocity nodes split one stream
// (MQTT 5 shared subscriptions).
//
// Messages are handed to `handler` on the network thread, one at a time,
// in order, each with a MessageHold. The handler may block
// (backpressure): the thread then stops reading its socket, and the broker
// queues (QoS 1, up to its max_queued_messages) or drops (QoS 0 beyond its
// limits) further messages.
//
// Delivery guarantee ("acknowledged" means "durable"): a QoS 1 message is
// acknowledged to the broker (PUBACK) only after the last copy of its
// MessageHold was released, i.e. after the consumer made it durable (or
// recorded it as a dead letter). libmosquitto queues a PUBACK while it
// handles a PUBLISH and writes it with the next socket write; this client
// drives libmosquitto's loop itself (mosquitto_loop_read/_write) and
// writes only after every message read in the round was released. Rounds
// are up to `receive_maximum` messages, so acknowledgements are batched
// like the commits behind them. Before waiting, the client calls `flush`
// (when given) so the consumer commits at once instead of lingering.
// A crash loses nothing the broker was told: it sends the unacknowledged
// messages again when the session survives, i.e. with a fixed `client_id`
// and `persistent_session` (MQTT 5 clean start off, session expiry
// `session_expiry_s`); with a clean session the broker drops them.
// Duplicates are possible after a crash (at-least-once). QoS 2 is not used.
// `receive_maximum` (MQTT 5) lets the broker keep that many QoS 1 messages
// in flight to us (libmosquitto's default of 20 halves QoS 1 throughput).
//
// Thread-safe; stop() (and the destructor) acknowledge what was released,
// disconnect and join the thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.h"

struct mosquitto;  // NOLINT(readability-identifier-naming): libmosquitto's

namespace cocity::ingest {

struct MqttOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 1883;
  std::string client_id;            // "" picks "cocity-<pid>-<n>"
  bool persistent_session = false;  // needs a fixed client_id
  uint32_t session_expiry_s = 86400;
  std::vector<std::string> topics;  // empty: default_topics()
  int qos = 1;                      // 0 or 1
  std::string share_group;          // "" = ordinary subscriptions
  int keepalive_s = 30;
  int receive_maximum = 10000;
};

// "mqtt://host[:port][?client_id=ID]" (port defaults to 1883). A client_id
// turns on the persistent session. kInvalidRequest otherwise (mqtts:// is
// not supported yet).
Result<MqttOptions> parse_mqtt_url(std::string_view url);

// Keeps a received message unacknowledged while any copy lives. Copy it
// into whatever finishes the message asynchronously; drop it when done.
using MessageHold = std::shared_ptr<void>;

class MqttClient {
 public:
  using Handler = std::function<void(
      std::string_view topic, std::string_view payload, MessageHold hold)>;

  MqttClient(MqttOptions options, Handler handler,
             std::function<void()> flush = nullptr);
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // kInternal when libmosquitto cannot create the client. A broker that is
  // not reachable yet is not an error (retried).
  Status start();
  void stop();

  bool connected() const { return connected_.load(); }
  // Successful connections so far (1 after the first, more after
  // reconnects).
  uint64_t connects() const { return connects_.load(); }
  // Subscriptions acknowledged by the broker since start.
  uint64_t subscribed() const { return subscribed_.load(); }
  // QoS 1 messages acknowledged to the broker so far.
  uint64_t acknowledged() const { return acknowledged_.load(); }

 private:
  friend struct MqttCallbacks;  // libmosquitto's callbacks (mqtt_client.cc)
  struct Holds;                 // messages not yet released

  void run();
  int connect_once();
  int loop_once();
  int read_round(int fd);
  bool await_holds();
  void sleep_backoff(int seconds);
  void finish();

  MqttOptions options_;
  Handler handler_;
  std::function<void()> flush_;
  std::shared_ptr<Holds> holds_;
  struct mosquitto* mosq_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  uint64_t round_qos1_ = 0;  // network thread only
  bool abandoned_ = false;   // network thread only
  std::atomic<bool> connected_{false};
  std::atomic<uint64_t> connects_{0};
  std::atomic<uint64_t> subscribed_{0};
  std::atomic<uint64_t> acknowledged_{0};
};

}  // namespace cocity::ingest
