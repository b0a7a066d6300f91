#include "ingest/mqtt_client.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <charconv>
#include <mutex>

#include "ingest/topic.h"

namespace cocity::ingest {

namespace {

constexpr int kReconnectMinS = 1;
constexpr int kReconnectMaxS = 30;

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string next_client_id() {
  static std::atomic<int> n{0};
  return "cocity-" + std::to_string(getpid()) + "-" + std::to_string(n++);
}

}  // namespace

struct MqttCallbacks {
  static void on_connect(struct mosquitto* m, void* self, int rc, int /*flags*/,
                         const mosquitto_property* /*props*/) {
    auto* c = static_cast<MqttClient*>(self);
    if (rc != 0) {
      spdlog::warn("mqtt: connection refused by {}:{}: {}", c->options_.host,
                   c->options_.port, mosquitto_reason_string(rc));
      return;
    }
    c->connected_ = true;
    c->connects_.fetch_add(1);
    spdlog::info("mqtt: connected to {}:{}", c->options_.host,
                 c->options_.port);
    for (const auto& topic : c->options_.topics) {
      std::string filter =
          c->options_.share_group.empty()
              ? topic
              : "$share/" + c->options_.share_group + "/" + topic;
      int s = mosquitto_subscribe_v5(m, nullptr, filter.c_str(),
                                     c->options_.qos, 0, nullptr);
      if (s != MOSQ_ERR_SUCCESS) {
        spdlog::warn("mqtt: cannot subscribe to {}: {}", filter,
                     mosquitto_strerror(s));
      }
    }
  }

  static void on_disconnect(struct mosquitto* /*m*/, void* self, int rc,
                            const mosquitto_property* /*props*/) {
    auto* c = static_cast<MqttClient*>(self);
    c->connected_ = false;
    if (rc != 0) {
      spdlog::warn("mqtt: disconnected from {}:{} ({}); reconnecting",
                   c->options_.host, c->options_.port, mosquitto_strerror(rc));
    }
  }

  static void on_subscribe(struct mosquitto* /*m*/, void* self, int /*mid*/,
                           int count, const int* granted,
                           const mosquitto_property* /*props*/) {
    auto* c = static_cast<MqttClient*>(self);
    for (int i = 0; i < count; ++i) {
      if (granted[i] >= 0x80) {
        spdlog::warn("mqtt: the broker refused a subscription (reason {})",
                     granted[i]);
        continue;
      }
      c->subscribed_.fetch_add(1);
    }
  }

  static void on_message(struct mosquitto* /*m*/, void* self,
                         const struct mosquitto_message* msg,
                         const mosquitto_property* /*props*/) {
    auto* c = static_cast<MqttClient*>(self);
    std::string_view topic = msg->topic != nullptr ? msg->topic : "";
    std::string_view payload(static_cast<const char*>(msg->payload),
                             msg->payloadlen > 0 ? msg->payloadlen : 0);
    c->handler_(topic, payload);
  }
};

Result<MqttOptions> parse_mqtt_url(std::string_view url) {
  constexpr std::string_view kScheme = "mqtt://";
  auto bad = [&] {
    return fail(Code::kInvalidRequest, "MQTT URL '" + std::string(url) +
                                           "' is not mqtt://HOST[:PORT]");
  };
  if (!url.starts_with(kScheme)) return bad();
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  MqttOptions o;
  size_t colon = rest.rfind(':');
  std::string_view host = rest;
  if (colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    std::string_view p = rest.substr(colon + 1);
    unsigned port = 0;
    auto r = std::from_chars(p.data(), p.data() + p.size(), port);
    if (r.ec != std::errc() || r.ptr != p.data() + p.size() || port == 0 ||
        port > 65535) {
      return bad();
    }
    o.port = static_cast<uint16_t>(port);
  }
  if (host.empty() || host.find('/') != std::string_view::npos) return bad();
  o.host = std::string(host);
  return o;
}

MqttClient::MqttClient(MqttOptions options, Handler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {
  if (options_.topics.empty()) options_.topics = default_topics();
  if (options_.client_id.empty()) options_.client_id = next_client_id();
  if (options_.qos != 0) options_.qos = 1;
}

MqttClient::~MqttClient() { stop(); }

Status MqttClient::start() {
  init_library();
  mosq_ = mosquitto_new(options_.client_id.c_str(), true, this);
  if (mosq_ == nullptr) return fail(Code::kInternal, "mosquitto_new failed");
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_int_option(mosq_, MOSQ_OPT_RECEIVE_MAXIMUM,
                       options_.receive_maximum);
  mosquitto_connect_v5_callback_set(mosq_, &MqttCallbacks::on_connect);
  mosquitto_disconnect_v5_callback_set(mosq_, &MqttCallbacks::on_disconnect);
  mosquitto_subscribe_v5_callback_set(mosq_, &MqttCallbacks::on_subscribe);
  mosquitto_message_v5_callback_set(mosq_, &MqttCallbacks::on_message);
  mosquitto_reconnect_delay_set(mosq_, kReconnectMinS, kReconnectMaxS, true);
  int rc = mosquitto_connect_async(mosq_, options_.host.c_str(), options_.port,
                                   options_.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS) {
    spdlog::warn("mqtt: cannot connect to {}:{} yet ({}); retrying",
                 options_.host, options_.port, mosquitto_strerror(rc));
  }
  rc = mosquitto_loop_start(mosq_);
  if (rc != MOSQ_ERR_SUCCESS) {
    mosquitto_destroy(mosq_);
    mosq_ = nullptr;
    return fail(Code::kInternal,
                std::string("mosquitto_loop_start: ") + mosquitto_strerror(rc));
  }
  running_ = true;
  return ok();
}

void MqttClient::stop() {
  if (mosq_ == nullptr) return;
  if (running_) {
    mosquitto_disconnect_v5(mosq_, 0, nullptr);
    mosquitto_loop_stop(mosq_, false);
    running_ = false;
  }
  mosquitto_destroy(mosq_);
  mosq_ = nullptr;
  connected_ = false;
}

}  // namespace cocity::ingest
