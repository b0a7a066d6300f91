#include "broker/notification.h"

#include <random>

namespace cocity::broker {
namespace {

std::string notification_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "urn:ngsi-ld:Notification:";
  uint64_t r = rng();
  for (int j = 0; j < 16; ++j) id.push_back(kHex[(r >> (j * 4)) & 0xf]);
  return id;
}

bool wants_ld(const Subscription& sub) {
  return sub.endpoint.accept == "application/ld+json";
}

json::object deleted_entity(const ngsi::Entity& entity,
                            const ngsi::Context& ctx, TimePoint at) {
  json::object o;
  o["id"] = entity.id;
  o["type"] = ngsi::render_types(entity, ctx);
  o["deletedAt"] = format_iso_time(at);
  return o;
}

std::string finish(const Subscription& sub, json::array data, TimePoint now) {
  json::object n;
  n["id"] = notification_id();
  n["type"] = "Notification";
  n["subscriptionId"] = sub.id;
  n["notifiedAt"] = format_iso_time(now);
  n["data"] = std::move(data);
  if (wants_ld(sub)) {
    n["@context"] = sub.context_json.is_null()
                        ? json::value(std::string(ngsi::kCoreContextUrl))
                        : sub.context_json;
  }
  return to_json(n);
}

}  // namespace

OutgoingNotification message_for_body(const Subscription& sub,
                                      std::string body) {
  OutgoingNotification m;
  m.tenant = sub.tenant;
  m.body = std::move(body);
  if (wants_ld(sub)) {
    m.content_type = "application/ld+json";
  } else {
    m.content_type = "application/json";
    std::string url = sub.ctx && !sub.ctx->url().empty()
                          ? sub.ctx->url()
                          : std::string(ngsi::kCoreContextUrl);
    m.link = "<" + url +
             ">; rel=\"http://www.w3.org/ns/json-ld#context\"; "
             "type=\"application/ld+json\"";
  }
  return m;
}

OutgoingNotification make_notification(
    const Subscription& sub, const std::vector<const ChangeEvent*>& events,
    TimePoint now) {
  json::array data;
  for (const ChangeEvent* e : events) {
    if (e->kind == ChangeEvent::Kind::kDeleted) {
      data.push_back(deleted_entity(*e->entity, *sub.ctx, e->committed_at));
    } else {
      data.push_back(ngsi::render_entity(*e->entity, sub.render, *sub.ctx));
    }
  }
  return message_for_body(sub, finish(sub, std::move(data), now));
}

OutgoingNotification make_notification(
    const Subscription& sub, const std::vector<ngsi::Entity>& entities,
    TimePoint now) {
  json::array data;
  for (const auto& e : entities)
    data.push_back(ngsi::render_entity(e, sub.render, *sub.ctx));
  return message_for_body(sub, finish(sub, std::move(data), now));
}

}  // namespace cocity::broker
