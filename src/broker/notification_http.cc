// HTTP(S) notifications through net::HttpClient: one kept-alive connection
// per endpoint queue, each send (connecting included) bounded by the
// timeout.
#include "broker/notification_sender.h"
#include "net/http_client.h"

namespace cocity::broker {
namespace {

class HttpSender final : public NotificationSender {
 public:
  HttpSender(std::chrono::milliseconds timeout,
             const std::string& extra_ca_file)
      : client_(options(timeout, extra_ca_file)) {}

  Status send(const Endpoint& endpoint,
              const OutgoingNotification& message) override {
    net::Request req;
    req.method = "POST";
    req.url = endpoint.uri;
    req.headers.emplace_back("Content-Type", message.content_type);
    if (!message.link.empty()) req.headers.emplace_back("Link", message.link);
    if (!message.tenant.empty()) {
      req.headers.emplace_back("NGSILD-Tenant", message.tenant);
    }
    for (const auto& [k, v] : endpoint.receiver_info) {
      req.headers.emplace_back(k, v);
    }
    req.body = message.body;
    auto res = client_.request(req);
    if (!res) {
      return fail(Code::kUnavailable, "notification to '" + endpoint.uri +
                                          "': " + res.error().detail);
    }
    if (res->status < 200 || res->status >= 300) {
      return fail(Code::kUnavailable, "notification to '" + endpoint.uri +
                                          "' answered " +
                                          std::to_string(res->status));
    }
    return ok();
  }

 private:
  static net::ClientOptions options(std::chrono::milliseconds timeout,
                                    const std::string& extra_ca_file) {
    net::ClientOptions o;
    o.connect_timeout = timeout;
    o.total_timeout = timeout;
    o.max_response_bytes = 1 << 20;  // answers are read and dropped
    o.extra_ca_file = extra_ca_file;
    return o;
  }

  net::HttpClient client_;
};

}  // namespace

std::unique_ptr<NotificationSender> make_http_sender(
    std::chrono::milliseconds timeout, const std::string& extra_ca_file) {
  return std::make_unique<HttpSender>(timeout, extra_ca_file);
}

SenderFactory default_sender_factory(std::chrono::milliseconds timeout,
                                     const std::string& extra_ca_file) {
  return [timeout, extra_ca_file](const Endpoint& endpoint) {
    if (endpoint.scheme == Endpoint::Scheme::kMqtt)
      return make_mqtt_sender(timeout);
    return make_http_sender(timeout, extra_ca_file);
  };
}

}  // namespace cocity::broker
