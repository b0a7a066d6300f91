// An NGSI-LD Subscription (ETSI GS CIM 009 v1.8, clause 5.2.12): the model,
// parsing and validation of its JSON, and its JSON rendering.
//
// A Subscription keeps the JSON it was created from (`source`, with the
// names as the client wrote them and without "@context") and the @context
// (`context_json`: the inline value or the Link URL as a JSON string), so
// that it can be rendered back as given and parsed again after a restart.
// Everything else is derived from those two by parse_subscription.
//
// Accepted members: id (absolute URI; generated when absent), type
// ("Subscription"), subscriptionName, description, entities [{id |
// idPattern, type}], watchedAttributes, notificationTrigger, q, geoQ
// {georel, geometry, coordinates, geoproperty}, throttling (s),
// timeInterval (s, periodic; excludes watchedAttributes and throttling),
// expiresAt, isActive, notification {attributes, format (normalized |
// keyValues | concise), sysAttrs, endpoint {uri (http, https or mqtt),
// accept, receiverInfo [{key, value}], notifierInfo [{key, value}]}}.
// Unknown members are rejected with the member named (no silent drops);
// read-only status members (status, timesSent, lastNotification, ...) are
// ignored on input.
//
// Immutable after parsing: safe to share between threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "core/time.h"
#include "ngsi/context.h"
#include "ngsi/entity_writer.h"
#include "ngsi/geo_query.h"
#include "ngsi/query.h"

namespace re2 {
class RE2;
}

namespace cocity::broker {

// The six triggers of notificationTrigger.
enum Trigger : unsigned {
  kEntityCreated = 1u << 0,
  kEntityUpdated = 1u << 1,
  kEntityDeleted = 1u << 2,
  kAttributeCreated = 1u << 3,
  kAttributeUpdated = 1u << 4,
  kAttributeDeleted = 1u << 5,
};
// The default when notificationTrigger is absent (v1.8).
inline constexpr unsigned kDefaultTriggers =
    kAttributeCreated | kAttributeUpdated;

// One element of "entities": at least one of id / id_pattern, and a type.
struct EntitySelectorItem {
  std::string id;                              // "" when absent
  std::shared_ptr<const re2::RE2> id_pattern;  // null when absent
  std::string type;                            // expanded IRI
};

struct Endpoint {
  enum class Scheme { kHttp, kHttps, kMqtt };
  Scheme scheme = Scheme::kHttp;
  std::string uri;
  std::string host;
  uint16_t port = 80;
  std::string target;  // HTTP: path and query ("/notify"); MQTT: topic
  std::string accept = "application/json";
  // receiverInfo: extra headers (HTTP) or user properties (MQTT).
  std::vector<std::pair<std::string, std::string>> receiver_info;
  int mqtt_qos = 0;  // notifierInfo "MQTT-QoS": 0, 1 or 2
};

struct Subscription {
  std::string id;
  std::string tenant;
  json::object source;       // as created / patched, without @context
  json::value context_json;  // the @context (null: the core context)
  std::shared_ptr<const ngsi::Context> ctx;

  std::vector<EntitySelectorItem> entities;
  std::vector<std::string> watched_attrs;  // expanded
  unsigned triggers = kDefaultTriggers;
  std::shared_ptr<const ngsi::Query> q;         // null: no q
  std::shared_ptr<const ngsi::GeoQuery> geo_q;  // null: no geoQ
  double throttling_s = 0;
  double time_interval_s = 0;  // > 0: periodic, not on change
  std::optional<TimePoint> expires_at;
  bool is_active = true;

  ngsi::RenderOptions render;  // format, attributes (only), sysAttrs
  Endpoint endpoint;
};

// Status fields, kept by the notifier and rendered with the subscription.
struct SubscriptionStatus {
  uint64_t times_sent = 0;
  uint64_t times_failed = 0;
  std::optional<TimePoint> last_notification;
  std::optional<TimePoint> last_success;
  std::optional<TimePoint> last_failure;
};

// Parses `source` (a Subscription JSON object without @context; names in
// `ctx`). `id` is used when `source` has none (the caller generates it).
// Errors: kBadRequestData naming the member and the rule, kTooComplexQuery
// from q.
Result<Subscription> parse_subscription(
    json::object source, json::value context_json,
    std::shared_ptr<const ngsi::Context> ctx, const std::string& tenant,
    TimePoint now);

// Applies a PATCH body: its members replace those of `source` (null
// removes one); "id" and "type" may not change. The result must be
// parsed again.
Result<json::object> patch_source(const json::object& source,
                                  const json::object& patch);

// "active", "paused" (isActive false) or "expired" (expiresAt passed).
std::string_view status_name(const Subscription& sub, TimePoint now);

// The subscription as JSON: its source, the id, type, status and the
// status fields. With `names`, the names it holds (entity types, watched
// and notified attributes, the geoproperty) are compacted with that
// context instead of being shown as the creator wrote them; q is shown as
// written.
json::object render_subscription(const Subscription& sub,
                                 const SubscriptionStatus& status,
                                 TimePoint now,
                                 const ngsi::Context* names = nullptr);

// "urn:ngsi-ld:Subscription:<random hex>".
std::string generate_subscription_id();

// Splits "http://host:port/path", "mqtt://host:port/topic" into `out`.
Status parse_endpoint_uri(std::string_view uri, Endpoint* out);

}  // namespace cocity::broker
