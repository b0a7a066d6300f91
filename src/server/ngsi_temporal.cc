#include "server/ngsi_temporal.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <regex>

#include "ngsi/entity_parser.h"
#include "ngsi/entity_writer.h"
#include "ngsi/query_eval.h"
#include "ngsi/query_parser.h"
#include "server/ngsi_request.h"
#include "store/history_aggregate.h"

namespace cocity::server {
namespace {

using store::AggrMethod;
using store::HistoryEntry;

constexpr uint64_t kMaxInstances = 200'000;  // per request
constexpr uint64_t kDefaultEntities = 20;
constexpr uint64_t kMaxEntities = 1000;

std::unexpected<Error> bad_data(std::string detail) {
  return fail(Code::kBadRequestData, std::move(detail));
}

Error bad_request(std::string detail) {
  return Error{Code::kBadRequestData, std::move(detail), {}};
}

HttpResponse no_content() {
  HttpResponse r;
  r.status = 204;
  return r;
}

enum class Representation { kNormalized, kTemporalValues, kAggregated };

// What a temporal read asks for, from its query parameters.
struct TemporalQuery {
  std::optional<TimePoint> from;  // inclusive
  std::optional<TimePoint> to;    // exclusive
  bool by_recorded = false;
  uint64_t last_n = 0;
  Representation repr = Representation::kNormalized;
  std::vector<AggrMethod> methods;
  Micros period{0};
};

Result<TimePoint> time_param(const HttpRequest& req, std::string_view name) {
  const std::string* s = req.query(name);
  if (!s) return bad_data("parameter '" + std::string(name) + "' is missing");
  auto t = parse_iso_time(*s);
  if (!t) {
    return bad_data("parameter '" + std::string(name) + "': '" + *s +
                    "' is not an ISO 8601 date-time");
  }
  return *t;
}

Status read_timerel(const HttpRequest& req, TemporalQuery* q) {
  const std::string* rel = req.query("timerel");
  if (!rel) {
    if (req.query("timeAt") || req.query("endTimeAt"))
      return bad_data("parameter 'timeAt' needs 'timerel'");
    return ok();
  }
  auto at = time_param(req, "timeAt");
  if (!at) return std::unexpected(at.error());
  if (*rel == "before") {
    q->to = *at;
  } else if (*rel == "after") {
    q->from = *at + Micros(1);
  } else if (*rel == "between") {
    auto end = time_param(req, "endTimeAt");
    if (!end) return std::unexpected(end.error());
    if (*end <= *at)
      return bad_data("parameter 'endTimeAt' must be after 'timeAt'");
    q->from = *at;
    q->to = *end;
  } else {
    return bad_data("parameter 'timerel': '" + *rel +
                    "' is not one of before, after, between");
  }
  return ok();
}

Status read_timeproperty(const HttpRequest& req, TemporalQuery* q) {
  const std::string* p = req.query("timeproperty");
  if (!p || *p == "observedAt") return ok();
  if (*p == "modifiedAt" || *p == "createdAt") {
    q->by_recorded = true;
    return ok();
  }
  return bad_data("parameter 'timeproperty': '" + *p +
                  "' is not one of observedAt, modifiedAt, createdAt");
}

Status read_count(const HttpRequest& req, std::string_view name,
                  uint64_t* out) {
  const std::string* s = req.query(name);
  if (!s) return ok();
  auto r = std::from_chars(s->data(), s->data() + s->size(), *out);
  if (r.ec != std::errc() || r.ptr != s->data() + s->size() || *out == 0) {
    return bad_data("parameter '" + std::string(name) +
                    "' must be a positive integer, not '" + *s + "'");
  }
  return ok();
}

Status read_representation(const HttpRequest& req, TemporalQuery* q) {
  const std::string* format = req.query("format");
  bool values = has_option(req, "temporalValues") ||
                (format && *format == "temporalValues");
  bool aggregated = has_option(req, "aggregatedValues") ||
                    (format && *format == "aggregatedValues");
  if (values && aggregated) {
    return bad_data("temporalValues and aggregatedValues exclude each other");
  }
  if (values) q->repr = Representation::kTemporalValues;
  if (!aggregated) return ok();
  q->repr = Representation::kAggregated;
  const std::string* methods = req.query("aggrMethods");
  if (!methods) return bad_data("aggregatedValues needs 'aggrMethods'");
  for (const auto& name : split_list(*methods)) {
    auto m = store::parse_aggr_method(name);
    if (!m) return std::unexpected(m.error());
    q->methods.push_back(*m);
  }
  if (q->methods.empty()) return bad_data("parameter 'aggrMethods' is empty");
  if (const std::string* d = req.query("aggrPeriodDuration")) {
    auto period = store::parse_iso_duration(*d);
    if (!period) return std::unexpected(period.error());
    q->period = *period;
  }
  return ok();
}

Result<TemporalQuery> temporal_query(const HttpRequest& req) {
  TemporalQuery q;
  if (auto s = read_timerel(req, &q); !s) return std::unexpected(s.error());
  if (auto s = read_timeproperty(req, &q); !s)
    return std::unexpected(s.error());
  if (auto s = read_count(req, "lastN", &q.last_n); !s)
    return std::unexpected(s.error());
  if (auto s = read_representation(req, &q); !s)
    return std::unexpected(s.error());
  return q;
}

// output_spec() knows the entity representations only: hide the temporal
// ones from it.
Result<OutputSpec> temporal_output_spec(const HttpRequest& req,
                                        const ngsi::Context& ctx) {
  HttpRequest copy;
  copy.headers = req.headers;
  for (const auto& [name, value] : req.query_params) {
    if (name == "format" &&
        (value == "temporalValues" || value == "aggregatedValues"))
      continue;
    if (name == "options") {
      std::string kept;
      for (const auto& o : split_list(value)) {
        if (o == "temporalValues" || o == "aggregatedValues") continue;
        if (!kept.empty()) kept += ',';
        kept += o;
      }
      if (!kept.empty()) copy.query_params.emplace_back(name, kept);
      continue;
    }
    copy.query_params.emplace_back(name, value);
  }
  return output_spec(copy, ctx);
}

std::string time_text(const HistoryEntry& e, bool by_recorded) {
  return format_iso_time(by_recorded ? e.recorded_at : e.observed_at);
}

json::value entry_value(const HistoryEntry& e) {
  if (e.number) {
    // Integral values print as integers ("20", not "2E1").
    double x = *e.number;
    if (std::nearbyint(x) == x && std::fabs(x) < 9.0e15)
      return static_cast<int64_t>(x);
    return x;
  }
  for (std::string_view m : {"value", "object", "languageMap", "vocab",
                             "valueList", "objectList", "json"}) {
    if (const json::value* v = e.instance.if_contains(m)) return *v;
  }
  return nullptr;
}

std::string attr_type(const HistoryEntry& e) {
  if (const json::value* t = e.instance.if_contains("type"))
    if (t->is_string()) return std::string(t->get_string());
  return "Property";
}

// One attribute's entries grouped by datasetId, time-ordered.
using Series = std::map<std::string, std::vector<const HistoryEntry*>>;

json::object series_header(const HistoryEntry& first) {
  json::object o;
  o["type"] = attr_type(first);
  if (!first.dataset_id.empty()) o["datasetId"] = first.dataset_id;
  return o;
}

json::value temporal_values(const Series& series, const TemporalQuery& q) {
  json::array out;
  for (const auto& [ds, entries] : series) {
    json::object o = series_header(*entries.front());
    json::array values;
    values.reserve(entries.size());
    for (const HistoryEntry* e : entries) {
      if (e->deleted) continue;
      values.push_back(json::array{entry_value(*e),
                                   json::value(time_text(*e, q.by_recorded))});
    }
    o["values"] = std::move(values);
    out.push_back(std::move(o));
  }
  if (out.size() == 1) return std::move(out[0]);
  return out;
}

json::value aggregated_values(const Series& series, const TemporalQuery& q) {
  json::array out;
  for (const auto& [ds, entries] : series) {
    json::object o = series_header(*entries.front());
    const HistoryEntry* first = entries.front();
    TimePoint origin =
        q.from ? *q.from
               : (q.by_recorded ? first->recorded_at : first->observed_at);
    const HistoryEntry* last = entries.back();
    TimePoint end =
        q.to ? *q.to : (q.by_recorded ? last->recorded_at : last->observed_at);
    auto periods = store::aggregate(entries, q.methods, origin, end, q.period,
                                    q.by_recorded);
    for (size_t m = 0; m < q.methods.size(); ++m) {
      json::array values;
      for (const auto& p : periods) {
        if (!p.values[m]) continue;
        values.push_back(json::array{*p.values[m],
                                     json::value(format_iso_time(p.start)),
                                     json::value(format_iso_time(p.end))});
      }
      o[aggr_method_name(q.methods[m])] = std::move(values);
    }
    out.push_back(std::move(o));
  }
  if (out.size() == 1) return std::move(out[0]);
  return out;
}

// The instances of one attribute (without instanceId: the entity writer
// would take it for a sub-attribute) and their instanceIds, in order.
json::array normalized_instances(const Series& series,
                                 std::vector<std::string>* ids) {
  json::array out;
  for (const auto& [ds, entries] : series) {
    for (const HistoryEntry* e : entries) {
      if (e->deleted) continue;
      ids->push_back(e->instance_id);
      json::object inst = e->instance;
      if (inst.empty() && e->number) {
        inst["type"] = "Property";
        inst["value"] = *e->number;
      }
      if (!inst.contains("observedAt"))
        inst["observedAt"] = format_iso_time(e->observed_at);
      inst["modifiedAt"] = format_iso_time(e->recorded_at);
      out.push_back(std::move(inst));
    }
  }
  return out;
}

void add_instance_ids(json::value* rendered,
                      const std::vector<std::string>& ids) {
  if (rendered->is_object()) {
    if (!ids.empty()) rendered->get_object()["instanceId"] = ids.front();
    return;
  }
  if (!rendered->is_array()) return;
  auto& instances = rendered->get_array();
  for (size_t i = 0; i < instances.size() && i < ids.size(); ++i) {
    if (instances[i].is_object())
      instances[i].get_object()["instanceId"] = ids[i];
  }
}

json::object render_normalized(const std::string& id,
                               const std::vector<std::string>& types,
                               const std::map<std::string, Series>& by_attr,
                               const OutputSpec& spec,
                               const ngsi::Context& ctx) {
  ngsi::Entity entity;
  entity.id = id;
  entity.types = types;
  std::map<std::string, std::vector<std::string>> ids;
  for (const auto& [attr, series] : by_attr) {
    json::array instances = normalized_instances(series, &ids[attr]);
    if (!instances.empty()) entity.attrs[attr] = std::move(instances);
  }
  ngsi::RenderOptions render = spec.render;
  render.format = ngsi::Format::kNormalized;
  // The instances' modifiedAt (when each was recorded) only with sysAttrs.
  json::object out = ngsi::render_entity(entity, render, ctx);
  out.erase("createdAt");
  out.erase("modifiedAt");
  if (types.empty()) out.erase("type");
  for (const auto& [attr, attr_ids] : ids) {
    auto* v = out.if_contains(ctx.compact(attr));
    if (v == nullptr) continue;
    // A temporal attribute is a list of instances, even of one.
    if (v->is_object()) *v = json::array{std::move(*v)};
    add_instance_ids(v, attr_ids);
  }
  return out;
}

// The temporal representation of one entity.
json::object render_temporal(const std::string& id,
                             const std::vector<std::string>& types,
                             const std::vector<HistoryEntry>& history,
                             const TemporalQuery& q, const OutputSpec& spec,
                             const ngsi::Context& ctx) {
  std::map<std::string, Series> by_attr;
  for (const auto& e : history) by_attr[e.attr][e.dataset_id].push_back(&e);
  if (q.repr == Representation::kNormalized) {
    return render_normalized(id, types, by_attr, spec, ctx);
  }
  json::object out;
  out["id"] = id;
  if (!types.empty()) {
    ngsi::Entity e;
    e.types = types;
    out["type"] = ngsi::render_types(e, ctx);
  }
  for (const auto& [attr, series] : by_attr) {
    out[ctx.compact(attr)] = q.repr == Representation::kTemporalValues
                                 ? temporal_values(series, q)
                                 : aggregated_values(series, q);
  }
  return out;
}

// Expanded names from attrs=, empty for all.
std::vector<std::string> wanted_attrs(const HttpRequest& req,
                                      const ngsi::Context& ctx) {
  std::vector<std::string> out;
  if (const std::string* attrs = req.query("attrs")) {
    for (const auto& n : split_list(*attrs)) out.push_back(ctx.expand(n));
  }
  return out;
}

class TemporalHandlers {
 public:
  TemporalHandlers(broker::Broker* broker, store::Store* store, Limits limits)
      : broker_(broker), store_(store), limits_(limits) {}

  void retrieve(HttpRequest& req, Reply reply);
  void query(HttpRequest& req, Reply reply);
  void create(HttpRequest& req, Reply reply);
  void append(HttpRequest& req, Reply reply);
  void delete_entity(HttpRequest& req, Reply reply);
  void delete_attr(HttpRequest& req, Reply reply);
  void delete_instance(HttpRequest& req, Reply reply);
  void patch_instance(HttpRequest& req, Reply reply);

 private:
  struct ReadContext {
    std::shared_ptr<const ngsi::Context> ctx;
    OutputSpec spec;
    TemporalQuery query;
    std::vector<std::string> attrs;
    std::shared_ptr<store::TenantStore> tenant;
  };
  Result<ReadContext> read_context(const HttpRequest& req);
  Result<std::vector<HistoryEntry>> history_of(const ReadContext& rc,
                                               const std::string& id);
  void write(const std::string& tenant, const std::string& id,
             store::Mutation mutation, std::function<HttpResponse()> on_ok,
             Reply reply);
  Result<std::vector<HistoryEntry>> parse_instances(const json::object& attrs,
                                                    const ngsi::Context& ctx);

  broker::Broker* broker_;
  store::Store* store_;
  Limits limits_;
};

Result<TemporalHandlers::ReadContext> TemporalHandlers::read_context(
    const HttpRequest& req) {
  ReadContext rc;
  auto ctx = request_context(req);
  if (!ctx) return std::unexpected(ctx.error());
  rc.ctx = *ctx;
  auto spec = temporal_output_spec(req, *rc.ctx);
  if (!spec) return std::unexpected(spec.error());
  rc.spec = std::move(*spec);
  auto q = temporal_query(req);
  if (!q) return std::unexpected(q.error());
  rc.query = *q;
  rc.attrs = wanted_attrs(req, *rc.ctx);
  auto tenant = store_->tenant(req.tenant, false);
  if (!tenant) return std::unexpected(tenant.error());
  rc.tenant = *tenant;
  return rc;
}

Result<std::vector<HistoryEntry>> TemporalHandlers::history_of(
    const ReadContext& rc, const std::string& id) {
  store::HistoryQuery hq;
  hq.entity_id = id;
  hq.attrs = rc.attrs;
  hq.from = rc.query.from;
  hq.to = rc.query.to;
  hq.by_recorded = rc.query.by_recorded;
  hq.last_n = rc.query.last_n;
  hq.limit = kMaxInstances;
  hq.values_only = rc.query.repr != Representation::kNormalized;
  return rc.tenant->history(hq);
}

void TemporalHandlers::retrieve(HttpRequest& req, Reply reply) {
  std::string id(req.path_param("id"));
  if (!ngsi::is_absolute_uri(id))
    return reply(api_error(bad_request("entity id '" + id + "' is not a URI")));
  auto rc = read_context(req);
  if (!rc) return reply(api_error(rc.error()));
  auto current = rc->tenant->get(id);
  if (!current) return reply(api_error(current.error()));
  auto history = history_of(*rc, id);
  if (!history) return reply(api_error(history.error()));
  if (!*current && history->empty()) {
    return reply(
        api_error(Error{Code::kNotFound, "entity '" + id + "' not found", {}}));
  }
  std::vector<std::string> types;
  if (*current) types = (*current)->types;
  json::object body =
      render_temporal(id, types, *history, rc->query, rc->spec, *rc->ctx);
  // As for the entity itself (5.7.1.4): none of the attributes asked for,
  // or nothing left after pick and omit, is not found.
  bool no_attrs =
      req.query("attrs") && !req.query("timerel") && history->empty();
  if (no_attrs || body.empty()) {
    return reply(api_error(Error{
        Code::kNotFound,
        no_attrs
            ? "entity '" + id +
                  "' has no history of the attributes in "
                  "'attrs'"
            : "nothing of entity '" + id + "' is left after 'pick' and 'omit'",
        {}}));
  }
  reply(entity_response(200, std::move(body), rc->spec, *rc->ctx));
}

void TemporalHandlers::query(HttpRequest& req, Reply reply) {
  auto rc = read_context(req);
  if (!rc) return reply(api_error(rc.error()));
  store::EntitySelector sel;
  if (const std::string* ids = req.query("id")) sel.ids = split_list(*ids);
  if (const std::string* types = req.query("type")) {
    for (const auto& t : split_list(*types))
      sel.types.push_back(rc->ctx->expand(t));
  }
  if (sel.ids.empty() && sel.types.empty() && rc->attrs.empty() &&
      !req.query("q")) {
    return reply(api_error(
        bad_request("a temporal query needs 'type', 'id', 'attrs' or 'q'")));
  }
  std::optional<ngsi::Query> q;
  if (const std::string* text = req.query("q")) {
    auto parsed = ngsi::parse_query(*text, *rc->ctx);
    if (!parsed) return reply(api_error(parsed.error()));
    q = std::move(*parsed);
  }
  std::optional<std::regex> pattern;
  if (const std::string* p = req.query("idPattern")) {
    try {
      pattern.emplace(*p, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      return reply(
          api_error(bad_request("parameter 'idPattern' is not a regex")));
    }
  }
  uint64_t limit = kDefaultEntities;
  if (auto s = read_count(req, "limit", &limit); !s)
    return reply(api_error(s.error()));
  limit = std::min(limit, kMaxEntities);
  auto page = rc->tenant->find(sel, 0, kMaxEntities * 10);
  if (!page) return reply(api_error(page.error()));
  json::array out;
  for (const auto& e : page->entities) {
    if (out.size() >= limit) break;
    if (q && !ngsi::evaluate(*q, e)) continue;
    if (pattern && !std::regex_match(e.id, *pattern)) continue;
    auto history = history_of(*rc, e.id);
    if (!history) return reply(api_error(history.error()));
    if (history->empty() && !rc->attrs.empty()) continue;
    out.push_back(render_temporal(e.id, e.types, *history, rc->query, rc->spec,
                                  *rc->ctx));
  }
  reply(entity_response(200, std::move(out), rc->spec, *rc->ctx));
}

void TemporalHandlers::write(const std::string& tenant, const std::string& id,
                             store::Mutation mutation,
                             std::function<HttpResponse()> on_ok, Reply reply) {
  if (!ngsi::is_absolute_uri(id)) {
    return reply(api_error(
        bad_request(id.empty() ? "the entity id in the path is empty"
                               : "entity id '" + id + "' is not a URI")));
  }
  std::vector<store::WriteOp> ops;
  ops.push_back(store::WriteOp{id, std::move(mutation)});
  broker_->write(tenant, std::move(ops),
                 [reply = std::move(reply),
                  on_ok = std::move(on_ok)](std::vector<Status> results) {
                   if (!results.at(0))
                     return reply(api_error(results[0].error()));
                   reply(on_ok());
                 });
}

// Every instance of every attribute of a temporal entity body, normalized
// (an attribute is an instance or an array of instances).
Result<std::vector<HistoryEntry>> TemporalHandlers::parse_instances(
    const json::object& attrs, const ngsi::Context& ctx) {
  std::vector<HistoryEntry> out;
  TimePoint now = broker_->now();
  for (const auto& kv : attrs) {
    std::string_view name = kv.key();
    if (name == "id" || name == "type" || name == "@context" || name == "scope")
      continue;
    std::string iri = ctx.expand(name);
    json::array given = kv.value().is_array() ? kv.value().get_array()
                                              : json::array{kv.value()};
    for (const auto& inst : given) {
      auto parsed = ngsi::parse_attribute(name, inst, ctx, now);
      if (!parsed) return std::unexpected(parsed.error());
      for (auto& p : *parsed) {
        HistoryEntry h;
        h.attr = iri;
        h.instance = std::move(p.get_object());
        h.recorded_at = h.observed_at = now;
        if (auto* d = h.instance.if_contains("datasetId"))
          h.dataset_id = std::string(d->get_string());
        if (auto* o = h.instance.if_contains("observedAt"))
          if (auto t = parse_iso_time(o->get_string())) h.observed_at = *t;
        out.push_back(std::move(h));
      }
    }
  }
  if (out.empty()) return bad_data("the temporal entity has no instances");
  return out;
}

// The latest instance of each (attribute, datasetId): the entity state a
// temporal create leaves behind.
ngsi::Entity latest_state(ngsi::Entity entity,
                          const std::vector<HistoryEntry>& history) {
  std::map<std::pair<std::string, std::string>, const HistoryEntry*> latest;
  for (const auto& h : history) {
    auto& slot = latest[{h.attr, h.dataset_id}];
    if (!slot || slot->observed_at <= h.observed_at) slot = &h;
  }
  for (const auto& [key, h] : latest) {
    json::value& slot = entity.attrs[key.first];
    if (!slot.is_array()) slot = json::array();
    slot.get_array().push_back(h->instance);
  }
  return entity;
}

void TemporalHandlers::create(HttpRequest& req, Reply reply) {
  auto body = read_body(req, limits_);
  if (!body) return reply(api_error(body.error()));
  if (!body->doc.is_object())
    return reply(api_error(bad_request("the payload must be a JSON object")));
  const json::object& obj = body->doc.get_object();
  // id and type through the entity parser, attributes as instances.
  json::object head;
  for (std::string_view k : {"id", "type"})
    if (auto* v = obj.if_contains(k)) head[k] = *v;
  auto entity = ngsi::parse_entity(std::move(head), *body->ctx, broker_->now());
  if (!entity) return reply(api_error(entity.error()));
  auto history = parse_instances(obj, *body->ctx);
  if (!history) return reply(api_error(history.error()));
  auto created = std::make_shared<bool>(false);
  auto state = std::make_shared<ngsi::Entity>(
      latest_state(std::move(*entity), *history));
  auto entries =
      std::make_shared<std::vector<HistoryEntry>>(std::move(*history));
  std::string id = state->id;
  write(
      req.tenant, id,
      [state, entries, created](const ngsi::Entity* current) {
        store::Change c;
        c.history = std::move(*entries);
        if (current) return Result<store::Change>(std::move(c));
        c.kind = store::Change::Kind::kPut;
        c.entity = std::move(*state);
        *created = true;
        return Result<store::Change>(std::move(c));
      },
      [created, id] {
        if (!*created) return no_content();
        HttpResponse r;
        r.status = 201;
        r.headers.emplace_back("Location",
                               "/ngsi-ld/v1/temporal/entities/" + id);
        return r;
      },
      std::move(reply));
}

void TemporalHandlers::append(HttpRequest& req, Reply reply) {
  std::string id(req.path_param("id"));
  auto body = read_body(req, limits_);
  if (!body) return reply(api_error(body.error()));
  if (!body->doc.is_object())
    return reply(api_error(bad_request("the payload must be a JSON object")));
  auto history = parse_instances(body->doc.get_object(), *body->ctx);
  if (!history) return reply(api_error(history.error()));
  auto entries =
      std::make_shared<std::vector<HistoryEntry>>(std::move(*history));
  write(
      req.tenant, id,
      [entries, id](const ngsi::Entity* current) -> Result<store::Change> {
        if (!current)
          return fail(Code::kNotFound, "entity '" + id + "' not found");
        store::Change c;
        c.history = std::move(*entries);
        return c;
      },
      [] { return no_content(); }, std::move(reply));
}

store::Mutation edit_only(store::HistoryEdit edit) {
  return [edit = std::move(edit)](const ngsi::Entity*) {
    store::Change c;
    c.history_edits.push_back(edit);
    return Result<store::Change>(std::move(c));
  };
}

void TemporalHandlers::delete_entity(HttpRequest& req, Reply reply) {
  std::string id(req.path_param("id"));
  write(
      req.tenant, id,
      [](const ngsi::Entity* current) -> Result<store::Change> {
        store::Change c;
        if (current) c.kind = store::Change::Kind::kDelete;
        store::HistoryEdit all;  // empty attr: every attribute
        c.history_edits.push_back(all);
        return c;
      },
      [] { return no_content(); }, std::move(reply));
}

void TemporalHandlers::delete_attr(HttpRequest& req, Reply reply) {
  auto ctx = request_context(req);
  if (!ctx) return reply(api_error(ctx.error()));
  store::HistoryEdit edit;
  edit.attr = (*ctx)->expand(req.path_param("attr"));
  const std::string* ds = req.query("datasetId");
  const std::string* all = req.query("deleteAll");
  if (ds && !(all && *all == "true")) edit.dataset_id = *ds;
  if (!ds && !(all && *all == "true")) edit.dataset_id = "";
  write(
      req.tenant, std::string(req.path_param("id")), edit_only(edit),
      [] { return no_content(); }, std::move(reply));
}

void TemporalHandlers::delete_instance(HttpRequest& req, Reply reply) {
  auto ctx = request_context(req);
  if (!ctx) return reply(api_error(ctx.error()));
  store::HistoryEdit edit;
  edit.kind = store::HistoryEdit::Kind::kDeleteInstance;
  edit.attr = (*ctx)->expand(req.path_param("attr"));
  edit.instance_id = std::string(req.path_param("instanceId"));
  write(
      req.tenant, std::string(req.path_param("id")), edit_only(edit),
      [] { return no_content(); }, std::move(reply));
}

void TemporalHandlers::patch_instance(HttpRequest& req, Reply reply) {
  auto body = read_body(req, limits_);
  if (!body) return reply(api_error(body.error()));
  std::string name(req.path_param("attr"));
  auto parsed = ngsi::parse_attribute(name, std::move(body->doc), *body->ctx,
                                      broker_->now());
  if (!parsed) return reply(api_error(parsed.error()));
  if (parsed->size() != 1)
    return reply(api_error(bad_request("the payload must be one instance")));
  store::HistoryEdit edit;
  edit.kind = store::HistoryEdit::Kind::kReplaceInstance;
  edit.attr = body->ctx->expand(name);
  edit.instance_id = std::string(req.path_param("instanceId"));
  edit.instance = std::move((*parsed)[0].get_object());
  edit.instance.erase("instanceId");
  write(
      req.tenant, std::string(req.path_param("id")), edit_only(edit),
      [] { return no_content(); }, std::move(reply));
}

}  // namespace

void add_temporal_api(Router& router, broker::Broker& broker,
                      store::Store& store, const Limits& limits) {
  auto h = std::make_shared<TemporalHandlers>(&broker, &store, limits);
  auto bind = [h](void (TemporalHandlers::*fn)(HttpRequest&, Reply)) {
    return [h, fn](HttpRequest& req, Reply reply) {
      ((*h).*fn)(req, std::move(reply));
    };
  };
  const RouteOptions read{Role::kRead, true};
  const RouteOptions write{Role::kWrite, true};
  const std::string e = "/ngsi-ld/v1/temporal/entities";
  const std::string a = e + "/{id}/attrs/{attr}";
  router.add("GET", e, bind(&TemporalHandlers::query), read);
  router.add("POST", e, bind(&TemporalHandlers::create), write);
  router.add("GET", e + "/{id}", bind(&TemporalHandlers::retrieve), read);
  router.add("DELETE", e + "/{id}", bind(&TemporalHandlers::delete_entity),
             write);
  router.add("POST", e + "/{id}/attrs", bind(&TemporalHandlers::append), write);
  router.add("DELETE", a, bind(&TemporalHandlers::delete_attr), write);
  router.add("DELETE", a + "/{instanceId}",
             bind(&TemporalHandlers::delete_instance), write);
  router.add("PATCH", a + "/{instanceId}",
             bind(&TemporalHandlers::patch_instance), write);
}

}  // namespace cocity::server
