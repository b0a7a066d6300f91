#include "sim/mqtt_publisher.h"

#include <mosquitto.h>
#include <unistd.h>

#include <charconv>
#include <condition_variable>
#include <mutex>

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
  constexpr std::string_view kScheme = "mqtt://";
  if (!url.starts_with(kScheme)) {
    return fail(
        Code::kBadRequestData,
        "MQTT URL must start with mqtt://, not '" + std::string(url) + "'");
  }
  url.remove_prefix(kScheme.size());
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  MqttTarget t;
  size_t colon = url.rfind(':');
  t.host = std::string(url.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view port = url.substr(colon + 1);
    unsigned p = 0;
    auto r = std::from_chars(port.data(), port.data() + port.size(), p);
    if (r.ec != std::errc() || r.ptr != port.data() + port.size() || p == 0 ||
        p > 65535) {
      return fail(Code::kBadRequestData,
                  "bad port in MQTT URL: '" + std::string(port) + "'");
    }
    t.port = static_cast<uint16_t>(p);
  }
  if (t.host.empty() || t.host.find('/') != std::string::npos) {
    return fail(Code::kBadRequestData,
                "MQTT URL needs a host and no path: 'mqtt://HOST:PORT'");
  }
  return t;
}

Result<std::unique_ptr<Publisher>> make_mqtt_publisher(
    const MqttTarget& target) {
  auto p = std::make_unique<MqttPublisher>(target);
  if (auto s = p->connect(); !s) return std::unexpected(s.error());
  return std::unique_ptr<Publisher>(std::move(p));
}

}  // namespace cocity::sim
