#include "ingest/ingestor.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>

#include "ingest/payload_profile.h"
#include "ingest/reading_fragment.h"
#include "ingest/topic.h"
#include "ngsi/context.h"

namespace cocity::ingest {

namespace {

constexpr int kLogsPerSecond = 20;

// At most kLogsPerSecond warnings per second, process-wide.
bool may_log() {
  static std::atomic<int64_t> second{0};
  static std::atomic<int> count{0};
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::steady_clock::now().time_since_epoch())
                    .count();
  if (second.exchange(now) != now) count = 0;
  return count.fetch_add(1) < kLogsPerSecond;
}

std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Decoders say "out of range" for values they refuse; everything else they
// refuse is a malformed frame.
bool is_range_error(const Error& e) {
  return e.detail.find("out of range") != std::string::npos;
}

Result<Measurements> decode_uplink(const Device& device, const Uplink& u) {
  const PayloadProfile* p = find_profile(device.profile);
  if (p == nullptr) {
    return fail(
        Code::kInternal,
        "device " + device.id + " has the unknown profile " + device.profile);
  }
  if (p->decode != nullptr && !u.payload.empty()) {
    return p->decode(u.payload, device.params);
  }
  if (u.decoded) return decode_json_measurements(*u.decoded);
  return fail(Code::kBadRequestData,
              "the '" + device.profile +
                  "' profile needs a decoded payload, and the uplink has none");
}

}  // namespace

Ingestor::Ingestor(broker::Broker* broker, IngestOptions options)
    : broker_(broker),
      dead_letters_(options.dead_letters_per_tenant),
      devices_(broker),
      batcher_(broker, &stats_, options.batcher) {}

Ingestor::~Ingestor() = default;

Status Ingestor::reject(Reject why, const std::string& tenant,
                        const std::string& source, const Error& error,
                        std::string_view payload) {
  switch (why) {
    case Reject::kBadTopic:
      stats_.bad_topic.fetch_add(1, std::memory_order_relaxed);
      break;
    case Reject::kUnknownDevice:
      stats_.unknown_device.fetch_add(1, std::memory_order_relaxed);
      break;
    case Reject::kMalformed:
      stats_.malformed.fetch_add(1, std::memory_order_relaxed);
      break;
    case Reject::kOutOfRange:
      stats_.out_of_range.fetch_add(1, std::memory_order_relaxed);
      break;
  }
  if (may_log()) {
    spdlog::warn("ingest: rejected a message from {} (tenant '{}'): {}", source,
                 tenant, error.detail);
  }
  dead_letters_.add(tenant, broker_->now(), source, error.detail, payload);
  return std::unexpected(error);
}

Status Ingestor::push(const std::string& tenant, ngsi::Fragment fragment,
                      TimePoint now, const std::string& source, bool block,
                      Done done) {
  Update u{tenant, std::move(fragment), now, nullptr};
  std::string id = u.fragment.id;
  u.done = [this, tenant, source, id, done = std::move(done)](Status s) {
    if (!s) {
      stats_.store_errors.fetch_add(1, std::memory_order_relaxed);
      dead_letters_.add(tenant, broker_->now(), source,
                        "entity " + id + ": " + s.error().detail, "");
    }
    if (done) done(std::move(s));
  };
  auto s = batcher_.push(std::move(u), block);
  if (!s) stats_.overloaded.fetch_add(1, std::memory_order_relaxed);
  return s;
}

Status Ingestor::ingest_uplink(const Device& device, const Uplink& uplink,
                               std::string_view raw, const std::string& source,
                               bool block, Done done) {
  auto values = decode_uplink(device, uplink);
  if (!values) {
    Reject why = is_range_error(values.error()) ? Reject::kOutOfRange
                                                : Reject::kMalformed;
    return reject(why, device.tenant, source, values.error(), raw);
  }
  if (values->empty()) {  // e.g. a configuration frame
    if (done) done(ok());
    return ok();
  }
  TimePoint now = broker_->now();
  auto fragment =
      make_reading_fragment(device, *values, uplink.time.value_or(now), now);
  if (!fragment) {
    return reject(Reject::kOutOfRange, device.tenant, source, fragment.error(),
                  raw);
  }
  return push(device.tenant, std::move(*fragment), now, source, block,
              std::move(done));
}

Status Ingestor::lorawan(const std::string* tenant, Result<Uplink> uplink,
                         std::string_view raw, const std::string& source,
                         bool block, Done done) {
  std::string t = tenant != nullptr ? *tenant : "";
  if (!uplink)
    return reject(Reject::kMalformed, t, source, uplink.error(), raw);
  auto device = devices_.find_by_eui(uplink->dev_eui);
  if (!device || (tenant != nullptr && device->tenant != *tenant)) {
    Error e{Code::kNotFound,
            "no device with DevEUI " + uplink->dev_eui + " is registered" +
                (tenant != nullptr ? " in tenant '" + *tenant + "'" : ""),
            {}};
    return reject(Reject::kUnknownDevice, t, source, e, raw);
  }
  stats_.messages.fetch_add(1, std::memory_order_relaxed);
  return ingest_uplink(*device, *uplink, raw, source, block, std::move(done));
}

Status Ingestor::tts_uplink(const std::string& tenant, std::string_view body,
                            Done done) {
  return lorawan(&tenant, parse_tts_uplink(body), body, "http:tts", false,
                 std::move(done));
}

Status Ingestor::chirpstack_uplink(const std::string& tenant,
                                   std::string_view body, Done done) {
  return lorawan(&tenant, parse_chirpstack_uplink(body), body,
                 "http:chirpstack", false, std::move(done));
}

Status Ingestor::device_payload(const Device& device, std::string_view payload,
                                const std::string& source, bool block,
                                Done done) {
  stats_.messages.fetch_add(1, std::memory_order_relaxed);
  Uplink u;
  const PayloadProfile* p = find_profile(device.profile);
  if (p != nullptr && p->decode != nullptr) {
    auto b = as_bytes(payload);
    u.payload.assign(b.begin(), b.end());
  } else {
    auto doc = parse_json(payload);
    if (!doc) {
      return reject(Reject::kMalformed, device.tenant, source, doc.error(),
                    payload);
    }
    if (doc->is_object()) {
      if (const auto* t = doc->get_object().if_contains("observedAt");
          t != nullptr && t->is_string()) {
        auto tp = parse_iso_time(t->get_string());
        if (!tp) {
          return reject(Reject::kMalformed, device.tenant, source, tp.error(),
                        payload);
        }
        u.time = *tp;
      }
    }
    u.decoded = std::move(*doc);
  }
  return ingest_uplink(device, u, payload, source, block, std::move(done));
}

Status Ingestor::announce(const Device& device, Done done) {
  TimePoint now = broker_->now();
  auto fragment = make_announce_fragment(device, now);
  if (!fragment) return std::unexpected(fragment.error());
  return push(device.tenant, std::move(*fragment), now, "registry", true,
              std::move(done));
}

void Ingestor::mqtt_entities(const std::string& tenant,
                             std::string_view payload,
                             const std::string& source, const Done& done) {
  auto doc = parse_json(payload);
  if (!doc) {
    reject(Reject::kMalformed, tenant, source, doc.error(), payload);
    return;
  }
  json::array single;
  json::array* items = nullptr;
  if (doc->is_array()) {
    items = &doc->get_array();
  } else {
    single.push_back(std::move(*doc));
    items = &single;
  }
  TimePoint now = broker_->now();
  for (auto& item : *items) {
    auto f = ngsi::parse_fragment(std::move(item), *ngsi::Context::core(), now,
                                  true);
    if (f && f->id.empty()) {
      f = fail(Code::kBadRequestData, "entity 'id' is missing");
    }
    if (!f) {
      reject(Reject::kOutOfRange, tenant, source, f.error(), payload);
      continue;
    }
    push(tenant, std::move(*f), now, source, true, done);
  }
}

void Ingestor::on_mqtt_message(std::string_view topic, std::string_view payload,
                               std::shared_ptr<void> hold) {
  std::string source = "mqtt:" + std::string(topic.substr(0, 200));
  // Each reading's completion keeps the message held until it is durable.
  Done done = nullptr;
  if (hold) done = [hold = std::move(hold)](const Status&) {};
  auto t = parse_topic(topic);
  if (!t) {
    reject(Reject::kBadTopic, "", source, t.error(), payload);
    return;
  }
  switch (t->kind) {
    case TopicKind::kEntities:
      stats_.messages.fetch_add(1, std::memory_order_relaxed);
      mqtt_entities(t->tenant, payload, source, done);
      return;
    case TopicKind::kDevice: {
      auto device = devices_.find(t->tenant, t->device);
      if (!device) {
        Error e{Code::kNotFound,
                "device '" + t->device.substr(0, 80) +
                    "' is not registered in tenant '" + t->tenant + "'",
                {}};
        reject(Reject::kUnknownDevice, t->tenant, source, e, payload);
        return;
      }
      device_payload(*device, payload, source, true, done);
      return;
    }
    case TopicKind::kTts:
      lorawan(nullptr, parse_tts_uplink(payload), payload, source, true, done);
      return;
    case TopicKind::kChirpStack:
      lorawan(nullptr, parse_chirpstack_uplink(payload), payload, source, true,
              done);
      return;
  }
}

}  // namespace cocity::ingest
