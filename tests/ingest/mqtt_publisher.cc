#include "ingest/mqtt_publisher.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <chrono>
#include <mutex>
#include <thread>

namespace cocity::test {

namespace {

bool wait_for(const std::atomic<bool>& flag, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!flag.load()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

struct mosquitto* new_client() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
  return nullptr;
}

}  // namespace

struct PublisherCallbacks {
  static void on_connect(struct mosquitto*, void* self, int rc) {
    if (rc == 0) static_cast<MqttPublisher*>(self)->connected_ = true;
  }
  static void on_publish(struct mosquitto*, void* self, int) {
    static_cast<MqttPublisher*>(self)->acked_.fetch_add(1);
  }
  static void on_counter_connect(struct mosquitto* m, void* self, int rc) {
    auto* c = static_cast<MqttCounter*>(self);
    if (rc == 0) mosquitto_subscribe(m, nullptr, c->topic_.c_str(), c->qos_);
  }
  static void on_subscribe(struct mosquitto*, void* self, int, int,
                           const int*) {
    static_cast<MqttCounter*>(self)->subscribed_ = true;
  }
  static void on_message(struct mosquitto*, void* self,
                         const struct mosquitto_message*) {
    static_cast<MqttCounter*>(self)->count_.fetch_add(1);
  }
};

MqttPublisher::MqttPublisher() {
  new_client();
  mosq_ = mosquitto_new(nullptr, true, this);
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_max_inflight_messages_set(mosq_, 1000);
  mosquitto_connect_callback_set(mosq_, &PublisherCallbacks::on_connect);
  mosquitto_publish_callback_set(mosq_, &PublisherCallbacks::on_publish);
}

MqttPublisher::~MqttPublisher() {
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
}

Status MqttPublisher::connect(uint16_t port) {
  if (mosquitto_connect(mosq_, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS ||
      mosquitto_loop_start(mosq_) != MOSQ_ERR_SUCCESS ||
      !wait_for(connected_, std::chrono::seconds(5))) {
    return fail(Code::kUnavailable, "publisher cannot connect");
  }
  return ok();
}

Status MqttPublisher::publish(std::string_view topic, std::string_view payload,
                              int qos) {
  std::string t(topic);
  while (true) {
    int rc = mosquitto_publish_v5(mosq_, nullptr, t.c_str(),
                                  static_cast<int>(payload.size()),
                                  payload.data(), qos, false, nullptr);
    if (rc == MOSQ_ERR_SUCCESS) break;
    if (rc != MOSQ_ERR_NOMEM) {
      return fail(Code::kUnavailable, mosquitto_strerror(rc));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  // QoS 0 messages count as acknowledged once written; libmosquitto calls
  // on_publish for them too.
  sent_qos1_.fetch_add(1);
  return ok();
}

Status MqttPublisher::flush() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acked_.load() < sent_qos1_.load()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return fail(Code::kUnavailable, "publisher did not flush");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return ok();
}

MqttCounter::MqttCounter() {
  new_client();
  mosq_ = mosquitto_new(nullptr, true, this);
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_int_option(mosq_, MOSQ_OPT_RECEIVE_MAXIMUM, 1000);
  mosquitto_connect_callback_set(mosq_,
                                 &PublisherCallbacks::on_counter_connect);
  mosquitto_subscribe_callback_set(mosq_, &PublisherCallbacks::on_subscribe);
  mosquitto_message_callback_set(mosq_, &PublisherCallbacks::on_message);
}

MqttCounter::~MqttCounter() {
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
}

Status MqttCounter::connect(uint16_t port, const std::string& topic, int qos) {
  topic_ = topic;
  qos_ = qos;
  if (mosquitto_connect(mosq_, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS ||
      mosquitto_loop_start(mosq_) != MOSQ_ERR_SUCCESS ||
      !wait_for(subscribed_, std::chrono::seconds(5))) {
    return fail(Code::kUnavailable, "counter cannot subscribe");
  }
  return ok();
}

}  // namespace cocity::test
