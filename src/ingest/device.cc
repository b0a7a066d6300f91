#include "ingest/device.h"

#include <cctype>

#include "ingest/payload_profile.h"
#include "ngsi/context.h"
#include "ngsi/entity_parser.h"

namespace cocity::ingest {

namespace {

constexpr std::string_view kDevicePrefix = "urn:ngsi-ld:Device:";

std::unexpected<Error> bad(std::string detail) {
  return fail(Code::kBadRequestData, std::move(detail));
}

const json::value* member(const json::object& o, std::string_view name) {
  return o.if_contains(name);
}

Result<std::string> string_member(const json::object& o, std::string_view name,
                                  bool required) {
  const json::value* v = member(o, name);
  if (v == nullptr) {
    if (required)
      return bad("device member '" + std::string(name) + "' is missing");
    return std::string();
  }
  if (!v->is_string()) {
    return bad("device member '" + std::string(name) + "' must be a string");
  }
  return std::string(v->get_string());
}

Status read_entity(const json::object& body, Device* d) {
  const json::value* e = member(body, "entity");
  const PayloadProfile* p = find_profile(d->profile);
  d->entity_type = std::string(p->entity_type);
  if (e != nullptr) {
    if (!e->is_object()) return bad("device member 'entity' must be an object");
    auto id = string_member(e->get_object(), "id", false);
    auto type = string_member(e->get_object(), "type", false);
    if (!id) return std::unexpected(id.error());
    if (!type) return std::unexpected(type.error());
    d->entity_id = *id;
    if (!type->empty()) d->entity_type = *type;
  }
  if (d->entity_type.empty() || !ngsi::valid_name(d->entity_type)) {
    return bad("device member 'entity.type' is missing or invalid (the '" +
               d->profile + "' profile has no default type)");
  }
  if (d->entity_id.empty()) {
    d->entity_id = "urn:ngsi-ld:" + d->entity_type + ":" + d->id;
  }
  if (!ngsi::is_absolute_uri(d->entity_id)) {
    return bad("device member 'entity.id' must be an absolute URI");
  }
  return ok();
}

const json::value* instance_value(const ngsi::Entity& e,
                                  const ngsi::Context& ctx,
                                  std::string_view name, bool relationship) {
  const json::value* a = e.attrs.if_contains(ctx.expand(name));
  if (a == nullptr || !a->is_array() || a->get_array().empty()) return nullptr;
  const json::value& inst = a->get_array()[0];
  if (!inst.is_object()) return nullptr;
  return inst.get_object().if_contains(relationship ? "object" : "value");
}

std::string string_value(const json::value* v) {
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

json::object property(json::value value) {
  json::object o;
  o["type"] = "Property";
  o["value"] = std::move(value);
  return o;
}

}  // namespace

std::string device_entity_id(std::string_view id) {
  return std::string(kDevicePrefix) + std::string(id);
}

bool valid_device_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

Result<std::string> normalize_dev_eui(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '-' || c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c)) || out.size() == 16) {
      return bad("DevEUI '" + std::string(text.substr(0, 40)) +
                 "' is not 16 hex digits");
    }
    out.push_back(
        static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (out.size() != 16) {
    return bad("DevEUI '" + std::string(text.substr(0, 40)) +
               "' is not 16 hex digits");
  }
  return out;
}

Result<Device> parse_device(const json::value& body, std::string tenant) {
  if (!body.is_object()) return bad("a device must be a JSON object");
  const auto& o = body.get_object();
  Device d;
  d.tenant = std::move(tenant);
  auto id = string_member(o, "id", true);
  if (!id) return std::unexpected(id.error());
  if (!valid_device_id(*id)) {
    return bad("device 'id' must be 1-64 characters of [A-Za-z0-9._-]");
  }
  d.id = *id;
  auto eui = string_member(o, "devEUI", false);
  if (!eui) return std::unexpected(eui.error());
  if (!eui->empty()) {
    auto n = normalize_dev_eui(*eui);
    if (!n) return std::unexpected(n.error());
    d.dev_eui = *n;
  }
  auto profile = string_member(o, "profile", true);
  if (!profile) return std::unexpected(profile.error());
  if (find_profile(*profile) == nullptr) {
    return bad("device 'profile' '" + *profile + "' is unknown");
  }
  d.profile = *profile;
  if (const json::value* p = member(o, "params")) {
    if (!p->is_object()) return bad("device member 'params' must be an object");
    d.params = p->get_object();
  }
  if (const json::value* l = member(o, "location")) {
    if (!l->is_object() || !l->get_object().contains("coordinates")) {
      return bad("device member 'location' must be a GeoJSON geometry");
    }
    d.location = *l;
  }
  if (auto s = read_entity(o, &d); !s) return std::unexpected(s.error());
  return d;
}

json::object device_to_json(const Device& d) {
  json::object o;
  o["id"] = d.id;
  if (!d.dev_eui.empty()) o["devEUI"] = d.dev_eui;
  o["profile"] = d.profile;
  o["params"] = d.params;
  json::object e;
  e["id"] = d.entity_id;
  e["type"] = d.entity_type;
  o["entity"] = std::move(e);
  if (!d.location.is_null()) o["location"] = d.location;
  return o;
}

json::object device_to_entity_json(const Device& d) {
  json::object o;
  o["id"] = device_entity_id(d.id);
  o["type"] = std::string(kDeviceType);
  if (!d.dev_eui.empty()) o["devEUI"] = property(json::value(d.dev_eui));
  json::object rel;
  rel["type"] = "Relationship";
  rel["object"] = d.entity_id;
  o["controlledAsset"] = std::move(rel);
  o["controlledAssetType"] = property(json::value(d.entity_type));
  o["payloadProfile"] = property(json::value(d.profile));
  o["profileParameters"] = property(d.params);
  if (!d.location.is_null()) {
    json::object g;
    g["type"] = "GeoProperty";
    g["value"] = d.location;
    o["location"] = std::move(g);
  }
  return o;
}

Result<ngsi::Entity> device_to_entity(const Device& device, TimePoint now) {
  auto entity = ngsi::parse_entity(json::value(device_to_entity_json(device)),
                                   *ngsi::Context::core(), now);
  if (!entity) return std::unexpected(entity.error());
  json::object hash;
  hash["type"] = "Property";
  hash["value"] = device.key_hash;
  entity->attrs[kDeviceKeyHashIri] = json::array{std::move(hash)};
  return entity;
}

Result<Device> device_from_entity(const ngsi::Entity& e, std::string tenant) {
  const auto& ctx = *ngsi::Context::core();
  std::string profile =
      string_value(instance_value(e, ctx, "payloadProfile", false));
  if (profile.empty() || !e.id.starts_with(kDevicePrefix)) {
    return fail(Code::kNotFound, "entity " + e.id + " is not a cocity device");
  }
  Device d;
  d.tenant = std::move(tenant);
  d.id = e.id.substr(kDevicePrefix.size());
  d.profile = std::move(profile);
  d.dev_eui = string_value(instance_value(e, ctx, "devEUI", false));
  d.entity_id = string_value(instance_value(e, ctx, "controlledAsset", true));
  d.entity_type =
      string_value(instance_value(e, ctx, "controlledAssetType", false));
  if (const json::value* p = instance_value(e, ctx, "profileParameters", false);
      p != nullptr && p->is_object()) {
    d.params = p->get_object();
  }
  if (const json::value* l = instance_value(e, ctx, "location", false)) {
    d.location = *l;
  }
  if (const json::value* hash = e.attrs.if_contains(kDeviceKeyHashIri);
      hash != nullptr && hash->is_array() && !hash->get_array().empty() &&
      hash->get_array()[0].is_object()) {
    if (const json::value* v =
            hash->get_array()[0].get_object().if_contains("value")) {
      d.key_hash = string_value(v);
    }
  }
  return d;
}

}  // namespace cocity::ingest
