#include "apps/waste/plan_entities.h"

#include "ngsi/context.h"
#include "ngsi/entity_parser.h"

namespace cocity::apps::waste {

namespace {

const ngsi::Context& ctx() { return *ngsi::Context::core(); }

// The value of the attribute's default instance (no datasetId), or null.
const json::value* attr_value(const ngsi::Entity& e, std::string_view term,
                              std::string* observed_at = nullptr) {
  auto it = e.attrs.find(ctx().expand(term));
  if (it == e.attrs.end() || !it->value().is_array()) return nullptr;
  for (const auto& inst : it->value().get_array()) {
    if (!inst.is_object()) continue;
    const auto& o = inst.get_object();
    if (o.contains("datasetId")) continue;
    if (observed_at) {
      auto oa = o.find("observedAt");
      if (oa != o.end() && oa->value().is_string()) {
        *observed_at = std::string(oa->value().get_string());
      }
    }
    auto v = o.find("value");
    return v == o.end() ? nullptr : &v->value();
  }
  return nullptr;
}

json::object property(json::value v) {
  return json::object{{"type", "Property"}, {"value", std::move(v)}};
}

std::string route_entity_id(const std::string& plan_id,
                            const std::string& truck) {
  return "urn:ngsi-ld:WasteCollectionRoute:" + plan_id + ":" + truck;
}

Result<ngsi::Entity> parse(const json::object& doc, TimePoint now) {
  auto e = ngsi::parse_entity(doc, ctx(), now);
  if (!e) {
    return fail(Code::kInternal, "cannot build entity: " + e.error().detail);
  }
  return e;
}

}  // namespace

std::string plan_entity_id(const std::string& plan_id) {
  return "urn:ngsi-ld:WasteCollectionPlan:" + plan_id;
}

Result<Container> container_from_entity(const ngsi::Entity& entity,
                                        const ParsedPlanRequest& defaults) {
  const json::value* loc = attr_value(entity, "location");
  if (!loc) return fail(Code::kBadRequestData, "no location");
  std::string observed_at;
  const json::value* level = attr_value(entity, "fillingLevel", &observed_at);
  if (!level) return fail(Code::kBadRequestData, "no fillingLevel");
  json::object inline_form{
      {"id", entity.id}, {"location", *loc}, {"level", *level}};
  if (!observed_at.empty()) inline_form["observed_at"] = observed_at;
  if (const auto* cap = attr_value(entity, "binCapacity")) {
    inline_form["volume_l"] = *cap;
  }
  if (const auto* rate = attr_value(entity, "fillingRate")) {
    inline_form["fill_rate_per_day"] = *rate;
  }
  auto c = parse_container(inline_form, "entity", defaults);
  if (!c) {
    // "entity.level: must be ..." -> the NGSI-LD attribute names.
    return fail(Code::kBadRequestData, c.error().detail);
  }
  return c;
}

Result<std::vector<ngsi::Entity>> plan_to_entities(const Plan& plan,
                                                   const std::string& plan_id,
                                                   const std::string& date,
                                                   TimePoint now) {
  auto full = plan_to_json(plan, plan_id, date);
  std::vector<ngsi::Entity> out;
  json::array route_ids;
  std::vector<json::object> routes;
  for (auto& r : full.at("routes").as_array()) {
    auto& ro = r.as_object();
    std::string id =
        route_entity_id(plan_id, std::string(ro.at("truck").as_string()));
    route_ids.push_back(json::value(id));
    json::value geometry = ro.at("geometry");
    ro.erase("geometry");
    routes.push_back(json::object{
        {"id", id},
        {"type", kRouteType},
        {"location",
         json::object{{"type", "GeoProperty"}, {"value", std::move(geometry)}}},
        {"route", property(std::move(ro))},
        {"refWasteCollectionPlan",
         json::object{{"type", "Relationship"},
                      {"object", plan_entity_id(plan_id)}}}});
  }
  json::object summary = full;
  summary.erase("routes");
  json::object doc{{"id", plan_entity_id(plan_id)},
                   {"type", kPlanType},
                   {"plan", property(std::move(summary))},
                   {"routeIds", property(std::move(route_ids))}};
  auto pe = parse(doc, now);
  if (!pe) return std::unexpected(pe.error());
  out.push_back(std::move(*pe));
  for (const auto& r : routes) {
    auto re = parse(r, now);
    if (!re) return std::unexpected(re.error());
    out.push_back(std::move(*re));
  }
  return out;
}

std::vector<std::string> route_ids_of(const ngsi::Entity& plan) {
  std::vector<std::string> ids;
  const json::value* v = attr_value(plan, "routeIds");
  if (!v || !v->is_array()) {
    // A single-element list may come back as a bare string.
    if (v && v->is_string()) ids.emplace_back(v->get_string());
    return ids;
  }
  for (const auto& id : v->get_array()) {
    if (id.is_string()) ids.emplace_back(id.get_string());
  }
  return ids;
}

Result<json::object> plan_from_entities(
    const ngsi::Entity& plan, const std::vector<ngsi::Entity>& routes) {
  const json::value* summary = attr_value(plan, "plan");
  if (!summary || !summary->is_object()) {
    return fail(Code::kInternal, "entity " + plan.id + " holds no plan");
  }
  json::object out = summary->get_object();
  json::array rs;
  for (const auto& r : routes) {
    const json::value* route = attr_value(r, "route");
    const json::value* loc = attr_value(r, "location");
    if (!route || !route->is_object() || !loc) {
      return fail(Code::kInternal, "entity " + r.id + " holds no route");
    }
    json::object ro = route->get_object();
    ro["geometry"] = *loc;
    rs.push_back(std::move(ro));
  }
  out["routes"] = std::move(rs);
  return out;
}

}  // namespace cocity::apps::waste
