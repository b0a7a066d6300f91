#include "ingest/lorawan_uplink.h"

#include "ingest/base64.h"
#include "ingest/device.h"

namespace cocity::ingest {

namespace {

const json::object* object_at(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

const json::string* string_at(const json::object* o, std::string_view name) {
  if (o == nullptr) return nullptr;
  const json::value* v = o->if_contains(name);
  return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

Result<json::object> parse_object(std::string_view body, const char* what) {
  auto doc = parse_json(body);
  if (!doc) return std::unexpected(doc.error());
  if (!doc->is_object()) {
    return fail(Code::kInvalidRequest,
                std::string(what) + " uplink must be a JSON object");
  }
  return std::move(doc->get_object());
}

Status read_eui(const json::string* eui, const char* field, Uplink* u) {
  if (eui == nullptr) {
    return fail(Code::kBadRequestData, std::string(field) + " is missing");
  }
  auto n = normalize_dev_eui(*eui);
  if (!n) return std::unexpected(n.error());
  u->dev_eui = *n;
  return ok();
}

Status read_time(const json::string* t, const char* field, Uplink* u) {
  if (t == nullptr) return ok();
  auto tp = parse_iso_time(*t);
  if (!tp) {
    return fail(Code::kBadRequestData,
                std::string(field) + ": " + tp.error().detail);
  }
  u->time = *tp;
  return ok();
}

Status read_payload(const json::string* b64, const json::value* decoded,
                    const char* field, Uplink* u) {
  if (b64 != nullptr) {
    auto bytes = decode_base64(*b64);
    if (!bytes) {
      return fail(Code::kInvalidRequest,
                  std::string(field) + ": " + bytes.error().detail);
    }
    u->payload = std::move(*bytes);
  }
  if (decoded != nullptr && decoded->is_object()) u->decoded = *decoded;
  if (u->payload.empty() && !u->decoded) {
    return fail(Code::kBadRequestData, std::string("the uplink has neither ") +
                                           field + " nor a decoded payload");
  }
  return ok();
}

uint32_t port_at(const json::object* o, std::string_view name) {
  if (o == nullptr) return 0;
  const json::value* v = o->if_contains(name);
  if (v != nullptr && v->is_int64() && v->get_int64() >= 0 &&
      v->get_int64() <= 255) {
    return static_cast<uint32_t>(v->get_int64());
  }
  return 0;
}

}  // namespace

Result<Uplink> parse_tts_uplink(std::string_view body) {
  auto o = parse_object(body, "a The Things Stack");
  if (!o) return std::unexpected(o.error());
  Uplink u;
  const json::object* ids = object_at(*o, "end_device_ids");
  if (auto s =
          read_eui(string_at(ids, "dev_eui"), "end_device_ids.dev_eui", &u);
      !s) {
    return std::unexpected(s.error());
  }
  if (const auto* name = string_at(ids, "device_id")) u.device_name = *name;
  const json::object* msg = object_at(*o, "uplink_message");
  if (msg == nullptr) {
    return fail(Code::kBadRequestData, "uplink_message is missing");
  }
  u.f_port = port_at(msg, "f_port");
  const json::string* t = string_at(msg, "received_at");
  if (t == nullptr) t = string_at(&*o, "received_at");
  if (auto s = read_time(t, "received_at", &u); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = read_payload(string_at(msg, "frm_payload"),
                            msg->if_contains("decoded_payload"),
                            "uplink_message.frm_payload", &u);
      !s) {
    return std::unexpected(s.error());
  }
  return u;
}

Result<Uplink> parse_chirpstack_uplink(std::string_view body) {
  auto o = parse_object(body, "a ChirpStack");
  if (!o) return std::unexpected(o.error());
  Uplink u;
  const json::object* info = object_at(*o, "deviceInfo");
  if (auto s = read_eui(string_at(info, "devEui"), "deviceInfo.devEui", &u);
      !s) {
    return std::unexpected(s.error());
  }
  if (const auto* name = string_at(info, "deviceName")) u.device_name = *name;
  u.f_port = port_at(&*o, "fPort");
  if (auto s = read_time(string_at(&*o, "time"), "time", &u); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = read_payload(string_at(&*o, "data"), o->if_contains("object"),
                            "data", &u);
      !s) {
    return std::unexpected(s.error());
  }
  return u;
}

}  // namespace cocity::ingest
