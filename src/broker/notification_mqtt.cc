// MQTT notifications with libmosquitto: one client per endpoint queue,
// connected on first use and again after an error; each publish waits (at
// most the timeout) until libmosquitto reports it sent (QoS 0) or
// acknowledged (QoS 1, 2).
#include <mosquitto.h>

#include <chrono>
#include <mutex>

#include "broker/notification_sender.h"
#include "core/json.h"

namespace cocity::broker {
namespace {

using Clock = std::chrono::steady_clock;

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

// The MQTT message of a notification (NGSI-LD v1.8, 7.3.3 style): the HTTP
// headers it would have carried as "metadata", the notification as "body".
std::string mqtt_payload(const Endpoint& endpoint,
                         const OutgoingNotification& message) {
  json::object metadata;
  metadata["Content-Type"] = message.content_type;
  if (!message.link.empty()) metadata["Link"] = message.link;
  if (!message.tenant.empty()) metadata["NGSILD-Tenant"] = message.tenant;
  for (const auto& [k, v] : endpoint.receiver_info) metadata[k] = v;
  json::object out;
  out["metadata"] = std::move(metadata);
  auto body = parse_json(message.body);
  out["body"] = body ? std::move(*body) : json::value(message.body);
  return to_json(out);
}

class MqttSender final : public NotificationSender {
 public:
  explicit MqttSender(std::chrono::milliseconds timeout) : timeout_(timeout) {
    init_library();
  }
  ~MqttSender() override { close(); }

  Status send(const Endpoint& endpoint,
              const OutgoingNotification& message) override {
    if (!mosq_) {
      if (auto s = connect(endpoint); !s) return s;
    }
    std::string payload = mqtt_payload(endpoint, message);
    int mid = 0;
    published_ = -1;
    int rc = mosquitto_publish(mosq_, &mid, endpoint.target.c_str(),
                               static_cast<int>(payload.size()), payload.data(),
                               endpoint.mqtt_qos, false);
    if (rc != MOSQ_ERR_SUCCESS) {
      close();
      return unavailable(endpoint, mosquitto_strerror(rc));
    }
    auto deadline = Clock::now() + timeout_;
    while (published_ != mid) {
      if (Clock::now() >= deadline) {
        close();
        return unavailable(endpoint, "publish not confirmed in time");
      }
      rc = mosquitto_loop(mosq_, 20, 1);
      if (rc != MOSQ_ERR_SUCCESS) {
        close();
        return unavailable(endpoint, mosquitto_strerror(rc));
      }
    }
    return ok();
  }

 private:
  Status connect(const Endpoint& endpoint) {
    mosq_ = mosquitto_new(nullptr, true, this);
    if (!mosq_) return unavailable(endpoint, "cannot create an MQTT client");
    mosquitto_connect_callback_set(mosq_, [](mosquitto*, void* self, int rc) {
      static_cast<MqttSender*>(self)->connack_ = rc;
    });
    mosquitto_publish_callback_set(mosq_, [](mosquitto*, void* self, int mid) {
      static_cast<MqttSender*>(self)->published_ = mid;
    });
    connack_ = -1;
    int rc = mosquitto_connect(mosq_, endpoint.host.c_str(), endpoint.port, 30);
    if (rc != MOSQ_ERR_SUCCESS) {
      close();
      return unavailable(endpoint, rc == MOSQ_ERR_ERRNO
                                       ? "cannot connect"
                                       : mosquitto_strerror(rc));
    }
    auto deadline = Clock::now() + timeout_;
    while (connack_ < 0 && Clock::now() < deadline) {
      if (mosquitto_loop(mosq_, 20, 1) != MOSQ_ERR_SUCCESS) break;
    }
    if (connack_ != 0) {
      close();
      return unavailable(endpoint, "the MQTT broker did not accept us");
    }
    return ok();
  }

  void close() {
    if (!mosq_) return;
    mosquitto_disconnect(mosq_);
    mosquitto_destroy(mosq_);
    mosq_ = nullptr;
  }

  static std::unexpected<Error> unavailable(const Endpoint& endpoint,
                                            std::string_view what) {
    return fail(Code::kUnavailable,
                "notification to '" + endpoint.uri + "': " + std::string(what));
  }

  std::chrono::milliseconds timeout_;
  mosquitto* mosq_ = nullptr;
  int connack_ = -1;
  int published_ = -1;
};

}  // namespace

std::unique_ptr<NotificationSender> make_mqtt_sender(
    std::chrono::milliseconds timeout) {
  return std::make_unique<MqttSender>(timeout);
}

}  // namespace cocity::broker
