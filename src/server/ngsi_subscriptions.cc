#include "server/ngsi_subscriptions.h"

#include <charconv>
#include <filesystem>

#include "server/ngsi_request.h"

namespace cocity::server {
namespace {

constexpr uint64_t kDefaultLimit = 20;
constexpr uint64_t kMaxLimit = 1000;
constexpr std::string_view kPath = "/ngsi-ld/v1/subscriptions";

HttpResponse error_response(const Error& e) { return api_error(e); }

HttpResponse bad_request(std::string detail) {
  return api_error(Error{Code::kBadRequestData, std::move(detail), {}});
}

Result<uint64_t> read_count(const HttpRequest& req, std::string_view name,
                            uint64_t fallback) {
  const std::string* s = req.query(name);
  if (!s) return fallback;
  uint64_t v = 0;
  auto r = std::from_chars(s->data(), s->data() + s->size(), v);
  if (r.ec != std::errc() || r.ptr != s->data() + s->size()) {
    return fail(Code::kBadRequestData, "parameter '" + std::string(name) +
                                           "' must be a non-negative integer");
  }
  return v;
}

// The @context as given: the body member (JSON-LD), else the Link
// header's URL, else null (the core context).
json::value context_json(const HttpRequest& req, const json::value& doc) {
  if (const json::object* o = doc.if_object()) {
    if (const json::value* c = o->if_contains("@context")) return *c;
  }
  std::string_view link = req.header("link");
  size_t open = link.find('<');
  size_t close = link.find('>', open);
  if (open == std::string_view::npos || close == std::string_view::npos)
    return nullptr;
  return json::value(link.substr(open + 1, close - open - 1));
}

Result<std::string> path_id(const HttpRequest& req) {
  std::string id(req.path_param("id"));
  if (!ngsi::is_absolute_uri(id)) {
    return fail(Code::kBadRequestData,
                "subscription id '" + id + "' in the path is not a URI");
  }
  return id;
}

// `ctx` compacted the names in `body`; JSON-LD answers name it.
HttpResponse subscription_response(unsigned status, json::value body,
                                   const HttpRequest& req,
                                   const ngsi::Context& ctx) {
  std::string_view accept = req.header("accept");
  if (accept.find("application/ld+json") != std::string_view::npos) {
    std::string url =
        ctx.url().empty() ? std::string(ngsi::kCoreContextUrl) : ctx.url();
    auto add = [&](json::value& v) {
      if (json::object* o = v.if_object()) (*o)["@context"] = url;
    };
    if (json::array* items = body.if_array()) {
      for (auto& item : *items) add(item);
    } else {
      add(body);
    }
    HttpResponse r = json_response(status, to_json(body));
    r.content_type = "application/ld+json";
    return r;
  }
  return json_response(status, to_json(body));
}

class SubscriptionRoutes {
 public:
  SubscriptionRoutes(broker::Notifier* notifier, Limits limits)
      : notifier_(notifier), limits_(limits) {}

  void create(HttpRequest& req, Reply reply) {
    auto body = read_body(req, limits_);
    if (!body) return reply(error_response(body.error()));
    if (!body->doc.is_object())
      return reply(bad_request("the payload must be a JSON object"));
    json::value ctx_json = context_json(req, body->doc);
    json::object source = std::move(body->doc.get_object());
    source.erase("@context");
    auto id = notifier_->create(req.tenant, std::move(source),
                                std::move(ctx_json), body->ctx);
    if (!id) return reply(error_response(id.error()));
    HttpResponse r;
    r.status = 201;
    r.headers.emplace_back("Location", std::string(kPath) + "/" + *id);
    reply(std::move(r));
  }

  void list(HttpRequest& req, Reply reply) {
    auto limit = read_count(req, "limit", kDefaultLimit);
    if (!limit) return reply(error_response(limit.error()));
    auto offset = read_count(req, "offset", 0);
    if (!offset) return reply(error_response(offset.error()));
    if (*limit > kMaxLimit) {
      return reply(error_response(Error{
          Code::kTooManyResults,
          "parameter 'limit' must not exceed " + std::to_string(kMaxLimit),
          {}}));
    }
    const std::string* count = req.query("count");
    if (count && *count != "true" && *count != "false")
      return reply(bad_request("parameter 'count' must be true or false"));
    bool want_count = count && *count == "true";
    if (*limit == 0 && !want_count)
      return reply(
          bad_request("parameter 'limit' may be 0 only with count=true"));
    auto ctx = request_context(req);
    if (!ctx) return reply(error_response(ctx.error()));
    auto page = notifier_->list(req.tenant, *offset, *limit, ctx->get());
    json::array items;
    for (auto& item : page.items) items.push_back(std::move(item));
    HttpResponse r = subscription_response(200, std::move(items), req, **ctx);
    if (want_count) {
      r.headers.emplace_back("NGSILD-Results-Count",
                             std::to_string(page.total));
    }
    reply(std::move(r));
  }

  void retrieve(HttpRequest& req, Reply reply) {
    auto id = path_id(req);
    if (!id) return reply(error_response(id.error()));
    auto ctx = request_context(req);
    if (!ctx) return reply(error_response(ctx.error()));
    auto sub = notifier_->get(req.tenant, *id, ctx->get());
    if (!sub) return reply(error_response(sub.error()));
    reply(subscription_response(200, std::move(*sub), req, **ctx));
  }

  void update(HttpRequest& req, Reply reply) {
    auto id = path_id(req);
    if (!id) return reply(error_response(id.error()));
    auto body = read_body(req, limits_);
    if (!body) return reply(error_response(body.error()));
    if (!body->doc.is_object())
      return reply(bad_request("the payload must be a JSON object"));
    auto s = notifier_->update(req.tenant, *id, body->doc.get_object());
    if (!s) return reply(error_response(s.error()));
    HttpResponse r;
    r.status = 204;
    reply(std::move(r));
  }

  void remove(HttpRequest& req, Reply reply) {
    auto id = path_id(req);
    if (!id) return reply(error_response(id.error()));
    auto s = notifier_->remove(req.tenant, *id);
    if (!s) return reply(error_response(s.error()));
    HttpResponse r;
    r.status = 204;
    reply(std::move(r));
  }

 private:
  broker::Notifier* notifier_;
  Limits limits_;
};

}  // namespace

void add_subscription_api(Router& router, broker::Notifier& notifier,
                          const Limits& limits) {
  auto routes = std::make_shared<SubscriptionRoutes>(&notifier, limits);
  auto bind = [routes](void (SubscriptionRoutes::*fn)(HttpRequest&, Reply)) {
    return [routes, fn](HttpRequest& req, Reply reply) {
      ((*routes).*fn)(req, std::move(reply));
    };
  };
  const RouteOptions read{Role::kRead, true};
  const RouteOptions write{Role::kWrite, true};
  const std::string path(kPath);
  router.add("POST", path, bind(&SubscriptionRoutes::create), write);
  router.add("GET", path, bind(&SubscriptionRoutes::list), read);
  router.add("GET", path + "/{id}", bind(&SubscriptionRoutes::retrieve), read);
  router.add("PATCH", path + "/{id}", bind(&SubscriptionRoutes::update), write);
  router.add("DELETE", path + "/{id}", bind(&SubscriptionRoutes::remove),
             write);
}

Result<std::unique_ptr<broker::Notifier>> start_subscriptions(
    Router& router, broker::Broker& broker, const std::string& data_dir,
    const Limits& limits, const std::string& ca_file) {
  auto path = std::filesystem::path(data_dir) / "subscriptions.db";
  auto store = store::open_sqlite_subscription_store(path.string());
  if (!store) return std::unexpected(store.error());
  broker::NotifierOptions options;
  options.extra_ca_file = ca_file;
  options.resolve_context = [](const json::value& context) {
    return inline_context(context);
  };
  auto notifier =
      broker::Notifier::open(&broker, std::move(*store), std::move(options));
  if (!notifier) return std::unexpected(notifier.error());
  add_subscription_api(router, **notifier, limits);
  return notifier;
}

}  // namespace cocity::server
