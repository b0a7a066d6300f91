#include "server/ngsi_contexts.h"

#include <memory>

#include "server/context_registry.h"
#include "server/ngsi_request.h"

namespace cocity::server {
namespace {

std::string base_url(const HttpRequest& req) {
  std::string_view host = req.header("host");
  if (host.empty()) return "";
  return "http://" + std::string(host);
}

// The URL clients use for `info`: hosted and implicit contexts live here.
std::string public_url(const ContextInfo& info, const HttpRequest& req) {
  if (info.kind == ContextKind::kCached) return info.url;
  return base_url(req) + info.url;
}

json::object info_object(const ContextInfo& info, const HttpRequest& req) {
  json::object o;
  o["URL"] = public_url(info, req);
  o["localId"] = info.local_id;
  o["kind"] = context_kind_name(info.kind);
  o["createdAt"] = format_iso_time(info.created_at);
  o["numberOfHits"] = info.hits;
  if (info.last_usage) o["lastUsage"] = format_iso_time(*info.last_usage);
  return o;
}

Result<bool> read_flag(const HttpRequest& req, std::string_view name) {
  const std::string* v = req.query(name);
  if (!v) return false;
  if (*v == "true") return true;
  if (*v == "false") return false;
  return fail(Code::kBadRequestData,
              "parameter '" + std::string(name) + "' must be true or false");
}

class ContextHandlers {
 public:
  ContextHandlers(std::shared_ptr<ContextRegistry> registry, Limits limits)
      : registry_(std::move(registry)), limits_(limits) {}

  HttpResponse add(const HttpRequest& req) {
    std::string_view media = req.header("content-type");
    media = media.substr(0, media.find(';'));
    if (media != "application/json" && media != "application/ld+json") {
      return api_error(Error{Code::kInvalidRequest,
                             "header 'Content-Type' must be application/json "
                             "or application/ld+json",
                             "UnsupportedMediaType"});
    }
    auto doc =
        parse_json(req.body, JsonLimits{.max_depth = limits_.max_json_depth});
    if (!doc) return api_error(doc.error());
    auto info = registry_->add_hosted(*doc);
    if (!info) return api_error(info.error());
    HttpResponse r;
    r.status = 201;
    r.headers.emplace_back("Location", public_url(*info, req));
    return r;
  }

  HttpResponse list(const HttpRequest& req) {
    auto details = read_flag(req, "details");
    if (!details) return api_error(details.error());
    std::optional<ContextKind> kind;
    if (const std::string* k = req.query("kind")) {
      for (auto candidate : {ContextKind::kHosted, ContextKind::kCached,
                             ContextKind::kImplicit}) {
        if (*k == context_kind_name(candidate)) kind = candidate;
      }
      if (!kind) {
        return api_error(Error{Code::kBadRequestData,
                               "parameter 'kind' must be Hosted, Cached or "
                               "ImplicitlyCreated, not '" +
                                   k->substr(0, 100) + "'",
                               {}});
      }
    }
    json::array out;
    for (const auto& info : registry_->list(kind)) {
      if (*details) {
        out.push_back(info_object(info, req));
      } else {
        out.push_back(json::value(public_url(info, req)));
      }
    }
    return json_response(200, to_json(out));
  }

  HttpResponse serve(const HttpRequest& req) {
    auto details = read_flag(req, "details");
    if (!details) return api_error(details.error());
    std::string_view id = req.path_param("contextId");
    if (*details) {
      auto info = registry_->info(id);
      if (!info) return not_found(id);
      return json_response(200, to_json(info_object(*info, req)));
    }
    auto doc = registry_->document(id);
    if (!doc) return not_found(id);
    HttpResponse r;
    r.content_type = "application/ld+json";
    r.body = std::move(*doc);
    return r;
  }

  HttpResponse remove(const HttpRequest& req) {
    auto reload = read_flag(req, "reload");
    if (!reload) return api_error(reload.error());
    if (auto s = registry_->remove(req.path_param("contextId"), *reload); !s) {
      return api_error(s.error());
    }
    HttpResponse r;
    r.status = 204;
    return r;
  }

 private:
  static HttpResponse not_found(std::string_view id) {
    return api_error(Error{
        Code::kNotFound,
        "no @context '" + std::string(id.substr(0, 200)) + "' is known here",
        {}});
  }

  std::shared_ptr<ContextRegistry> registry_;
  Limits limits_;
};

}  // namespace

Status add_context_api(Router& router, const ServerConfig& config) {
  ContextSettings settings = config.contexts;
  settings.ca_file = config.ca_file;
  auto registry =
      ContextRegistry::open(settings, config.data_dir, Clock::system());
  if (!registry) return std::unexpected(registry.error());
  install_context_registry(*registry);
  auto h = std::make_shared<ContextHandlers>(*registry, config.limits);
  using Method = HttpResponse (ContextHandlers::*)(const HttpRequest&);
  auto bind = [h](Method fn) {
    return [h, fn](HttpRequest& req, Reply reply) { reply(((*h).*fn)(req)); };
  };
  const RouteOptions open{Role::kNone, false};
  const RouteOptions admin{Role::kAdmin, false};
  const std::string base = "/ngsi-ld/v1/jsonldContexts";
  router.add("POST", base, bind(&ContextHandlers::add), admin);
  router.add("GET", base, bind(&ContextHandlers::list), open);
  router.add("GET", base + "/{contextId}", bind(&ContextHandlers::serve), open);
  router.add("DELETE", base + "/{contextId}", bind(&ContextHandlers::remove),
             admin);
  return ok();
}

}  // namespace cocity::server
