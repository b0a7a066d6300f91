#include "sim/mqtt_publisher.h"

#include <mosquitto.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>

#include "sim/endpoint_url.h"

namespace cocity::sim {

namespace {

constexpr int kQos = 1;
constexpr int kMaxInflight = 1000;

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

class MqttPublisher final : public Publisher {
 public:
  explicit MqttPublisher(MqttTarget target)
      : target_(std::move(target)),
        topic_("ngsi-ld/" + target_.tenant + "/entities") {}

  ~MqttPublisher() override {
    if (mosq_ == nullptr) return;
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, false);
    mosquitto_destroy(mosq_);
  }

  Status connect() {
    init_library();
    std::string client_id = "cocity-sim-" + std::to_string(getpid());
    mosq_ = mosquitto_new(client_id.c_str(), true, this);
    if (mosq_ == nullptr) return fail(Code::kInternal, "mosquitto_new failed");
    mosquitto_max_inflight_messages_set(mosq_, kMaxInflight);
    mosquitto_publish_callback_set(mosq_, [](mosquitto*, void* self, int) {
      static_cast<MqttPublisher*>(self)->on_acked();
    });
    int rc = mosquitto_connect(mosq_, target_.host.c_str(), target_.port, 30);
    if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_loop_start(mosq_);
    if (rc != MOSQ_ERR_SUCCESS) {
      return fail(Code::kUnavailable, "cannot connect to the MQTT broker at " +
                                          name() + ": " +
                                          mosquitto_strerror(rc));
    }
    return ok();
  }

  Status publish(const std::vector<json::object>& fragments) override {
    std::string payload;
    for (const auto& f : fragments) {
      payload.clear();
      append_json(f, &payload);
      {
        std::unique_lock lock(mutex_);
        // Keep at most kMaxInflight unacknowledged messages.
        if (!acked_.wait_for(lock, target_.timeout,
                             [this] { return pending_ < kMaxInflight; })) {
          return fail(Code::kUnavailable,
                      "MQTT broker at " + name() + " does not acknowledge");
        }
        ++pending_;
      }
      int rc = mosquitto_publish(mosq_, nullptr, topic_.c_str(),
                                 static_cast<int>(payload.size()),
                                 payload.data(), kQos, false);
      if (rc != MOSQ_ERR_SUCCESS) {
        std::lock_guard lock(mutex_);
        --pending_;
        return fail(Code::kUnavailable, std::string("MQTT publish failed: ") +
                                            mosquitto_strerror(rc));
      }
    }
    std::unique_lock lock(mutex_);
    if (!acked_.wait_for(lock, target_.timeout,
                         [this] { return pending_ == 0; })) {
      return fail(Code::kUnavailable,
                  "MQTT broker at " + name() + " does not acknowledge");
    }
    return ok();
  }

  std::string name() const override {
    return "mqtt://" + target_.host + ":" + std::to_string(target_.port);
  }

 private:
  void on_acked() {
    std::lock_guard lock(mutex_);
    if (pending_ > 0) --pending_;
    acked_.notify_all();
  }

  MqttTarget target_;
  std::string topic_;
  mosquitto* mosq_ = nullptr;
  std::mutex mutex_;
  std::condition_variable acked_;
  int pending_ = 0;
};

}  // namespace

Result<MqttTarget> parse_mqtt_url(std::string_view url) {
  auto endpoint = parse_endpoint_url(url, "mqtt", 1883);
  if (!endpoint) return std::unexpected(endpoint.error());
  MqttTarget t;
  t.host = std::move(endpoint->host);
  t.port = endpoint->port;
  return t;
}

Result<std::unique_ptr<Publisher>> make_mqtt_publisher(
    const MqttTarget& target) {
  auto p = std::make_unique<MqttPublisher>(target);
  if (auto s = p->connect(); !s) return std::unexpected(s.error());
  return std::unique_ptr<Publisher>(std::move(p));
}

}  // namespace cocity::sim
