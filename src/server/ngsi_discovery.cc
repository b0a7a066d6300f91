#include "server/ngsi_discovery.h"

#include <algorithm>
#include <random>

#include "server/ngsi_request.h"

namespace cocity::server {
namespace {

std::string unique_suffix() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx",
           static_cast<unsigned long long>(engine()));
  return buf;
}

json::array compact_all(const std::vector<std::string>& iris,
                        const ngsi::Context& ctx) {
  json::array out;
  for (const auto& iri : iris) out.push_back(json::value(ctx.compact(iri)));
  return out;
}

json::array string_array(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.push_back(json::value(s));
  return out;
}

json::object attribute_object(const store::AttributeSummary& a,
                              const ngsi::Context& ctx) {
  json::object o;
  o["id"] = a.name;
  o["type"] = "Attribute";
  o["attributeName"] = ctx.compact(a.name);
  o["attributeCount"] = a.entity_count;
  o["attributeTypes"] = string_array(a.kinds);
  o["typeNames"] = compact_all(a.types, ctx);
  return o;
}

json::object type_object(const store::TypeSummary& t,
                         const ngsi::Context& ctx) {
  json::object o;
  o["id"] = t.type;
  o["type"] = "EntityType";
  o["typeName"] = ctx.compact(t.type);
  json::array names;
  for (const auto& a : t.attributes) {
    names.push_back(json::value(ctx.compact(a.name)));
  }
  o["attributeNames"] = std::move(names);
  return o;
}

json::object type_info_object(const store::TypeSummary& t,
                              const ngsi::Context& ctx) {
  json::object o;
  o["id"] = t.type;
  o["type"] = "EntityTypeInfo";
  o["typeName"] = ctx.compact(t.type);
  o["entityCount"] = t.entity_count;
  json::array details;
  for (const auto& a : t.attributes) {
    json::object d;
    d["id"] = a.name;
    d["type"] = "Attribute";
    d["attributeName"] = ctx.compact(a.name);
    d["attributeTypes"] = string_array(a.kinds);
    details.push_back(std::move(d));
  }
  o["attributeDetails"] = std::move(details);
  return o;
}

class DiscoveryHandlers {
 public:
  explicit DiscoveryHandlers(store::Store* store) : store_(store) {}

  // What every discovery request needs: its context, output and catalog.
  struct Call {
    std::shared_ptr<const ngsi::Context> ctx;
    OutputSpec spec;
    store::CatalogSummary catalog;
    bool details = false;
  };

  Result<Call> begin(const HttpRequest& req) {
    Call call;
    auto ctx = request_context(req);
    if (!ctx) return std::unexpected(ctx.error());
    call.ctx = std::move(*ctx);
    auto spec = output_spec(req, *call.ctx);
    if (!spec) return std::unexpected(spec.error());
    call.spec = std::move(*spec);
    if (call.spec.media == MediaType::kGeoJson) {
      call.spec.media = MediaType::kJson;
    }
    if (const std::string* d = req.query("details")) {
      if (*d != "true" && *d != "false") {
        return fail(Code::kBadRequestData,
                    "parameter 'details' must be true or false");
      }
      call.details = *d == "true";
    }
    auto tenant = store_->tenant(req.tenant, false);
    if (!tenant) {
      if (tenant.error().code == Code::kNonexistentTenant) return call;
      return std::unexpected(tenant.error());
    }
    auto catalog = (*tenant)->catalog();
    if (!catalog) return std::unexpected(catalog.error());
    call.catalog = std::move(*catalog);
    return call;
  }

  HttpResponse types(const HttpRequest& req) {
    auto call = begin(req);
    if (!call) return api_error(call.error());
    const auto& ctx = *call->ctx;
    if (call->details) {
      json::array out;
      for (const auto& t : call->catalog.types) {
        out.push_back(type_object(t, ctx));
      }
      return entity_response(200, std::move(out), call->spec, ctx);
    }
    json::object list;
    list["id"] = "urn:ngsi-ld:EntityTypeList:" + unique_suffix();
    list["type"] = "EntityTypeList";
    json::array names;
    for (const auto& t : call->catalog.types) {
      names.push_back(json::value(ctx.compact(t.type)));
    }
    list["typeList"] = std::move(names);
    return entity_response(200, std::move(list), call->spec, ctx);
  }

  HttpResponse type(const HttpRequest& req) {
    auto call = begin(req);
    if (!call) return api_error(call.error());
    std::string_view name = req.path_param("type");
    std::string iri = call->ctx->expand(name);
    for (const auto& t : call->catalog.types) {
      if (t.type == iri) {
        return entity_response(200, type_info_object(t, *call->ctx), call->spec,
                               *call->ctx);
      }
    }
    return not_found("entity type", name);
  }

  HttpResponse attributes(const HttpRequest& req) {
    auto call = begin(req);
    if (!call) return api_error(call.error());
    const auto& ctx = *call->ctx;
    if (call->details) {
      json::array out;
      for (const auto& a : call->catalog.attributes) {
        out.push_back(attribute_object(a, ctx));
      }
      return entity_response(200, std::move(out), call->spec, ctx);
    }
    json::object list;
    list["id"] = "urn:ngsi-ld:AttributeList:" + unique_suffix();
    list["type"] = "AttributeList";
    json::array names;
    for (const auto& a : call->catalog.attributes) {
      names.push_back(json::value(ctx.compact(a.name)));
    }
    list["attributeList"] = std::move(names);
    return entity_response(200, std::move(list), call->spec, ctx);
  }

  HttpResponse attribute(const HttpRequest& req) {
    auto call = begin(req);
    if (!call) return api_error(call.error());
    std::string_view name = req.path_param("attr");
    std::string iri = call->ctx->expand(name);
    for (const auto& a : call->catalog.attributes) {
      if (a.name == iri) {
        return entity_response(200, attribute_object(a, *call->ctx), call->spec,
                               *call->ctx);
      }
    }
    return not_found("attribute", name);
  }

 private:
  static HttpResponse not_found(std::string_view what, std::string_view name) {
    return api_error(Error{Code::kNotFound,
                           "no " + std::string(what) + " '" +
                               std::string(name.substr(0, 200)) +
                               "' exists in this tenant",
                           {}});
  }

  store::Store* store_;
};

}  // namespace

void add_discovery_api(Router& router, store::Store& store) {
  auto h = std::make_shared<DiscoveryHandlers>(&store);
  using Method = HttpResponse (DiscoveryHandlers::*)(const HttpRequest&);
  auto bind = [h](Method fn) {
    return [h, fn](HttpRequest& req, Reply reply) { reply(((*h).*fn)(req)); };
  };
  const RouteOptions read{Role::kRead, true};
  const std::string base = "/ngsi-ld/v1/";
  router.add("GET", base + "types", bind(&DiscoveryHandlers::types), read);
  router.add("GET", base + "types/{type}", bind(&DiscoveryHandlers::type),
             read);
  router.add("GET", base + "attributes", bind(&DiscoveryHandlers::attributes),
             read);
  router.add("GET", base + "attributes/{attr}",
             bind(&DiscoveryHandlers::attribute), read);
}

}  // namespace cocity::server
