// The network seam of the notifier: sends one notification to one endpoint.
//
// Each endpoint queue (broker/endpoint_queue.h) owns one sender and calls
// it from its own thread only, so a sender may keep a connection open
// between calls (HTTP keep-alive, an MQTT session). Implementations keep
// their protocol libraries out of this header: Boost.Beast in
// notification_http.cc, libmosquitto in notification_mqtt.cc. Tests
// substitute a fake through NotifierOptions::sender_factory.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "broker/subscription.h"
#include "core/error.h"

namespace cocity::broker {

// One message on the wire.
struct OutgoingNotification {
  std::string tenant;        // sent as NGSILD-Tenant when not empty
  std::string body;          // JSON text
  std::string content_type;  // application/json or application/ld+json
  std::string link;          // Link header value, "" for none
};

class NotificationSender {
 public:
  virtual ~NotificationSender() = default;
  // Sends `message` to `endpoint` and waits for the receiver's answer (HTTP:
  // a 2xx status; MQTT: the broker accepted the publish) at most the
  // sender's timeout. kUnavailable (naming the cause) otherwise. Never
  // throws.
  virtual Status send(const Endpoint& endpoint,
                      const OutgoingNotification& message) = 0;
};

// HTTP/1.1 POST with keep-alive over http:// or https:// (net/http_client.h:
// the certificate is verified against the system CA store plus
// `extra_ca_file`); one send, connecting included, is bounded by `timeout`.
std::unique_ptr<NotificationSender> make_http_sender(
    std::chrono::milliseconds timeout, const std::string& extra_ca_file = "");

// MQTT 3.1.1 publish (libmosquitto) of {"metadata": {headers},
// "body": notification} to the endpoint's topic at its QoS.
std::unique_ptr<NotificationSender> make_mqtt_sender(
    std::chrono::milliseconds timeout);

using SenderFactory =
    std::function<std::unique_ptr<NotificationSender>(const Endpoint&)>;

// The factory used in production: HTTP or MQTT by the endpoint's scheme.
SenderFactory default_sender_factory(std::chrono::milliseconds timeout,
                                     const std::string& extra_ca_file = "");

}  // namespace cocity::broker
