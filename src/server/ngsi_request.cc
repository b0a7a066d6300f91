#include "server/ngsi_request.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "core/text.h"
#include "ngsi/context_builder.h"
#include "ngsi/entity_parser.h"

namespace cocity::server {
namespace {

constexpr std::string_view kCoreContextPrefix =
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context";
constexpr std::string_view kContextRel = "http://www.w3.org/ns/json-ld#context";

// "application/ld+json; charset=utf-8" -> "application/ld+json"
std::string_view media_of(std::string_view content_type) {
  return trim(content_type.substr(0, content_type.find(';')));
}

std::unexpected<Error> bad_param(std::string_view name, std::string detail) {
  Error e{Code::kBadRequestData, std::move(detail), {}};
  (void)name;
  return std::unexpected(std::move(e));
}

// "http://host:port" as the client named this server, or "".
std::string base_url_of(const HttpRequest& req) {
  std::string_view host = req.header("host");
  if (host.empty() ||
      host.find_first_of(" /\\\"<>") != std::string_view::npos) {
    return "";
  }
  return "http://" + std::string(host);
}

Result<std::shared_ptr<const ngsi::Context>> context_from_url(
    std::string_view url, const HttpRequest* req) {
  if (auto* registry = context_registry()) {
    return registry->resolve(url, req ? req->header("host") : "");
  }
  if (url.starts_with(kCoreContextPrefix)) return ngsi::Context::core();
  return fail(Code::kLdContextNotAvailable,
              "the @context '" + std::string(url.substr(0, 200)) +
                  "' cannot be used: no context registry is installed");
}

std::atomic<ContextRegistry*> g_registry{nullptr};

}  // namespace

void install_context_registry(std::shared_ptr<ContextRegistry> registry) {
  // Installed registries live until the process ends: handlers may still
  // hold the raw pointer.
  static std::mutex mutex;
  static std::vector<std::shared_ptr<ContextRegistry>> kept;
  std::lock_guard lock(mutex);
  g_registry.store(registry.get(), std::memory_order_release);
  kept.push_back(std::move(registry));
}

ContextRegistry* context_registry() {
  return g_registry.load(std::memory_order_acquire);
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string_view::npos) end = s.size();
    auto item = trim(s.substr(start, end - start));
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

bool has_option(const HttpRequest& req, std::string_view option) {
  const std::string* o = req.query("options");
  if (!o) return false;
  for (const auto& v : split_list(*o)) {
    if (v == option) return true;
  }
  return false;
}

Status check_options(const HttpRequest& req,
                     std::initializer_list<std::string_view> allowed) {
  const std::string* o = req.query("options");
  if (!o) return ok();
  for (const auto& v : split_list(*o)) {
    bool known = false;
    for (auto a : allowed) known = known || v == a;
    if (!known) {  // a malformed request, not bad data (6.3.7)
      return fail(Code::kInvalidRequest,
                  "parameter 'options': '" + v + "' is not supported here");
    }
  }
  return ok();
}

Result<std::shared_ptr<const ngsi::Context>> inline_context(
    const json::value& context, const HttpRequest* req) {
  if (auto* registry = context_registry()) {
    if (req == nullptr) return registry->resolve_inline(context, "");
    return registry->resolve_inline(context, base_url_of(*req),
                                    req->header("host"));
  }
  if (context.is_string()) return context_from_url(context.get_string(), req);
  ngsi::ContextLoader loader =
      [req](std::string_view url,
            int) -> Result<std::shared_ptr<const ngsi::Context>> {
    return context_from_url(url, req);
  };
  return ngsi::build_context(context, loader);
}

namespace {

bool has_context_link(const HttpRequest& req) {
  return req.header("link").find(kContextRel) != std::string_view::npos;
}

}  // namespace

Result<std::shared_ptr<const ngsi::Context>> request_context(
    const HttpRequest& req) {
  std::string_view link = req.header("link");
  if (link.empty()) return ngsi::Context::core();
  // <url>; rel="http://www.w3.org/ns/json-ld#context";
  // type="application/ld+json"
  size_t open = link.find('<');
  size_t close = link.find('>', open);
  if (open == std::string_view::npos || close == std::string_view::npos ||
      link.find(kContextRel) == std::string_view::npos) {
    return fail(Code::kBadRequestData, "header 'Link' must be <URL>; rel=\"" +
                                           std::string(kContextRel) +
                                           "\"; type=\"application/ld+json\"");
  }
  return context_from_url(link.substr(open + 1, close - open - 1), &req);
}

Result<NgsiBody> read_body(const HttpRequest& req, const Limits& limits,
                           json::storage_ptr storage) {
  std::string_view media = media_of(req.header("content-type"));
  bool ld = media == "application/ld+json";
  if (!ld && media != "application/json") {
    return std::unexpected(
        Error{Code::kInvalidRequest,
              "header 'Content-Type' must be application/json or "
              "application/ld+json, not '" +
                  std::string(media) + "'",
              "UnsupportedMediaType"});
  }
  auto doc =
      parse_json(req.body, JsonLimits{.max_depth = limits.max_json_depth},
                 std::move(storage));
  if (!doc) return std::unexpected(doc.error());
  NgsiBody body{std::move(*doc), nullptr};
  const json::value* inline_ctx = nullptr;
  if (body.doc.is_object())
    inline_ctx = body.doc.get_object().if_contains("@context");
  if (ld) {
    if (has_context_link(req)) {
      return fail(Code::kBadRequestData,
                  "an application/ld+json request carries its @context in "
                  "the body and must not also send one in a Link header");
    }
    if (!inline_ctx && body.doc.is_object()) {
      return fail(Code::kBadRequestData,
                  "an application/ld+json body must carry an '@context'");
    }
    if (inline_ctx) {
      auto c = inline_context(*inline_ctx, &req);
      if (!c) return std::unexpected(c.error());
      body.ctx = std::move(*c);
    } else {
      body.ctx = ngsi::Context::core();  // arrays: @context per element
    }
    return body;
  }
  if (inline_ctx) {
    return fail(Code::kBadRequestData,
                "an application/json body must not carry '@context'; send it "
                "as application/ld+json or in a Link header");
  }
  auto c = request_context(req);
  if (!c) return std::unexpected(c.error());
  body.ctx = std::move(*c);
  return body;
}

namespace {

// Reads a projection list (4.21) from `*pos` to its end or to the '}'
// that closes it (when `nested`): names separated by ',' or '|', each
// optionally followed by a nested list in braces for the entities it links
// to. `fail_at` makes the error.
Result<Projection> read_projection(
    std::string_view s, size_t* pos, bool nested, int depth,
    const std::function<std::unexpected<Error>(std::string_view)>& fail_at) {
  if (depth > 8) return fail_at("nests too deeply");
  Projection out;
  while (true) {
    size_t end = s.find_first_of(",|{}", *pos);
    std::string_view name =
        trim(s.substr(*pos, end == std::string_view::npos ? end : end - *pos));
    if (name.empty()) return fail_at("has an empty name");
    if (!ngsi::valid_name(name)) {
      return fail_at("has a name with a forbidden character");
    }
    out.names.emplace_back(name);
    *pos = end;
    if (*pos != std::string_view::npos && s[*pos] == '{') {
      ++*pos;
      auto sub = read_projection(s, pos, true, depth + 1, fail_at);
      if (!sub) return sub;
      out.nested[std::string(name)] = std::move(*sub);
    }
    if (*pos == std::string_view::npos || *pos >= s.size()) {
      if (nested) return fail_at("has a '{' that is not closed");
      return out;
    }
    char c = s[*pos];
    ++*pos;
    if (c == '}') {
      if (!nested) return fail_at("has a '}' that closes nothing");
      // After a nested list: the end, another '}', or a separator.
      return out;
    }
    if (c != ',' && c != '|') return fail_at("has a name after a '}'");
  }
}

// The projection of parameter `param` (attrs, pick or omit).
Result<Projection> projection(std::string_view param, std::string_view value) {
  auto fail_at = [&](std::string_view why) {
    return fail(Code::kBadRequestData, "parameter '" + std::string(param) +
                                           "': '" + std::string(value) + "' " +
                                           std::string(why));
  };
  size_t pos = 0;
  return read_projection(value, &pos, false, 0, fail_at);
}

}  // namespace

Result<OutputSpec> output_spec(const HttpRequest& req,
                               const ngsi::Context& ctx) {
  OutputSpec spec;
  std::string_view accept = req.header("accept");
  if (!accept.empty()) {
    bool chosen = false;
    for (const auto& item : split_list(accept)) {
      std::string_view m = media_of(item);
      if (m == "application/json" || m == "*/*" || m == "application/*") {
        spec.media = MediaType::kJson;
      } else if (m == "application/ld+json") {
        spec.media = MediaType::kLdJson;
      } else if (m == "application/geo+json") {
        spec.media = MediaType::kGeoJson;
      } else {
        continue;
      }
      chosen = true;
      break;
    }
    if (!chosen) {
      return std::unexpected(
          Error{Code::kInvalidRequest,
                "header 'Accept' names no supported media type "
                "(application/json, application/ld+json, application/geo+json)",
                "NotAcceptable"});
    }
  }
  if (auto s = check_options(req, {"keyValues", "simplified", "concise",
                                   "normalized", "sysAttrs"});
      !s) {
    return std::unexpected(s.error());
  }
  auto& r = spec.render;
  if (has_option(req, "keyValues") || has_option(req, "simplified")) {
    r.format = ngsi::Format::kKeyValues;
  }
  if (has_option(req, "concise")) r.format = ngsi::Format::kConcise;
  r.sys_attrs = has_option(req, "sysAttrs");
  if (const std::string* f = req.query("format")) {
    if (*f == "keyValues" || *f == "simplified") {
      r.format = ngsi::Format::kKeyValues;
    } else if (*f == "concise") {
      r.format = ngsi::Format::kConcise;
    } else if (*f == "normalized") {
      r.format = ngsi::Format::kNormalized;
    } else {
      return fail(Code::kInvalidRequest,
                  "parameter 'format': '" + *f +
                      "' is not one of normalized, concise, keyValues "
                      "(or simplified)");
    }
  }
  const std::string* attrs = req.query("attrs");
  const std::string* pick = req.query("pick");
  const std::string* omit = req.query("omit");
  if (attrs && pick) {
    return bad_param("pick",
                     "parameters 'attrs' and 'pick' cannot be combined");
  }
  if (omit && (pick || attrs)) {
    return bad_param("omit", std::string("parameters 'omit' and '") +
                                 (pick ? "pick" : "attrs") +
                                 "' cannot be combined");
  }
  Projection attrs_p, pick_p, omit_p;
  for (auto [param, value, p] :
       {std::tuple{"attrs", attrs, &attrs_p}, std::tuple{"pick", pick, &pick_p},
        std::tuple{"omit", omit, &omit_p}}) {
    if (value == nullptr) continue;
    auto parsed = projection(param, *value);
    if (!parsed) return std::unexpected(parsed.error());
    *p = std::move(*parsed);
  }
  if (!attrs_p.nested.empty()) {
    return bad_param("attrs", "parameter 'attrs' takes names only, no '{'");
  }
  for (const auto& n : attrs_p.names) {
    if (n == "id" || n == "type") {
      return bad_param("attrs", "parameter 'attrs': '" + n +
                                    "' is no attribute (pick selects it)");
    }
  }
  if (attrs) {
    std::unordered_set<std::string> only;
    for (const auto& n : attrs_p.names) only.insert(ctx.expand(n));
    r.only = std::move(only);
  }
  apply_projection(pick ? &pick_p : nullptr, omit ? &omit_p : nullptr, ctx, &r);
  if (const std::string* ds = req.query("datasetId")) {
    std::unordered_set<std::string> ids;
    for (const auto& id : split_list(*ds)) {
      if (id != "@none" && !ngsi::is_absolute_uri(id)) {
        return bad_param("datasetId", "parameter 'datasetId': '" + id +
                                          "' is neither a URI nor @none");
      }
      ids.insert(id);
    }
    r.dataset_ids = std::move(ids);
  }
  if (const std::string* lang = req.query("lang")) r.lang = *lang;
  if (const std::string* g = req.query("geometryProperty")) {
    spec.geoproperty = ctx.expand(*g);
  }
  auto join = join_spec(req);
  if (!join) return std::unexpected(join.error());
  if ((!pick_p.nested.empty() || !omit_p.nested.empty()) &&
      join->mode == JoinSpec::Mode::kNone) {
    return bad_param(pick ? "pick" : "omit",
                     std::string("parameter '") + (pick ? "pick" : "omit") +
                         "' projects into linked entities ('{'), which "
                         "needs join=inline or join=flat");
  }
  join->pick = std::move(pick_p.nested);
  join->omit = std::move(omit_p.nested);
  if (spec.media != MediaType::kGeoJson) spec.join = std::move(*join);
  return spec;
}

HttpResponse entity_response(unsigned status, json::value body,
                             const OutputSpec& spec, const ngsi::Context& ctx) {
  std::string context_url =
      ctx.url().empty() ? std::string(ngsi::kCoreContextUrl) : ctx.url();
  HttpResponse r;
  r.status = status;
  if (spec.media == MediaType::kLdJson) {
    r.content_type = "application/ld+json";
    auto add = [&](json::value& v) {
      if (v.is_object()) v.get_object()["@context"] = context_url;
    };
    if (body.is_array()) {
      for (auto& e : body.get_array()) add(e);
    } else {
      add(body);
    }
  } else {
    r.content_type = spec.media == MediaType::kGeoJson ? "application/geo+json"
                                                       : "application/json";
    // A Feature or FeatureCollection names its @context as a member too,
    // so that it travels with the document (6.3.7); the Link stays.
    if (spec.media == MediaType::kGeoJson && body.is_object()) {
      body.get_object()["@context"] = context_url;
    }
    r.headers.emplace_back("Link", "<" + context_url + ">; rel=\"" +
                                       std::string(kContextRel) +
                                       "\"; type=\"application/ld+json\"");
  }
  r.body = to_json(body);
  return r;
}

HttpResponse api_error(const Error& error) {
  unsigned status = error.title == "NotAcceptable"          ? 406
                    : error.title == "UnsupportedMediaType" ? 415
                                                            : 0;
  if (status == 0) return problem_response(error);
  json::object body;
  body["type"] = "https://uri.etsi.org/ngsi-ld/errors/InvalidRequest";
  body["title"] = error.title;
  body["status"] = status;
  body["detail"] = error.detail;
  return json_response(status, to_json(body));
}

}  // namespace cocity::server
