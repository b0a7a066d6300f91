#include "server/ngsi_api.h"

#include "broker/entity_ops.h"
#include "ngsi/entity_parser.h"
#include "ngsi/entity_writer.h"
#include "server/ngsi_handlers.h"
#include "server/ngsi_request.h"

namespace cocity::server {
namespace {

std::unexpected<Error> bad_data(std::string detail) {
  return fail(Code::kBadRequestData, std::move(detail));
}

// The entity id from the path; it must be a URI.
Result<std::string> path_entity_id(const HttpRequest& req) {
  std::string id(req.path_param("id"));
  if (id.empty()) return bad_data("the entity id in the path is empty");
  if (!ngsi::is_absolute_uri(id)) {
    return bad_data("entity id '" + id + "' in the path is not a URI");
  }
  return id;
}

// The attribute name from the path: a name, not a JSON-LD keyword.
Result<std::string> path_attr_name(const HttpRequest& req) {
  std::string name(req.path_param("attr"));
  if (!ngsi::valid_name(name) || name.starts_with('@')) {
    return bad_data("attribute name '" + name + "' in the path is not valid");
  }
  return name;
}

// "scope" is a member of the entity, not an attribute (4.18).
Error scope_is_no_attribute() {
  return Error{Code::kBadRequestData,
               "'scope' is not an attribute: set it with PATCH /entities/{id} "
               "or POST /entities/{id}/attrs, remove it with "
               "DELETE /entities/{id}/attrs/scope",
               {}};
}

// `type` (as the client wrote it) narrows retrieval and deletion: an
// entity without that type (expanded: `type_iri`) is not found.
Status check_type(const ngsi::Entity& entity, const std::string& type,
                  const std::string& type_iri) {
  const auto& types = entity.types;
  if (std::find(types.begin(), types.end(), type_iri) != types.end()) {
    return ok();
  }
  return fail(Code::kNotFound,
              "entity '" + entity.id + "' has no type '" + type + "'");
}

json::value report_body(const broker::UpdateReport& report,
                        const ngsi::Context& ctx) {
  json::object body;
  json::array updated;
  for (const auto& a : report.updated)
    updated.push_back(json::value(ctx.compact(a)));
  json::array not_updated;
  for (const auto& n : report.not_updated) {
    json::object o;
    o["attributeName"] = ctx.compact(n.attr);
    o["reason"] = n.reason;
    not_updated.push_back(std::move(o));
  }
  body["updated"] = std::move(updated);
  body["notUpdated"] = std::move(not_updated);
  return body;
}

HttpResponse report_response(const broker::UpdateReport& report,
                             const ngsi::Context& ctx) {
  if (report.not_updated.empty()) return no_content();
  return json_response(207, to_json(report_body(report, ctx)));
}

}  // namespace

json::object problem_object(const Error& error) {
  json::object o;
  o["type"] = "https://uri.etsi.org/ngsi-ld/errors/" +
              std::string(code_name(error.code));
  o["title"] =
      error.title.empty() ? std::string(code_name(error.code)) : error.title;
  o["status"] = http_status_for(error.code);
  o["detail"] = error.detail;
  return o;
}

HttpResponse no_content() {
  HttpResponse r;
  r.status = 204;
  return r;
}

void NgsiHandlers::submit_one(const std::string& tenant, const std::string& id,
                              store::Mutation mutation,
                              std::function<HttpResponse()> on_success,
                              Reply reply) {
  std::vector<store::WriteOp> ops;
  ops.push_back(store::WriteOp{id, std::move(mutation)});
  broker_->write(tenant, std::move(ops),
                 [reply = std::move(reply), on_success = std::move(on_success)](
                     std::vector<Status> results) {
                   if (!results.at(0)) {
                     reply(api_error(results[0].error()));
                   } else {
                     reply(on_success());
                   }
                 });
}

void NgsiHandlers::create_entity(HttpRequest& req, Reply reply) {
  auto body = read_body(req, limits_);
  if (!body) return reply(api_error(body.error()));
  auto parsed =
      ngsi::parse_entity(std::move(body->doc), *body->ctx, broker_->now());
  if (!parsed) return reply(api_error(parsed.error()));
  auto entity = std::make_shared<ngsi::Entity>(std::move(*parsed));
  std::string id = entity->id;
  submit_one(
      req.tenant, id,
      [entity](ngsi::Entity* current) {
        return broker::create_entity(current, std::move(*entity));
      },
      [id] {
        HttpResponse r;
        r.status = 201;
        r.headers.emplace_back("Location", "/ngsi-ld/v1/entities/" + id);
        return r;
      },
      std::move(reply));
}

EntityLookup NgsiHandlers::linked_entities(const std::string& tenant) const {
  return [broker = broker_,
          tenant](const std::string& id) -> std::optional<ngsi::Entity> {
    if (!ngsi::is_absolute_uri(id)) return std::nullopt;
    auto found = broker->get(tenant, id);
    if (!found || !*found) return std::nullopt;
    return std::move(**found);
  };
}

void NgsiHandlers::retrieve_entity(HttpRequest& req, Reply reply) {
  auto id = path_entity_id(req);
  if (!id) return reply(api_error(id.error()));
  auto ctx = request_context(req);
  if (!ctx) return reply(api_error(ctx.error()));
  auto spec = output_spec(req, **ctx);
  if (!spec) return reply(api_error(spec.error()));
  auto found = broker_->get(req.tenant, *id);
  if (!found) return reply(api_error(found.error()));
  if (!*found) {
    return reply(api_error(
        Error{Code::kNotFound, "entity '" + *id + "' not found", {}}));
  }
  if (const std::string* type = req.query("type")) {
    if (auto s = check_type(**found, *type, (*ctx)->expand(*type)); !s) {
      return reply(api_error(s.error()));
    }
  }
  // 5.7.1.4: asked for attributes of which it has none, or projected to
  // nothing, the entity is not found.
  if (req.query("attrs") && spec->render.only) {
    const auto& only = *spec->render.only;
    const auto& attrs = (*found)->attrs;
    if (std::none_of(only.begin(), only.end(),
                     [&](const std::string& a) { return attrs.contains(a); })) {
      return reply(api_error(
          Error{Code::kNotFound,
                "entity '" + *id + "' has none of the attributes in 'attrs'",
                {}}));
    }
  }
  json::value body =
      spec->media == MediaType::kGeoJson
          ? json::value(ngsi::render_feature(**found, spec->render, **ctx,
                                             spec->geoproperty))
          : json::value(ngsi::render_entity(**found, spec->render, **ctx));
  if (body.is_object() && body.get_object().empty()) {
    return reply(api_error(
        Error{Code::kNotFound,
              "nothing of entity '" + *id + "' is left after 'pick' and 'omit'",
              {}}));
  }
  if (spec->join.mode != JoinSpec::Mode::kNone) {
    json::array all{std::move(body)};
    std::vector<ngsi::Entity> roots;
    roots.push_back(std::move(**found));
    join_linked(roots, spec->join, spec->render, **ctx,
                linked_entities(req.tenant), &all);
    body = spec->join.mode == JoinSpec::Mode::kFlat
               ? json::value(std::move(all))
               : std::move(all[0]);
  }
  reply(entity_response(200, std::move(body), *spec, **ctx));
}

void NgsiHandlers::replace_entity(HttpRequest& req, Reply reply) {
  auto id = path_entity_id(req);
  if (!id) return reply(api_error(id.error()));
  auto body = read_body(req, limits_);
  if (!body) return reply(api_error(body.error()));
  if (!body->doc.is_object())
    return reply(api_error(
        Error{Code::kBadRequestData, "the payload must be a JSON object", {}}));
  auto& obj = body->doc.get_object();
  if (auto* given = obj.if_contains("id");
      given && !(given->is_string() && given->get_string() == *id)) {
    return reply(api_error(
        Error{Code::kBadRequestData,
              "entity 'id' in the payload differs from the id in the path",
              {}}));
  }
  obj["id"] = *id;
  auto parsed =
      ngsi::parse_entity(std::move(body->doc), *body->ctx, broker_->now());
  if (!parsed) return reply(api_error(parsed.error()));
  auto entity = std::make_shared<ngsi::Entity>(std::move(*parsed));
  submit_one(
      req.tenant, *id,
      [entity](ngsi::Entity* current) {
        return broker::replace_entity(current, *entity);
      },
      no_content, std::move(reply));
}

namespace {

// Parses a fragment body for entity `id`; an "id" in it must match.
Result<std::pair<std::shared_ptr<ngsi::Fragment>,
                 std::shared_ptr<const ngsi::Context>>>
read_fragment(const HttpRequest& req, const Limits& limits,
              const std::string& id, TimePoint now, bool allow_null) {
  auto body = read_body(req, limits);
  if (!body) return std::unexpected(body.error());
  auto f =
      ngsi::parse_fragment(std::move(body->doc), *body->ctx, now, allow_null);
  if (!f) return std::unexpected(f.error());
  if (!f->id.empty() && f->id != id) {
    return bad_data(
        "entity 'id' in the payload differs from the id in the path");
  }
  f->id = id;
  return std::make_pair(std::make_shared<ngsi::Fragment>(std::move(*f)),
                        body->ctx);
}

}  // namespace

void NgsiHandlers::merge_entity(HttpRequest& req, Reply reply) {
  auto id = path_entity_id(req);
  if (!id) return reply(api_error(id.error()));
  TimePoint now = broker_->now();
  auto frag = read_fragment(req, limits_, *id, now, true);
  if (!frag) return reply(api_error(frag.error()));
  auto f = frag->first;
  submit_one(
      req.tenant, *id,
      [f, now](ngsi::Entity* current) {
        return broker::merge_entity(current, *f, now, true);
      },
      no_content, std::move(reply));
}

void NgsiHandlers::delete_entity(HttpRequest& req, Reply reply) {
  auto id = path_entity_id(req);
  if (!id) return reply(api_error(id.error()));
  // "type" narrows what is deleted: an entity without it is not found.
  std::string type_name, type_iri;
  if (const std::string* type = req.query("type")) {
    auto ctx = request_context(req);
    if (!ctx) return reply(api_error(ctx.error()));
    type_name = *type;
    type_iri = (*ctx)->expand(*type);
  }
  TimePoint now = broker_->now();
  submit_one(
      req.tenant, *id,
      [now, id = *id, type_name,
       type_iri](ngsi::Entity* current) -> Result<store::Change> {
        if (!current) {
          return fail(Code::kNotFound, "entity '" + id + "' not found");
        }
        if (!type_iri.empty()) {
          if (auto s = check_type(*current, type_name, type_iri); !s) {
            return std::unexpected(s.error());
          }
        }
        return broker::delete_entity(current, now);
      },
      no_content, std::move(reply));
}

void NgsiHandlers::append_attrs(HttpRequest& req, Reply reply) {
  if (auto s = check_options(req, {"noOverwrite"}); !s)
    return reply(api_error(s.error()));
  bool no_overwrite = has_option(req, "noOverwrite");
  write_attrs(
      req, std::move(reply),
      [no_overwrite](ngsi::Entity* current, const ngsi::Fragment& f,
                     TimePoint now, broker::UpdateReport* report) {
        return broker::append_attributes(current, f, now, no_overwrite, report);
      },
      false);
}

void NgsiHandlers::update_attrs(HttpRequest& req, Reply reply) {
  write_attrs(req, std::move(reply), broker::update_attributes, true);
}

void NgsiHandlers::write_attrs(HttpRequest& req, Reply reply,
                               AttrsOperation operation, bool allow_null) {
  auto id = path_entity_id(req);
  if (!id) return reply(api_error(id.error()));
  TimePoint now = broker_->now();
  auto frag = read_fragment(req, limits_, *id, now, allow_null);
  if (!frag) return reply(api_error(frag.error()));
  auto [f, ctx] = *frag;
  auto report = std::make_shared<broker::UpdateReport>();
  submit_one(
      req.tenant, *id,
      [f, now, report,
       operation = std::move(operation)](ngsi::Entity* current) {
        return operation(current, *f, now, report.get());
      },
      [report, ctx] { return report_response(*report, *ctx); },
      std::move(reply));
}

void NgsiHandlers::partial_update_attr(HttpRequest& req, Reply reply) {
  auto id = path_entity_id(req);
  if (!id) return reply(api_error(id.error()));
  auto body = read_body(req, limits_);
  if (!body) return reply(api_error(body.error()));
  if (!body->doc.is_object()) {
    return reply(api_error(
        Error{Code::kBadRequestData, "the payload must be a JSON object", {}}));
  }
  auto name = path_attr_name(req);
  if (!name) return reply(api_error(name.error()));
  if (*name == "scope") return reply(api_error(scope_is_no_attribute()));
  auto ctx = body->ctx;
  std::string attr = ctx->expand(*name);
  auto patch =
      std::make_shared<json::object>(std::move(body->doc.get_object()));
  patch->erase("@context");
  TimePoint now = broker_->now();
  submit_one(
      req.tenant, *id,
      [attr, patch, ctx, now](ngsi::Entity* current) {
        return broker::partial_update_attribute(current, attr, *patch, *ctx,
                                                now);
      },
      no_content, std::move(reply));
}

void NgsiHandlers::replace_attr(HttpRequest& req, Reply reply) {
  auto id = path_entity_id(req);
  if (!id) return reply(api_error(id.error()));
  auto path_name = path_attr_name(req);
  if (!path_name) return reply(api_error(path_name.error()));
  if (*path_name == "scope") return reply(api_error(scope_is_no_attribute()));
  auto body = read_body(req, limits_);
  if (!body) return reply(api_error(body.error()));
  const std::string& name = *path_name;
  if (body->doc.is_object()) body->doc.get_object().erase("@context");
  auto instances = ngsi::parse_attribute(name, std::move(body->doc), *body->ctx,
                                         broker_->now());
  if (!instances) return reply(api_error(instances.error()));
  auto inst = std::make_shared<json::array>(std::move(*instances));
  std::string attr = body->ctx->expand(name);
  TimePoint now = broker_->now();
  submit_one(
      req.tenant, *id,
      [attr, inst, now](ngsi::Entity* current) {
        return broker::replace_attribute(current, attr, *inst, now);
      },
      no_content, std::move(reply));
}

void NgsiHandlers::delete_attr(HttpRequest& req, Reply reply) {
  auto id = path_entity_id(req);
  if (!id) return reply(api_error(id.error()));
  auto name = path_attr_name(req);
  if (!name) return reply(api_error(name.error()));
  TimePoint now = broker_->now();
  if (*name == "scope") {  // the entity's scope goes (4.18)
    submit_one(
        req.tenant, *id,
        [now, id = *id](ngsi::Entity* current) -> Result<store::Change> {
          return broker::delete_scope(current, id, now);
        },
        no_content, std::move(reply));
    return;
  }
  auto ctx = request_context(req);
  if (!ctx) return reply(api_error(ctx.error()));
  std::string attr = (*ctx)->expand(*name);
  std::string dataset_id;
  if (const std::string* ds = req.query("datasetId")) dataset_id = *ds;
  bool delete_all = false;
  if (const std::string* all = req.query("deleteAll")) {
    if (*all != "true" && *all != "false") {
      return reply(
          api_error(Error{Code::kBadRequestData,
                          "parameter 'deleteAll' must be true or false",
                          {}}));
    }
    delete_all = *all == "true";
  }
  submit_one(
      req.tenant, *id,
      [attr, dataset_id, delete_all, now](ngsi::Entity* current) {
        return broker::delete_attribute(current, attr, dataset_id, delete_all,
                                        now);
      },
      no_content, std::move(reply));
}

void add_ngsi_api(Router& router, broker::Broker& broker,
                  const Limits& limits) {
  auto h = std::make_shared<NgsiHandlers>(&broker, limits);
  auto bind = [h](void (NgsiHandlers::*fn)(HttpRequest&, Reply)) {
    return [h, fn](HttpRequest& req, Reply reply) {
      ((*h).*fn)(req, std::move(reply));
    };
  };
  const RouteOptions read{Role::kRead, true};
  const RouteOptions write{Role::kWrite, true};
  const std::string e = "/ngsi-ld/v1/entities";
  router.add("POST", e, bind(&NgsiHandlers::create_entity), write);
  router.add("GET", e, bind(&NgsiHandlers::query_entities), read);
  router.add("GET", e + "/{id}", bind(&NgsiHandlers::retrieve_entity), read);
  router.add("PUT", e + "/{id}", bind(&NgsiHandlers::replace_entity), write);
  router.add("PATCH", e + "/{id}", bind(&NgsiHandlers::merge_entity), write);
  router.add("DELETE", e + "/{id}", bind(&NgsiHandlers::delete_entity), write);
  router.add("POST", e + "/{id}/attrs", bind(&NgsiHandlers::append_attrs),
             write);
  router.add("PATCH", e + "/{id}/attrs", bind(&NgsiHandlers::update_attrs),
             write);
  router.add("PATCH", e + "/{id}/attrs/{attr}",
             bind(&NgsiHandlers::partial_update_attr), write);
  router.add("PUT", e + "/{id}/attrs/{attr}", bind(&NgsiHandlers::replace_attr),
             write);
  router.add("DELETE", e + "/{id}/attrs/{attr}",
             bind(&NgsiHandlers::delete_attr), write);
  router.add("POST", "/ngsi-ld/v1/entityOperations/query",
             bind(&NgsiHandlers::query_post), read);
  for (std::string op : {"create", "upsert", "update", "delete", "merge"}) {
    router.add(
        "POST", "/ngsi-ld/v1/entityOperations/" + op,
        [h, op](HttpRequest& req, Reply reply) {
          h->batch(op, req, std::move(reply));
        },
        write);
  }
}

}  // namespace cocity::server
