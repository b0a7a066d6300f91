#include "ingest/mqtt_client.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "ingest/topic.h"

namespace cocity::ingest {

namespace {

constexpr int kReconnectMinS = 1;
constexpr int kReconnectMaxS = 30;
constexpr int kPollMs = 100;
// How long stop() waits for held messages before it disconnects without
// acknowledging them (the broker then sends them again).
constexpr auto kStopWait = std::chrono::seconds(30);

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string next_client_id() {
  static std::atomic<int> n{0};
  return "cocity-" + std::to_string(getpid()) + "-" + std::to_string(n++);
}

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}

}  // namespace

// Counts the messages handed out and not yet released.
struct MqttClient::Holds {
  std::mutex mu;
  std::condition_variable released;
  uint64_t held = 0;

  MessageHold take(const std::shared_ptr<Holds>& self) {
    {
      std::lock_guard lock(mu);
      ++held;
    }
    // Not null, so that holders can test it; the deleter only counts.
    return MessageHold(static_cast<void*>(self.get()), [self](void*) {
      {
        std::lock_guard lock(self->mu);
        --self->held;
      }
      self->released.notify_all();
    });
  }
};

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

  static void on_disconnect(struct mosquitto* /*m*/, void* self, int /*rc*/,
                            const mosquitto_property* /*props*/) {
    static_cast<MqttClient*>(self)->connected_ = false;
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
    if (msg->qos > 0) ++c->round_qos1_;
    c->handler_(topic, payload, c->holds_->take(c->holds_));
  }
};

Result<MqttOptions> parse_mqtt_url(std::string_view url) {
  constexpr std::string_view kScheme = "mqtt://";
  constexpr std::string_view kClientId = "client_id=";
  auto bad = [&] {
    return fail(Code::kInvalidRequest,
                "MQTT URL '" + std::string(url) +
                    "' is not mqtt://HOST[:PORT][?client_id=ID]");
  };
  if (!url.starts_with(kScheme)) return bad();
  std::string_view rest = url.substr(kScheme.size());
  MqttOptions o;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    std::string_view query = rest.substr(q + 1);
    rest = rest.substr(0, q);
    if (!query.starts_with(kClientId)) return bad();
    o.client_id = std::string(query.substr(kClientId.size()));
    if (o.client_id.empty() || o.client_id.size() > 128 ||
        o.client_id.find_first_of("&=/#+") != std::string::npos) {
      return bad();
    }
    o.persistent_session = true;
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
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

MqttClient::MqttClient(MqttOptions options, Handler handler,
                       std::function<void()> flush)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      flush_(std::move(flush)),
      holds_(std::make_shared<Holds>()) {
  if (options_.topics.empty()) options_.topics = default_topics();
  if (options_.client_id.empty()) {
    options_.client_id = next_client_id();
    options_.persistent_session = false;
  }
  if (options_.qos != 0) options_.qos = 1;
}

MqttClient::~MqttClient() { stop(); }

Status MqttClient::start() {
  init_library();
  mosq_ = mosquitto_new(options_.client_id.c_str(),
                        !options_.persistent_session, this);
  if (mosq_ == nullptr) return fail(Code::kInternal, "mosquitto_new failed");
  // Packets are only queued by libmosquitto's calls; this client's loop
  // decides when they are written (run()).
  mosquitto_threaded_set(mosq_, true);
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_int_option(mosq_, MOSQ_OPT_RECEIVE_MAXIMUM,
                       options_.receive_maximum);
  mosquitto_connect_v5_callback_set(mosq_, &MqttCallbacks::on_connect);
  mosquitto_disconnect_v5_callback_set(mosq_, &MqttCallbacks::on_disconnect);
  mosquitto_subscribe_v5_callback_set(mosq_, &MqttCallbacks::on_subscribe);
  mosquitto_message_v5_callback_set(mosq_, &MqttCallbacks::on_message);
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  return ok();
}

void MqttClient::stop() {
  if (mosq_ == nullptr) return;
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  mosquitto_destroy(mosq_);
  mosq_ = nullptr;
  connected_ = false;
}

// mosquitto_reconnect() would drop the CONNECT properties (the session
// expiry), so every attempt is a full connect.
int MqttClient::connect_once() {
  mosquitto_property* props = nullptr;
  if (options_.persistent_session) {
    mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                 options_.session_expiry_s);
  }
  int rc =
      mosquitto_connect_bind_v5(mosq_, options_.host.c_str(), options_.port,
                                options_.keepalive_s, nullptr, props);
  mosquitto_property_free_all(&props);
  return rc;
}

void MqttClient::sleep_backoff(int seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!stopping_ && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
  }
}

void MqttClient::run() {
  int backoff_s = kReconnectMinS;
  bool open = false;
  while (!stopping_) {
    int rc = open ? loop_once() : connect_once();
    if (rc == MOSQ_ERR_SUCCESS) {
      open = true;
      if (connected_) backoff_s = kReconnectMinS;
      continue;
    }
    if (open || connects_ == 0) {
      spdlog::warn("mqtt: {}:{}: {}; reconnecting in {} s", options_.host,
                   options_.port, mosquitto_strerror(rc), backoff_s);
    }
    open = false;
    connected_ = false;
    sleep_backoff(backoff_s);
    backoff_s = std::min(2 * backoff_s, kReconnectMaxS);
  }
  if (open) finish();
  abandoned_ = false;
}

// One poll of the socket: a round of reads, the wait for what they
// delivered, then the writes (acknowledgements among them).
int MqttClient::loop_once() {
  int fd = mosquitto_socket(mosq_);
  if (fd < 0) return MOSQ_ERR_NO_CONN;
  pollfd p{fd, POLLIN, 0};
  if (mosquitto_want_write(mosq_)) p.events |= POLLOUT;
  if (poll(&p, 1, kPollMs) < 0 && errno != EINTR) return MOSQ_ERR_ERRNO;
  if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
    if (int rc = read_round(fd); rc != MOSQ_ERR_SUCCESS) return rc;
  }
  if (mosquitto_want_write(mosq_)) {
    if (int rc = mosquitto_loop_write(mosq_, 1); rc != MOSQ_ERR_SUCCESS) {
      return rc;
    }
  }
  return mosquitto_loop_misc(mosq_);
}

int MqttClient::read_round(int fd) {
  round_qos1_ = 0;
  int rc = MOSQ_ERR_SUCCESS;
  int limit = std::max(options_.receive_maximum, 1);
  for (int i = 0; i < limit; ++i) {
    rc = mosquitto_loop_read(mosq_, 1);
    if (rc != MOSQ_ERR_SUCCESS || !readable(fd)) break;
  }
  if (round_qos1_ > 0) {
    // Not one PUBACK may be written while a message of the round is held.
    if (!await_holds()) return MOSQ_ERR_CONN_LOST;
    acknowledged_.fetch_add(round_qos1_);
  }
  return rc;
}

// Waits until every message handed out was released. False (and
// `abandoned_` set) when stop() waited kStopWait in vain.
bool MqttClient::await_holds() {
  if (flush_) flush_();
  std::unique_lock lock(holds_->mu);
  std::optional<std::chrono::steady_clock::time_point> deadline;
  while (holds_->held > 0) {
    holds_->released.wait_for(lock, std::chrono::milliseconds(kPollMs));
    if (!stopping_) continue;
    auto now = std::chrono::steady_clock::now();
    if (!deadline) deadline = now + kStopWait;
    if (now > *deadline) {
      spdlog::warn(
          "mqtt: stopping with unfinished messages; the broker "
          "sends them again");
      abandoned_ = true;
      return false;
    }
  }
  return true;
}

// On stop: acknowledge what was released, then say goodbye.
void MqttClient::finish() {
  if (abandoned_ || !await_holds()) return;  // no PUBACK for held messages
  mosquitto_disconnect_v5(mosq_, 0, nullptr);
  while (mosquitto_want_write(mosq_)) {
    if (mosquitto_loop_write(mosq_, 1) != MOSQ_ERR_SUCCESS) break;
  }
}

}  // namespace cocity::ingest
