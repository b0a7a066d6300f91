// Query entities: GET /ngsi-ld/v1/entities and POST
// /ngsi-ld/v1/entityOperations/query (ETSI GS CIM 009 v1.8, 5.7.2 and
// 5.7.3). Parameters are read and checked here into a QuerySpec; the store
// answers the conditions its index covers (ids, types and type expressions,
// idPattern, geoQ on location, value-index narrowing for q) and this file
// evaluates the rest (q, geoQ on another GeoProperty, scopeQ) on the bodies.
#include <re2/re2.h>

#include <algorithm>
#include <charconv>

#include "ngsi/entity_parser.h"
#include "ngsi/entity_writer.h"
#include "ngsi/geo_query.h"
#include "ngsi/query_eval.h"
#include "ngsi/query_parser.h"
#include "ngsi/type_expression.h"
#include "server/ngsi_handlers.h"
#include "server/ngsi_request.h"

namespace cocity::server {
namespace {

constexpr uint64_t kDefaultLimit = 20;
constexpr uint64_t kMaxLimit = 1000;
constexpr size_t kMaxIdPatternLength = 1024;
constexpr uint64_t kChunk = 1000;

std::unexpected<Error> bad_data(std::string detail) {
  return fail(Code::kBadRequestData, std::move(detail));
}

// The members of one query, as text, from the URL or from a Query body.
struct QueryText {
  const std::string* type = nullptr;
  std::vector<std::string> ids;
  const std::string* id_pattern = nullptr;
  const std::string* q = nullptr;
  const std::string* scope_q = nullptr;
  std::optional<ngsi::GeoQueryText> geo;
};

Result<uint64_t> read_count(const HttpRequest& req, std::string_view name,
                            uint64_t fallback) {
  const std::string* s = req.query(name);
  if (!s) return fallback;
  uint64_t v = 0;
  auto r = std::from_chars(s->data(), s->data() + s->size(), v);
  if (r.ec != std::errc() || r.ptr != s->data() + s->size()) {
    return bad_data("parameter '" + std::string(name) +
                    "' must be a non-negative integer, not '" + *s + "'");
  }
  return v;
}

Result<std::shared_ptr<const re2::RE2>> compile_id_pattern(
    const std::string& text) {
  if (text.size() > kMaxIdPatternLength) {
    return fail(Code::kTooComplexQuery,
                "idPattern: longer than " +
                    std::to_string(kMaxIdPatternLength) + " characters");
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(ngsi::kMaxPatternMemory);
  auto re = std::make_shared<const re2::RE2>(text, options);
  if (!re->ok()) {
    return bad_data("idPattern: '" + text.substr(0, 80) +
                    "' is not an accepted regular expression (RE2 syntax, "
                    "bounded size): " +
                    re->error());
  }
  return re;
}

Status read_types(const std::string& text, const ngsi::Context& ctx,
                  QuerySpec* spec) {
  auto expr = ngsi::parse_type_expression(text, ctx);
  if (!expr) return std::unexpected(expr.error());
  if (expr->is_plain_list()) {
    for (const auto& clause : expr->clauses)
      spec->sel.types.push_back(clause.front());
  } else {
    spec->sel.type_expr =
        std::make_shared<const ngsi::TypeExpression>(std::move(*expr));
  }
  return ok();
}

Status read_geo(const ngsi::GeoQueryText& text, const ngsi::Context& ctx,
                QuerySpec* spec) {
  auto geo = ngsi::parse_geo_query(text, ctx);
  if (!geo) return std::unexpected(geo.error());
  auto shared = std::make_shared<const ngsi::GeoQuery>(std::move(*geo));
  if (shared->geoproperty == ngsi::kLocationIri) {
    spec->sel.geo = std::move(shared);
  } else {
    spec->body_geo = std::move(shared);
  }
  return ok();
}

// Checks and parses every member into `spec`.
Status build_spec(const QueryText& text, const ngsi::Context& ctx,
                  QuerySpec* spec) {
  if (text.type) {
    if (auto s = read_types(*text.type, ctx, spec); !s) return s;
  }
  for (const auto& id : text.ids) {
    if (!ngsi::is_absolute_uri(id))
      return bad_data("parameter 'id': '" + id + "' is not a URI");
    spec->sel.ids.push_back(id);
  }
  if (text.id_pattern) {
    auto re = compile_id_pattern(*text.id_pattern);
    if (!re) return std::unexpected(re.error());
    spec->sel.id_pattern = std::move(*re);
  }
  if (text.q) {
    auto q = ngsi::parse_query(*text.q, ctx);
    if (!q) return std::unexpected(q.error());
    spec->q = std::make_shared<const ngsi::Query>(std::move(*q));
    spec->sel.q_hint = spec->q;
  }
  if (text.scope_q) {
    auto scope = ngsi::parse_scope_query(*text.scope_q);
    if (!scope) return std::unexpected(scope.error());
    spec->scope = std::make_shared<const ngsi::TypeExpression>(*scope);
  }
  if (text.geo) {
    if (auto s = read_geo(*text.geo, ctx, spec); !s) return s;
  }
  return ok();
}

Result<QueryText> url_query(const HttpRequest& req) {
  if (req.query("csf")) {
    return fail(Code::kOperationNotSupported,
                "parameter 'csf' is not supported yet by cocity (see "
                "docs/api.md)");
  }
  QueryText text;
  text.type = req.query("type");
  if (const std::string* ids = req.query("id")) text.ids = split_list(*ids);
  text.id_pattern = req.query("idPattern");
  text.q = req.query("q");
  text.scope_q = req.query("scopeQ");
  const std::string* georel = req.query("georel");
  const std::string* geometry = req.query("geometry");
  const std::string* coordinates = req.query("coordinates");
  if (georel || geometry || coordinates) {
    if (!georel || !geometry || !coordinates) {
      return bad_data(
          "a geo-query needs all of 'georel', 'geometry' and 'coordinates'");
    }
    ngsi::GeoQueryText geo{*georel, *geometry, {}, ""};
    if (const std::string* gp = req.query("geoproperty")) geo.geoproperty = *gp;
    if (auto s = ngsi::read_coordinates(*coordinates, &geo); !s)
      return std::unexpected(s.error());
    text.geo = std::move(geo);
  }
  const std::string* local = req.query("local");
  if (!text.type && text.ids.empty() && !text.id_pattern && !text.q &&
      !text.geo && !text.scope_q && !req.query("attrs") &&
      !(local && *local == "true")) {
    return bad_data(
        "a query needs at least one of the parameters 'type', 'id', "
        "'idPattern', 'q', 'georel', 'scopeQ' or 'attrs' (or local=true to "
        "list every entity)");
  }
  return text;
}

// Renders entities as the requested media type.
json::value render_all(const std::vector<ngsi::Entity>& entities,
                       const OutputSpec& spec, const ngsi::Context& ctx) {
  if (spec.media == MediaType::kGeoJson) {
    json::object fc;
    fc["type"] = "FeatureCollection";
    json::array features;
    for (const auto& e : entities) {
      features.push_back(
          ngsi::render_feature(e, spec.render, ctx, spec.geoproperty));
    }
    fc["features"] = std::move(features);
    return fc;
  }
  json::array out;
  for (const auto& e : entities)
    out.push_back(ngsi::render_entity(e, spec.render, ctx));
  return out;
}

const std::string* string_member(const json::object& o, std::string_view key,
                                 std::string* scratch) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return nullptr;
  *scratch = std::string(v->get_string());
  return scratch;
}

// Paging parameters, shared by GET and POST (always from the URL).
Result<QuerySpec> paging(const HttpRequest& req) {
  QuerySpec spec;
  auto limit = read_count(req, "limit", kDefaultLimit);
  if (!limit) return std::unexpected(limit.error());
  auto offset = read_count(req, "offset", 0);
  if (!offset) return std::unexpected(offset.error());
  if (*limit > kMaxLimit) {
    return fail(Code::kTooManyResults, "parameter 'limit' must not exceed " +
                                           std::to_string(kMaxLimit));
  }
  const std::string* count = req.query("count");
  if (count && *count != "true" && *count != "false") {
    return bad_data("parameter 'count' must be true or false");
  }
  spec.count = count && *count == "true";
  spec.sel.count = spec.count;
  if (*limit == 0 && !spec.count) {
    return bad_data("parameter 'limit' may be 0 only with count=true");
  }
  spec.limit = *limit;
  spec.offset = *offset;
  return spec;
}

Status read_selectors(const json::object& o, QueryText* text,
                      std::string* type_text, std::string* pattern) {
  const json::value* entities = o.if_contains("entities");
  if (!entities) return ok();
  if (!entities->is_array())
    return bad_data("'entities' must be an array of entity selectors");
  const json::array& list = entities->get_array();
  for (const auto& e : list) {
    const json::object* sel = e.if_object();
    if (!sel) return bad_data("an entity selector must be an object");
    std::string scratch;
    if (const std::string* t = string_member(*sel, "type", &scratch)) {
      if (!type_text->empty()) *type_text += "|";
      *type_text += "(" + *t + ")";
    }
    if (string_member(*sel, "id", &scratch)) text->ids.push_back(scratch);
    if (string_member(*sel, "idPattern", &scratch)) {
      if (list.size() > 1) {
        return fail(Code::kOperationNotSupported,
                    "'idPattern' is supported in a single entity selector "
                    "only");
      }
      *pattern = scratch;
      text->id_pattern = pattern;
    }
  }
  if (list.size() > 1 && !type_text->empty() && !text->ids.empty()) {
    return fail(Code::kOperationNotSupported,
                "several entity selectors must name either only types or "
                "only ids");
  }
  if (!type_text->empty()) text->type = type_text;
  return ok();
}

// The Query data type (5.2.23): type "Query", entities (an array of
// {id, idPattern, type}), attrs, q, geoQ, scopeQ. Several entity selectors
// are supported when each names only types (their union) or only ids.
Status read_query_body(const json::value& doc, const ngsi::Context& ctx,
                       QuerySpec* spec, OutputSpec* out) {
  if (!doc.is_object()) return bad_data("the Query body must be an object");
  const json::object& o = doc.get_object();
  if (const auto* t = o.if_contains("type");
      !t || !t->is_string() || t->get_string() != "Query") {
    return bad_data("the body's 'type' must be \"Query\"");
  }
  for (const char* unsupported : {"csf", "temporalQ"}) {
    if (o.contains(unsupported)) {
      return fail(Code::kOperationNotSupported,
                  std::string("Query member '") + unsupported +
                      "' is not supported yet by cocity");
    }
  }
  QueryText text;
  std::string type_text, pattern, q, scope;
  if (auto s = read_selectors(o, &text, &type_text, &pattern); !s) return s;
  text.q = string_member(o, "q", &q);
  text.scope_q = string_member(o, "scopeQ", &scope);
  if (const auto* g = o.if_contains("geoQ")) {
    const json::object* go = g->if_object();
    if (!go) return bad_data("'geoQ' must be an object");
    ngsi::GeoQueryText geo;
    std::string scratch;
    if (string_member(*go, "georel", &scratch)) geo.georel = scratch;
    if (string_member(*go, "geometry", &scratch)) geo.geometry = scratch;
    if (string_member(*go, "geoproperty", &scratch)) geo.geoproperty = scratch;
    if (const auto* c = go->if_contains("coordinates")) {
      if (c->is_string()) {
        if (auto s = ngsi::read_coordinates(c->get_string(), &geo); !s)
          return s;
      } else {
        geo.coordinates = *c;
      }
    }
    text.geo = std::move(geo);
  }
  if (const auto* attrs = o.if_contains("attrs")) {
    if (!attrs->is_array()) return bad_data("'attrs' must be an array");
    std::unordered_set<std::string> only;
    for (const auto& a : attrs->get_array()) {
      if (!a.is_string()) return bad_data("'attrs' must hold strings");
      only.insert(ctx.expand(a.get_string()));
    }
    spec->with_attrs.assign(only.begin(), only.end());
    out->render.only = std::move(only);
  }
  return build_spec(text, ctx, spec);
}

}  // namespace

void NgsiHandlers::query_entities(HttpRequest& req, Reply reply) {
  auto ctx = request_context(req);
  if (!ctx) return reply(api_error(ctx.error()));
  auto out = output_spec(req, **ctx);
  if (!out) return reply(api_error(out.error()));
  auto spec = paging(req);
  if (!spec) return reply(api_error(spec.error()));
  auto text = url_query(req);
  if (!text) return reply(api_error(text.error()));
  if (auto s = build_spec(*text, **ctx, &*spec); !s)
    return reply(api_error(s.error()));
  if (req.query("attrs") && out->render.only) {
    spec->with_attrs.assign(out->render.only->begin(), out->render.only->end());
  }
  answer_query(req.tenant, *spec, *out, **ctx, std::move(reply));
}

void NgsiHandlers::query_post(HttpRequest& req, Reply reply) {
  auto body = read_body(req, limits_);
  if (!body) return reply(api_error(body.error()));
  auto out = output_spec(req, *body->ctx);
  if (!out) return reply(api_error(out.error()));
  auto spec = paging(req);
  if (!spec) return reply(api_error(spec.error()));
  auto s = read_query_body(body->doc, *body->ctx, &*spec, &*out);
  if (!s) return reply(api_error(s.error()));
  answer_query(req.tenant, *spec, *out, *body->ctx, std::move(reply));
}

void NgsiHandlers::answer_query(const std::string& tenant,
                                const QuerySpec& spec, const OutputSpec& out,
                                const ngsi::Context& ctx, Reply reply) {
  auto page = find_matching(tenant, spec);
  if (!page) {
    // An unknown tenant simply has no entities yet.
    if (page.error().code != Code::kNonexistentTenant) {
      return reply(api_error(page.error()));
    }
    page = store::Page{};
  }
  json::value body = render_all(page->entities, out, ctx);
  // 4.21: an entity that pick or omit leave nothing of is not listed.
  if (auto* list = body.if_array()) {
    list->erase(std::remove_if(list->begin(), list->end(),
                               [](const json::value& v) {
                                 return v.is_object() && v.get_object().empty();
                               }),
                list->end());
  }
  if (out.join.mode != JoinSpec::Mode::kNone && body.is_array()) {
    join_linked(page->entities, out.join, out.render, ctx,
                linked_entities(tenant), &body.get_array());
  }
  HttpResponse r = entity_response(200, std::move(body), out, ctx);
  if (spec.count) {
    r.headers.emplace_back("NGSILD-Results-Count", std::to_string(page->total));
  }
  reply(std::move(r));
}

bool QuerySpec::holds(const ngsi::Entity& e) const {
  if (q && !ngsi::evaluate(*q, e)) return false;
  if (body_geo && !ngsi::geo_matches(*body_geo, e)) return false;
  if (scope && !ngsi::scope_matches(*scope, e.scope)) return false;
  if (!with_attrs.empty() &&
      std::none_of(with_attrs.begin(), with_attrs.end(),
                   [&](const std::string& a) { return e.attrs.contains(a); })) {
    return false;
  }
  return true;
}

// The store answers index conditions with paging pushed down; the rest is
// evaluated on bodies read in id order, a chunk at a time (each chunk
// starts after the last id of the one before, so a long walk stays
// linear), stopping once the page is full unless the total is wanted.
Result<store::Page> NgsiHandlers::find_matching(const std::string& tenant,
                                                const QuerySpec& spec) {
  if (!spec.q && !spec.body_geo && !spec.scope && spec.with_attrs.empty()) {
    return broker_->find(tenant, spec.sel, spec.offset, spec.limit);
  }
  store::Page out;
  store::EntitySelector sel = spec.sel;
  sel.count = false;  // only whether another chunk follows
  for (;;) {
    auto chunk = broker_->find(tenant, sel, 0, kChunk);
    if (!chunk) return std::unexpected(chunk.error());
    for (auto& e : chunk->entities) {
      if (!sel.after_id.empty() && e.id <= sel.after_id) continue;
      sel.after_id = e.id;
      if (!spec.holds(e)) continue;
      if (out.total >= spec.offset && out.entities.size() < spec.limit) {
        out.entities.push_back(std::move(e));
      }
      ++out.total;
    }
    if (!spec.count && out.entities.size() >= spec.limit) break;
    if (chunk->total <= kChunk || chunk->entities.empty()) break;
  }
  return out;
}

}  // namespace cocity::server
