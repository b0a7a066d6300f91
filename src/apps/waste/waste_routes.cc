#include "apps/waste/waste_routes.h"

#include <memory>
#include <random>

#include "apps/waste/json_fields.h"
#include "apps/waste/plan_entities.h"
#include "apps/waste/plan_json.h"
#include "apps/waste/road_graphs.h"
#include "apps/waste/savings.h"
#include "broker/entity_ops.h"
#include "core/json.h"
#include "ngsi/context.h"

namespace cocity::apps::waste {

namespace {

constexpr uint64_t kPage = 1000;
constexpr uint64_t kMaxContainers = 20000;
constexpr std::string_view kPlans = "/api/v1/waste/plans";

struct Service {
  Service(broker::Broker& b, const WasteRouteOptions& o)
      : broker(b),
        graphs(o.roads_graph, o.data_dir),
        limits{o.max_json_depth} {}
  broker::Broker& broker;
  RoadGraphs graphs;  // holds a mutex: never moved
  JsonLimits limits;
};

server::HttpResponse problem(const Error& e) {
  return server::problem_response(e);
}

std::string new_plan_id(const std::string& date) {
  std::random_device rd;
  uint64_t r = (uint64_t(rd()) << 32) ^ rd();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(r));
  return date + "-" + std::string(buf, 8);
}

// The tenant's WasteContainer entities; those unusable are reported in
// `unusable` with the reason.
Result<std::vector<Container>> stored_containers(
    Service& s, const std::string& tenant, const ParsedPlanRequest& defaults,
    std::vector<Unplanned>* unusable) {
  store::EntitySelector sel;
  sel.types.push_back(ngsi::Context::core()->expand(kContainerType));
  std::vector<Container> out;
  for (uint64_t offset = 0;; offset += kPage) {
    auto page = s.broker.find(tenant, sel, offset, kPage);
    if (!page) return std::unexpected(page.error());
    if (page->total > kMaxContainers) {
      return fail(Code::kPayloadTooLarge,
                  "the tenant has " + std::to_string(page->total) +
                      " WasteContainer entities; plans take at most 20000");
    }
    for (const auto& e : page->entities) {
      auto c = container_from_entity(e, defaults);
      if (c) {
        out.push_back(std::move(*c));
      } else {
        unusable->push_back({e.id, c.error().detail});
      }
    }
    if (page->entities.size() < kPage) break;
  }
  return out;
}

Result<json::value> body_json(const server::HttpRequest& req,
                              const JsonLimits& limits) {
  if (req.body.empty()) {
    return fail(Code::kInvalidRequest, "the request needs a JSON body");
  }
  return parse_json(req.body, limits);
}

Result<ParsedPlanRequest> read_request(Service& s, const json::value& body,
                                       const std::string& tenant,
                                       std::vector<Unplanned>* unusable) {
  auto parsed = parse_plan_request(body);
  if (!parsed) return parsed;
  if (!parsed->has_containers) {
    auto cs = stored_containers(s, tenant, *parsed, unusable);
    if (!cs) return std::unexpected(cs.error());
    parsed->request.containers = std::move(*cs);
  }
  return parsed;
}

void post_plan(Service& s, server::HttpRequest& req, server::Reply reply) {
  auto body = body_json(req, s.limits);
  if (!body) return reply(problem(body.error()));
  std::vector<Unplanned> unusable;
  auto parsed = read_request(s, *body, req.tenant, &unusable);
  if (!parsed) return reply(problem(parsed.error()));
  auto roads = s.graphs.for_tenant(req.tenant);
  if (!roads) return reply(problem(roads.error()));
  auto plan = make_plan(parsed->request, **roads);
  if (!plan) return reply(problem(plan.error()));
  plan->unroutable.insert(plan->unroutable.end(), unusable.begin(),
                          unusable.end());
  std::string date(body->at("date").as_string());
  std::string id = new_plan_id(date);
  auto entities = plan_to_entities(*plan, id, date, s.broker.now());
  if (!entities) return reply(problem(entities.error()));
  std::vector<store::WriteOp> ops;
  for (auto& e : *entities) {
    std::string eid = e.id;
    auto shared = std::make_shared<ngsi::Entity>(std::move(e));
    ops.push_back({eid, [shared](ngsi::Entity* current) {
                     return current ? broker::replace_entity(current, *shared)
                                    : broker::create_entity(nullptr, *shared);
                   }});
  }
  auto out =
      std::make_shared<std::string>(to_json(plan_to_json(*plan, id, date)));
  s.broker.write(req.tenant, std::move(ops),
                 [reply, out, id](std::vector<Status> results) {
                   for (const auto& r : results) {
                     if (!r) return reply(problem(r.error()));
                   }
                   auto resp = server::json_response(201, std::move(*out));
                   resp.headers.emplace_back("Location",
                                             std::string(kPlans) + "/" + id);
                   reply(std::move(resp));
                 });
}

void get_plan(Service& s, server::HttpRequest& req, server::Reply reply) {
  std::string id(req.path_param("id"));
  auto plan = s.broker.get(req.tenant, plan_entity_id(id));
  if (!plan) return reply(problem(plan.error()));
  if (!*plan) {
    return reply(problem({Code::kNotFound, "no waste plan '" + id + "'", {}}));
  }
  std::vector<ngsi::Entity> routes;
  for (const auto& rid : route_ids_of(**plan)) {
    auto r = s.broker.get(req.tenant, rid);
    if (!r) return reply(problem(r.error()));
    if (!*r) {
      return reply(problem(
          {Code::kNotFound,
           "route entity '" + rid + "' of plan '" + id + "' was deleted",
           {}}));
    }
    routes.push_back(std::move(**r));
  }
  auto out = plan_from_entities(**plan, routes);
  if (!out) return reply(problem(out.error()));
  reply(server::json_response(200, to_json(*out)));
}

Result<SavingsRequest> savings_request(const ParsedPlanRequest& parsed,
                                       const json::object& body) {
  SavingsRequest r;
  r.base = parsed.request;
  auto days = number_field(body, "days", "", 14, 1, 62);
  if (!days) return std::unexpected(days.error());
  r.days = int(*days);
  auto noise = number_field(body, "noise", "", r.noise, 0, 2);
  if (!noise) return std::unexpected(noise.error());
  r.noise = *noise;
  r.seed = r.base.seed;
  if (const auto* wd = member(body, "working_days")) {
    auto a = as_array(*wd, "working_days");
    if (!a) return std::unexpected(a.error());
    r.working_day.assign(7, false);
    for (size_t i = 0; i < (*a)->size(); ++i) {
      std::string p = "working_days[" + std::to_string(i) + "]";
      auto d = as_number((**a)[i], p);
      if (!d) return std::unexpected(d.error());
      if (*d < 1 || *d > 7) return bad_field(p, "must be 1 (Monday) to 7");
      r.working_day[size_t(*d - 1)] = true;
    }
  }
  return r;
}

json::object figures_json(const StrategyFigures& f) {
  return json::object{{"collections", f.collections},
                      {"distance_km", std::round(f.distance_km * 10) / 10},
                      {"duration_h", std::round(f.duration_h * 100) / 100},
                      {"overflow_events", f.overflow_events},
                      {"truck_days", f.routes},
                      {"infeasible_days", f.infeasible_days}};
}

double saving_pct(double weekly, double sensor) {
  return weekly > 0 ? std::round((1 - sensor / weekly) * 1000) / 10 : 0;
}

void post_savings(Service& s, server::HttpRequest& req, server::Reply reply) {
  auto body = body_json(req, s.limits);
  if (!body) return reply(problem(body.error()));
  std::vector<Unplanned> unusable;
  auto parsed = read_request(s, *body, req.tenant, &unusable);
  if (!parsed) return reply(problem(parsed.error()));
  auto sr = savings_request(*parsed, body->as_object());
  if (!sr) return reply(problem(sr.error()));
  if (!member(body->as_object(), "time_limit_s")) sr->base.time_limit_s = 1;
  auto roads = s.graphs.for_tenant(req.tenant);
  if (!roads) return reply(problem(roads.error()));
  auto report = compare_strategies(*sr, **roads);
  if (!report) return reply(problem(report.error()));
  const auto& w = report->weekly;
  const auto& d = report->sensor;
  json::object out{
      {"days", report->days},
      {"containers", report->containers},
      {"weekly", figures_json(w)},
      {"sensor", figures_json(d)},
      {"saving_pct",
       json::object{{"collections", saving_pct(w.collections, d.collections)},
                    {"distance_km", saving_pct(w.distance_km, d.distance_km)},
                    {"duration_h", saving_pct(w.duration_h, d.duration_h)}}}};
  reply(server::json_response(200, to_json(out)));
}

}  // namespace

void add_routes(server::Router& router, broker::Broker& broker,
                WasteRouteOptions options) {
  auto s = std::make_shared<Service>(broker, options);
  server::RouteOptions write;
  write.role = server::Role::kWrite;
  router.add(
      "POST", std::string(kPlans),
      [s](server::HttpRequest& req, server::Reply reply) {
        post_plan(*s, req, std::move(reply));
      },
      write);
  router.add("GET", std::string(kPlans) + "/{id}",
             [s](server::HttpRequest& req, server::Reply reply) {
               get_plan(*s, req, std::move(reply));
             });
  router.add("POST", "/api/v1/waste/savings",
             [s](server::HttpRequest& req, server::Reply reply) {
               post_savings(*s, req, std::move(reply));
             });
}

}  // namespace cocity::apps::waste
