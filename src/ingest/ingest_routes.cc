#include "ingest/ingest_routes.h"

#include <charconv>
#include <memory>
#include <string>

#include "ingest/device_key.h"
#include "server/http.h"
#include "store/store.h"

namespace cocity::ingest {

namespace {

using server::HttpRequest;
using server::HttpResponse;
using server::Reply;

constexpr size_t kDefaultDeadLetters = 100;
constexpr size_t kMaxDeadLetters = 1000;
constexpr std::string_view kDevices = "/api/v1/devices";

HttpResponse no_content() {
  HttpResponse r;
  r.status = 204;
  return r;
}

// Replies 204 after commit, or the error.
Ingestor::Done reply_when_durable(Reply reply) {
  return [reply = std::move(reply)](Status s) {
    reply(s ? no_content() : server::problem_response(s.error()));
  };
}

void answer(Status started, Reply& reply) {
  if (!started) reply(server::problem_response(started.error()));
}

Result<json::value> body_json(const HttpRequest& req) {
  return parse_json(req.body);
}

class IngestRoutes {
 public:
  explicit IngestRoutes(Ingestor* ingestor) : ingestor_(ingestor) {}

  void tts(HttpRequest& req, Reply reply) {
    answer(
        ingestor_->tts_uplink(req.tenant, req.body, reply_when_durable(reply)),
        reply);
  }

  void chirpstack(HttpRequest& req, Reply reply) {
    if (const auto* e = req.query("event"); e != nullptr && *e != "up") {
      return reply(no_content());  // join, status, ack, ...: not readings
    }
    answer(ingestor_->chirpstack_uplink(req.tenant, req.body,
                                        reply_when_durable(reply)),
           reply);
  }

  void create_device(HttpRequest& req, Reply reply) {
    auto body = body_json(req);
    if (!body) return reply(server::problem_response(body.error()));
    auto device = parse_device(*body, req.tenant);
    if (!device) return reply(server::problem_response(device.error()));
    auto key = make_device_key();
    if (!key) return reply(server::problem_response(key.error()));
    device->key_hash = hash_device_key(*key);
    auto shared = std::make_shared<Device>(std::move(*device));
    ingestor_->devices().create(
        *shared, [this, shared, key = *key, reply](Status s) {
          if (!s) return reply(server::problem_response(s.error()));
          // The fed entity gets its type and location; the reply does not
          // wait for it (it runs on the store's writer thread).
          ingestor_->announce(*shared, nullptr);
          json::object o = device_to_json(*shared);
          o["apiKey"] = key;
          HttpResponse r = server::json_response(201, to_json(o));
          r.headers.emplace_back("Location",
                                 std::string(kDevices) + "/" + shared->id);
          reply(std::move(r));
        });
  }

  void list_devices(HttpRequest& req, Reply reply) {
    json::array out;
    for (const auto& d : ingestor_->devices().list(req.tenant)) {
      out.push_back(device_to_json(*d));
    }
    reply(server::json_response(200, to_json(out)));
  }

  void get_device(HttpRequest& req, Reply reply) {
    auto d = ingestor_->devices().find(req.tenant,
                                       std::string(req.path_param("id")));
    if (!d) return reply(not_found(req));
    reply(server::json_response(200, to_json(device_to_json(*d))));
  }

  void replace_device(HttpRequest& req, Reply reply) {
    auto body = body_json(req);
    if (!body) return reply(server::problem_response(body.error()));
    std::string id(req.path_param("id"));
    if (body->is_object() && !body->get_object().contains("id")) {
      body->get_object()["id"] = id;
    }
    auto device = parse_device(*body, req.tenant);
    if (!device) return reply(server::problem_response(device.error()));
    if (device->id != id) {
      return reply(server::problem_response(Error{
          Code::kBadRequestData, "the body's id differs from the path's", {}}));
    }
    ingestor_->devices().replace(std::move(*device), [reply](Status s) {
      reply(s ? no_content() : server::problem_response(s.error()));
    });
  }

  void delete_device(HttpRequest& req, Reply reply) {
    ingestor_->devices().remove(
        req.tenant, std::string(req.path_param("id")), [reply](Status s) {
          reply(s ? no_content() : server::problem_response(s.error()));
        });
  }

  // Public route: the tenant is read here, the device key authenticates.
  void device_up(HttpRequest& req, Reply reply) {
    std::string tenant(req.header("ngsild-tenant"));
    if (!tenant.empty() && !store::valid_tenant_name(tenant)) {
      return reply(server::problem_response(Error{
          Code::kInvalidRequest, "NGSILD-Tenant is not a valid name", {}}));
    }
    auto d =
        ingestor_->devices().find(tenant, std::string(req.path_param("id")));
    if (!d || !device_key_matches(req.header("x-device-key"), d->key_hash)) {
      return reply(server::problem_response(Error{
          Code::kUnauthorized, "unknown device or wrong X-Device-Key", {}}));
    }
    answer(ingestor_->device_payload(*d, req.body, "http:device", false,
                                     reply_when_durable(reply)),
           reply);
  }

  void dead_letters(HttpRequest& req, Reply reply) {
    size_t limit = kDefaultDeadLetters;
    if (const auto* l = req.query("limit")) {
      auto r = std::from_chars(l->data(), l->data() + l->size(), limit);
      if (r.ec != std::errc() || r.ptr != l->data() + l->size() || limit == 0 ||
          limit > kMaxDeadLetters) {
        return reply(server::problem_response(
            Error{Code::kInvalidRequest, "limit must be 1..1000", "limit"}));
      }
    }
    json::array out;
    for (const auto& d : ingestor_->dead_letters().list(req.tenant, limit)) {
      out.push_back(dead_letter_to_json(d));
    }
    reply(server::json_response(200, to_json(out)));
  }

 private:
  static HttpResponse not_found(const HttpRequest& req) {
    return server::problem_response(
        Error{Code::kNotFound,
              "device " + std::string(req.path_param("id")) + " not found",
              {}});
  }

  Ingestor* ingestor_;
};

}  // namespace

void add_ingest_routes(server::Router& router, Ingestor& ingestor) {
  auto routes = std::make_shared<IngestRoutes>(&ingestor);
  auto bind = [routes](void (IngestRoutes::*m)(HttpRequest&, Reply)) {
    return [routes, m](HttpRequest& req, Reply reply) {
      ((*routes).*m)(req, std::move(reply));
    };
  };
  server::RouteOptions read{server::Role::kRead, true};
  server::RouteOptions write{server::Role::kWrite, true};
  server::RouteOptions open{server::Role::kNone, false};
  std::string d(kDevices);
  router.add("POST", "/api/v1/lorawan/tts", bind(&IngestRoutes::tts), write);
  router.add("POST", "/api/v1/lorawan/chirpstack",
             bind(&IngestRoutes::chirpstack), write);
  router.add("POST", d, bind(&IngestRoutes::create_device), write);
  router.add("GET", d, bind(&IngestRoutes::list_devices), read);
  router.add("GET", d + "/{id}", bind(&IngestRoutes::get_device), read);
  router.add("PUT", d + "/{id}", bind(&IngestRoutes::replace_device), write);
  router.add("DELETE", d + "/{id}", bind(&IngestRoutes::delete_device), write);
  router.add("POST", d + "/{id}/up", bind(&IngestRoutes::device_up), open);
  router.add("GET", "/api/v1/deadletters", bind(&IngestRoutes::dead_letters),
             read);
}

void add_ingest_metrics(server::Metrics& metrics, Ingestor& ingestor) {
  IngestStats* s = &ingestor.stats();
  auto add = [&](const char* name, const char* help, const char* type,
                 std::atomic<uint64_t>* v) {
    metrics.add_callback(name, help, type, [v] { return double(v->load()); });
  };
  add("cocity_ingest_messages_total", "Messages received for ingestion",
      "counter", &s->messages);
  add("cocity_ingest_readings_total", "Entity updates ingested (durable)",
      "counter", &s->readings);
  add("cocity_ingest_batches_total", "Broker writes issued by ingestion",
      "counter", &s->batches);
  add("cocity_ingest_in_flight", "Updates queued or awaiting commit", "gauge",
      &s->in_flight);
  add("cocity_ingest_duplicates_total",
      "Readings already stored (redelivered), dropped", "counter",
      &s->duplicates);
  add("cocity_ingest_late_total",
      "Readings older than the current value, kept as history only", "counter",
      &s->late);
  add("cocity_ingest_rejected_bad_topic_total", "Messages on unknown topics",
      "counter", &s->bad_topic);
  add("cocity_ingest_rejected_unknown_device_total",
      "Messages from unregistered devices", "counter", &s->unknown_device);
  add("cocity_ingest_rejected_malformed_total",
      "Malformed messages (JSON, base64, bytes)", "counter", &s->malformed);
  add("cocity_ingest_rejected_out_of_range_total",
      "Messages with out-of-range or invalid values", "counter",
      &s->out_of_range);
  add("cocity_ingest_store_errors_total", "Updates the store refused",
      "counter", &s->store_errors);
  add("cocity_ingest_overloaded_total", "Updates refused while full (503)",
      "counter", &s->overloaded);
}

}  // namespace cocity::ingest
