#include "broker/subscription.h"

#include <re2/re2.h>

#include <charconv>
#include <cmath>
#include <random>

#include "ngsi/entity_parser.h"
#include "ngsi/query_parser.h"

namespace cocity::broker {
namespace {

std::unexpected<Error> bad(std::string detail) {
  return fail(Code::kBadRequestData, std::move(detail));
}

Result<std::string> read_string(const json::value& v, std::string_view what) {
  if (!v.is_string() || v.get_string().empty()) {
    return bad("'" + std::string(what) + "' must be a non-empty string");
  }
  return std::string(v.get_string());
}

Result<double> read_seconds(const json::value& v, std::string_view what) {
  if (!v.is_number() || v.to_number<double>() <= 0 ||
      !std::isfinite(v.to_number<double>())) {
    return bad("'" + std::string(what) + "' must be a positive number");
  }
  return v.to_number<double>();
}

Result<EntitySelectorItem> read_entity_item(const json::value& v,
                                            const ngsi::Context& ctx) {
  if (!v.is_object()) return bad("'entities' items must be objects");
  const auto& o = v.get_object();
  EntitySelectorItem item;
  for (const auto& kv : o) {
    std::string_view key = kv.key();
    if (key == "id") {
      auto s = read_string(kv.value(), "entities[].id");
      if (!s) return std::unexpected(s.error());
      if (!ngsi::is_absolute_uri(*s))
        return bad("'entities[].id' must be a URI, not '" + *s + "'");
      item.id = *s;
    } else if (key == "idPattern") {
      auto s = read_string(kv.value(), "entities[].idPattern");
      if (!s) return std::unexpected(s.error());
      RE2::Options opts;
      opts.set_log_errors(false);
      opts.set_max_mem(ngsi::kMaxPatternMemory);
      auto re = std::make_shared<const re2::RE2>(*s, opts);
      if (!re->ok())
        return bad("'entities[].idPattern' is not a valid pattern: " +
                   re->error());
      item.id_pattern = std::move(re);
    } else if (key == "type") {
      auto s = read_string(kv.value(), "entities[].type");
      if (!s) return std::unexpected(s.error());
      if (!ngsi::valid_name(*s))
        return bad("'entities[].type': '" + *s + "' is not a valid type name");
      item.type = ctx.expand(*s);
    } else {
      return bad("'entities[]': unknown member '" + std::string(key) + "'");
    }
  }
  if (item.type.empty()) return bad("'entities[].type' is required");
  return item;
}

Result<std::vector<std::string>> read_names(const json::value& v,
                                            std::string_view what,
                                            const ngsi::Context& ctx) {
  if (!v.is_array() || v.get_array().empty()) {
    return bad("'" + std::string(what) +
               "' must be a non-empty array of attribute names");
  }
  std::vector<std::string> out;
  for (const auto& item : v.get_array()) {
    if (!item.is_string() || !ngsi::valid_name(item.get_string())) {
      return bad("'" + std::string(what) + "' must hold valid attribute names");
    }
    out.push_back(ctx.expand(item.get_string()));
  }
  return out;
}

Result<unsigned> read_triggers(const json::value& v) {
  static const std::pair<std::string_view, Trigger> kNames[] = {
      {"entityCreated", kEntityCreated},
      {"entityUpdated", kEntityUpdated},
      {"entityDeleted", kEntityDeleted},
      {"attributeCreated", kAttributeCreated},
      {"attributeUpdated", kAttributeUpdated},
      {"attributeDeleted", kAttributeDeleted}};
  if (!v.is_array() || v.get_array().empty())
    return bad("'notificationTrigger' must be a non-empty array");
  unsigned out = 0;
  for (const auto& item : v.get_array()) {
    unsigned bit = 0;
    for (const auto& [name, t] : kNames) {
      if (item.is_string() && item.get_string() == name) bit = t;
    }
    if (bit == 0) {
      return bad("'notificationTrigger': unknown trigger " + to_json(item));
    }
    out |= bit;
  }
  return out;
}

Result<std::shared_ptr<const ngsi::GeoQuery>> read_geo_query(
    const json::value& v, const ngsi::Context& ctx) {
  if (!v.is_object()) return bad("'geoQ' must be an object");
  const auto& o = v.get_object();
  ngsi::GeoQueryText text;
  for (const auto& kv : o) {
    std::string_view key = kv.key();
    if (key == "coordinates") {
      text.coordinates = kv.value();
      if (kv.value().is_string()) {
        if (auto s = ngsi::read_coordinates(kv.value().get_string(), &text); !s)
          return std::unexpected(s.error());
      }
      continue;
    }
    if (key != "georel" && key != "geometry" && key != "geoproperty")
      return bad("'geoQ': unknown member '" + std::string(key) + "'");
    auto s = read_string(kv.value(), "geoQ." + std::string(key));
    if (!s) return std::unexpected(s.error());
    if (key == "georel") text.georel = *s;
    if (key == "geometry") text.geometry = *s;
    if (key == "geoproperty") text.geoproperty = *s;
  }
  auto parsed = ngsi::parse_geo_query(text, ctx);
  if (!parsed) {
    Error e = parsed.error();
    e.detail = "'geoQ': " + e.detail;
    return std::unexpected(std::move(e));
  }
  return std::make_shared<const ngsi::GeoQuery>(std::move(*parsed));
}

Result<std::vector<std::pair<std::string, std::string>>> read_key_values(
    const json::value& v, std::string_view what) {
  if (!v.is_array()) return bad("'" + std::string(what) + "' must be an array");
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& item : v.get_array()) {
    const json::object* o = item.if_object();
    const json::value* key = o ? o->if_contains("key") : nullptr;
    const json::value* value = o ? o->if_contains("value") : nullptr;
    if (!key || !value || !key->is_string() || !value->is_string() ||
        key->get_string().empty()) {
      return bad("'" + std::string(what) +
                 "' items must be {\"key\": string, \"value\": string}");
    }
    std::string_view k = key->get_string();
    std::string_view val = value->get_string();
    auto bad_char = [](char c) { return c == '\r' || c == '\n' || c == 0; };
    if (std::any_of(k.begin(), k.end(), bad_char) ||
        std::any_of(val.begin(), val.end(), bad_char) ||
        k.find_first_of(" :") != std::string_view::npos) {
      return bad("'" + std::string(what) + "': key '" + std::string(k) +
                 "' or its value is not a valid header");
    }
    out.emplace_back(k, val);
  }
  return out;
}

Status read_endpoint(const json::value& v, Endpoint* out) {
  if (!v.is_object()) return bad("'notification.endpoint' must be an object");
  const auto& o = v.get_object();
  const json::value* uri = o.if_contains("uri");
  if (!uri) return bad("'notification.endpoint.uri' is required");
  auto s = read_string(*uri, "notification.endpoint.uri");
  if (!s) return std::unexpected(s.error());
  if (auto st = parse_endpoint_uri(*s, out); !st) return st;
  for (const auto& kv : o) {
    std::string_view key = kv.key();
    if (key == "uri") continue;
    if (key == "accept") {
      auto a = read_string(kv.value(), "notification.endpoint.accept");
      if (!a) return std::unexpected(a.error());
      if (*a != "application/json" && *a != "application/ld+json")
        return bad(
            "'notification.endpoint.accept' must be application/json or "
            "application/ld+json");
      out->accept = *a;
    } else if (key == "receiverInfo") {
      auto kvs = read_key_values(kv.value(),
                                 "notification.endpoint."
                                 "receiverInfo");
      if (!kvs) return std::unexpected(kvs.error());
      out->receiver_info = std::move(*kvs);
    } else if (key == "notifierInfo") {
      auto kvs = read_key_values(kv.value(),
                                 "notification.endpoint."
                                 "notifierInfo");
      if (!kvs) return std::unexpected(kvs.error());
      for (const auto& [k, val] : *kvs) {
        if (k != "MQTT-QoS") continue;
        if (val != "0" && val != "1" && val != "2")
          return bad("'notifierInfo' MQTT-QoS must be 0, 1 or 2");
        out->mqtt_qos = val[0] - '0';
      }
    } else {
      return bad("'notification.endpoint': unknown member '" +
                 std::string(key) + "'");
    }
  }
  return ok();
}

Status read_notification(const json::value& v, const ngsi::Context& ctx,
                         Subscription* sub) {
  if (!v.is_object()) return bad("'notification' must be an object");
  const auto& o = v.get_object();
  bool has_endpoint = false;
  for (const auto& kv : o) {
    std::string_view key = kv.key();
    if (key == "attributes") {
      auto names = read_names(kv.value(), "notification.attributes", ctx);
      if (!names) return std::unexpected(names.error());
      sub->render.only.emplace(names->begin(), names->end());
    } else if (key == "format") {
      const auto& f = kv.value();
      if (f == "normalized") {
        sub->render.format = ngsi::Format::kNormalized;
      } else if (f == "keyValues") {
        sub->render.format = ngsi::Format::kKeyValues;
      } else if (f == "concise") {
        sub->render.format = ngsi::Format::kConcise;
      } else {
        return bad(
            "'notification.format' must be normalized, keyValues or concise");
      }
    } else if (key == "sysAttrs") {
      if (!kv.value().is_bool())
        return bad("'notification.sysAttrs' must be true or false");
      sub->render.sys_attrs = kv.value().get_bool();
    } else if (key == "endpoint") {
      if (auto s = read_endpoint(kv.value(), &sub->endpoint); !s) return s;
      has_endpoint = true;
    } else if (key == "status" || key == "timesSent" ||
               key == "lastNotification" || key == "lastSuccess" ||
               key == "lastFailure" || key == "timesFailed") {
      continue;  // read-only
    } else {
      return bad("'notification': unknown member '" + std::string(key) + "'");
    }
  }
  if (!has_endpoint) return bad("'notification.endpoint' is required");
  return ok();
}

// Reads one top-level member into `sub`.
Status read_member(std::string_view key, const json::value& v,
                   const ngsi::Context& ctx, TimePoint now, Subscription* sub) {
  if (key == "id" || key == "type") return ok();  // checked by the caller
  if (key == "subscriptionName" || key == "description") {
    if (!v.is_string()) return bad("'" + std::string(key) + "' must be text");
  } else if (key == "entities") {
    if (!v.is_array() || v.get_array().empty())
      return bad("'entities' must be a non-empty array");
    for (const auto& item : v.get_array()) {
      auto e = read_entity_item(item, ctx);
      if (!e) return std::unexpected(e.error());
      sub->entities.push_back(std::move(*e));
    }
  } else if (key == "watchedAttributes") {
    auto names = read_names(v, "watchedAttributes", ctx);
    if (!names) return std::unexpected(names.error());
    sub->watched_attrs = std::move(*names);
  } else if (key == "notificationTrigger") {
    auto t = read_triggers(v);
    if (!t) return std::unexpected(t.error());
    sub->triggers = *t;
  } else if (key == "q") {
    auto s = read_string(v, "q");
    if (!s) return std::unexpected(s.error());
    auto q = ngsi::parse_query(*s, ctx);
    if (!q) return std::unexpected(q.error());
    sub->q = std::make_shared<const ngsi::Query>(std::move(*q));
  } else if (key == "geoQ") {
    auto g = read_geo_query(v, ctx);
    if (!g) return std::unexpected(g.error());
    sub->geo_q = std::move(*g);
  } else if (key == "throttling" || key == "timeInterval") {
    auto s = read_seconds(v, key);
    if (!s) return std::unexpected(s.error());
    (key == "throttling" ? sub->throttling_s : sub->time_interval_s) = *s;
  } else if (key == "expiresAt") {
    auto s = read_string(v, "expiresAt");
    if (!s) return std::unexpected(s.error());
    auto t = parse_iso_time(*s);
    if (!t) return bad("'expiresAt' must be an ISO 8601 date-time");
    sub->expires_at = *t;
  } else if (key == "isActive") {
    if (!v.is_bool()) return bad("'isActive' must be true or false");
    sub->is_active = v.get_bool();
  } else if (key == "notification") {
    return read_notification(v, ctx, sub);
  } else if (key == "status" || key == "jsonldContext" || key == "lang" ||
             key == "createdAt" || key == "modifiedAt") {
    return ok();  // read-only or informative
  } else {
    return bad("unknown member '" + std::string(key) + "'");
  }
  (void)now;
  return ok();
}

Status check_whole(const Subscription& sub, const json::object& source) {
  if (!source.contains("notification"))
    return bad("'notification' is required");
  if (sub.entities.empty() && sub.watched_attrs.empty())
    return bad("one of 'entities' or 'watchedAttributes' is required");
  if (sub.time_interval_s > 0 &&
      (!sub.watched_attrs.empty() || sub.throttling_s > 0))
    return bad(
        "'timeInterval' cannot be combined with 'watchedAttributes' or "
        "'throttling'");
  if (sub.time_interval_s > 0 && sub.entities.empty())
    return bad("'timeInterval' requires 'entities'");
  return ok();
}

}  // namespace

Status parse_endpoint_uri(std::string_view uri, Endpoint* out) {
  auto bad_uri = [&](std::string_view why) {
    return bad("'notification.endpoint.uri' '" + std::string(uri) + "' " +
               std::string(why));
  };
  size_t sep = uri.find("://");
  if (sep == std::string_view::npos) return bad_uri("is not a URI");
  std::string_view scheme = uri.substr(0, sep);
  if (scheme == "http") {
    out->scheme = Endpoint::Scheme::kHttp;
    out->port = 80;
  } else if (scheme == "https") {
    out->scheme = Endpoint::Scheme::kHttps;
    out->port = 443;
  } else if (scheme == "mqtt") {
    out->scheme = Endpoint::Scheme::kMqtt;
    out->port = 1883;
  } else {
    return bad_uri("must use http, https or mqtt");
  }
  std::string_view rest = uri.substr(sep + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path =
      slash == std::string_view::npos ? "/" : rest.substr(slash);
  if (authority.empty() || authority.find('@') != std::string_view::npos)
    return bad_uri("needs a host (and no user info)");
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.back() != ']') {
    std::string_view p = authority.substr(colon + 1);
    unsigned port = 0;
    auto r = std::from_chars(p.data(), p.data() + p.size(), port);
    if (r.ec != std::errc() || r.ptr != p.data() + p.size() || port == 0 ||
        port > 65535)
      return bad_uri("has an invalid port");
    out->port = static_cast<uint16_t>(port);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return bad_uri("needs a host");
  for (char c : uri) {
    if (static_cast<unsigned char>(c) <= ' ') return bad_uri("has whitespace");
  }
  out->host = std::string(authority);
  if (out->scheme == Endpoint::Scheme::kMqtt) {
    if (path.size() <= 1) return bad_uri("needs a topic");
    std::string_view topic = path.substr(1);
    if (topic.find_first_of("#+") != std::string_view::npos)
      return bad_uri("has a wildcard in its topic");
    out->target = std::string(topic);
  } else {
    out->target = std::string(path);
  }
  out->uri = std::string(uri);
  return ok();
}

Result<Subscription> parse_subscription(
    json::object source, json::value context_json,
    std::shared_ptr<const ngsi::Context> ctx, const std::string& tenant,
    TimePoint now) {
  Subscription sub;
  sub.tenant = tenant;
  if (const json::value* id = source.if_contains("id")) {
    if (!id->is_string() || !ngsi::is_absolute_uri(id->get_string()))
      return bad("'id' must be a URI");
    sub.id = std::string(id->get_string());
  } else {
    sub.id = generate_subscription_id();
    source["id"] = sub.id;
  }
  const json::value* type = source.if_contains("type");
  if (!type || *type != "Subscription")
    return bad("'type' must be \"Subscription\"");
  for (const auto& kv : source) {
    if (auto s = read_member(kv.key(), kv.value(), *ctx, now, &sub); !s)
      return std::unexpected(s.error());
  }
  if (auto s = check_whole(sub, source); !s) return std::unexpected(s.error());
  source.erase("@context");
  sub.source = std::move(source);
  sub.context_json = std::move(context_json);
  sub.ctx = std::move(ctx);
  return sub;
}

Result<json::object> patch_source(const json::object& source,
                                  const json::object& patch) {
  json::object out = source;
  for (const auto& kv : patch) {
    std::string_view key = kv.key();
    if (key == "@context") continue;
    if (key == "id" && kv.value() != source.at("id"))
      return bad("'id' of a subscription cannot be changed");
    if (key == "type" && kv.value() != "Subscription")
      return bad("'type' must be \"Subscription\"");
    if (kv.value().is_null()) {
      out.erase(key);
    } else if (key == "notification" && kv.value().is_object() &&
               out.contains("notification") &&
               out.at("notification").is_object()) {
      // notification is patched member by member (endpoint as a whole).
      auto& n = out["notification"].get_object();
      for (const auto& m : kv.value().get_object()) {
        if (m.value().is_null()) {
          n.erase(m.key());
        } else {
          n[m.key()] = m.value();
        }
      }
    } else {
      out[key] = kv.value();
    }
  }
  return out;
}

std::string_view status_name(const Subscription& sub, TimePoint now) {
  if (sub.expires_at && *sub.expires_at <= now) return "expired";
  return sub.is_active ? "active" : "paused";
}

namespace {

// Rewrites the names in `out` (written with `from`) as `to` names them.
void recompact(json::object* out, const ngsi::Context& from,
               const ngsi::Context& to) {
  auto name = [&](json::value* v) {
    if (v == nullptr || !v->is_string()) return;
    std::string_view s = v->get_string();
    // A type expression ("A,B", "(A;B)|C") is left as written.
    if (s.find_first_of(",;|()") != std::string_view::npos) return;
    *v = json::value(to.compact(from.expand(s)));
  };
  auto names = [&](json::value* v) {
    if (v == nullptr) return;
    if (auto* a = v->if_array()) {
      for (auto& e : *a) name(&e);
    } else {
      name(v);
    }
  };
  if (auto* entities = out->if_contains("entities")) {
    if (auto* list = entities->if_array()) {
      for (auto& e : *list) {
        if (auto* o = e.if_object()) names(o->if_contains("type"));
      }
    }
  }
  names(out->if_contains("watchedAttributes"));
  if (auto* n = out->if_contains("notification"); n && n->is_object()) {
    names(n->get_object().if_contains("attributes"));
  }
  if (auto* g = out->if_contains("geoQ"); g && g->is_object()) {
    name(g->get_object().if_contains("geoproperty"));
  }
}

}  // namespace

json::object render_subscription(const Subscription& sub,
                                 const SubscriptionStatus& status,
                                 TimePoint now, const ngsi::Context* names) {
  json::object out = sub.source;
  if (names != nullptr && sub.ctx && names != sub.ctx.get()) {
    recompact(&out, *sub.ctx, *names);
  }
  out["id"] = sub.id;
  out["type"] = "Subscription";
  out["status"] = status_name(sub, now);
  if (!out.contains("isActive")) out["isActive"] = sub.is_active;
  json::value* n = out.if_contains("notification");
  if (n && n->is_object()) {
    auto& o = n->get_object();
    o["timesSent"] = status.times_sent;
    if (status.times_failed) o["timesFailed"] = status.times_failed;
    auto put = [&o](const char* name, const std::optional<TimePoint>& t) {
      if (t) o[name] = format_iso_time(*t);
    };
    put("lastNotification", status.last_notification);
    put("lastSuccess", status.last_success);
    put("lastFailure", status.last_failure);
    if (status.last_failure &&
        (!status.last_success || *status.last_success < *status.last_failure))
      o["status"] = "failed";
    else
      o["status"] = "ok";
  }
  return out;
}

std::string generate_subscription_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "urn:ngsi-ld:Subscription:";
  for (int i = 0; i < 2; ++i) {
    uint64_t r = rng();
    for (int j = 0; j < 16; ++j) id.push_back(kHex[(r >> (j * 4)) & 0xf]);
  }
  return id;
}

}  // namespace cocity::broker
