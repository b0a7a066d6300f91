#include "apps/waste/plan_json.h"

#include <cctype>
#include <chrono>
#include <cmath>

#include "apps/waste/json_fields.h"

namespace cocity::apps::waste {

namespace {

constexpr size_t kMaxContainers = 20000;
constexpr size_t kMaxTrucks = 200;
constexpr size_t kMaxHistory = 100000;

template <typename T>
std::unexpected<Error> pass(const Result<T>& r) {
  return std::unexpected(r.error());
}

Result<Depot> parse_depot(const json::value& v, const std::string& path) {
  auto o = as_object(v, path);
  if (!o) return pass(o);
  Depot d;
  auto id = string_field(**o, "id", path + ".");
  if (!id) return pass(id);
  d.id = *id;
  const json::value* loc = member(**o, "location");
  if (!loc) return bad_field(path + ".location", "is required");
  auto p = as_location(*loc, path + ".location");
  if (!p) return pass(p);
  d.location = *p;
  return d;
}

Result<DisposalSite> parse_site(const json::value& v, const std::string& path) {
  auto depot = parse_depot(v, path);
  if (!depot) return pass(depot);
  const auto& o = v.get_object();
  DisposalSite s{depot->id, depot->location};
  if (const auto* open = member(o, "open")) {
    auto t = as_clock_time(*open, path + ".open");
    if (!t) return pass(t);
    s.open_s = *t;
  }
  if (const auto* close = member(o, "close")) {
    auto t = as_clock_time(*close, path + ".close");
    if (!t) return pass(t);
    s.close_s = *t;
  }
  auto unload = number_field(o, "unload_s", path + ".", 900, 0, 86400);
  if (!unload) return pass(unload);
  s.unload_s = int64_t(*unload);
  if (s.close_s < s.open_s) return bad_field(path + ".close", "is before open");
  return s;
}

Result<Truck> parse_truck(const json::value& v, const std::string& path) {
  auto o = as_object(v, path);
  if (!o) return pass(o);
  Truck t;
  auto id = string_field(**o, "id", path + ".");
  if (!id) return pass(id);
  // Truck ids become part of the route entities' URNs.
  for (char c : *id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' &&
        c != '.') {
      return bad_field(path + ".id",
                       "may hold only letters, digits, '-', '_' and '.'");
    }
  }
  if (id->size() > 64) return bad_field(path + ".id", "is longer than 64");
  t.id = *id;
  auto depot = string_field(**o, "depot", path + ".");
  if (!depot) return pass(depot);
  t.depot = *depot;
  auto cap = number_field(**o, "capacity_l", path + ".", 10000, 1, 1e7);
  if (!cap) return pass(cap);
  t.capacity_l = *cap;
  if (const auto* shift = member(**o, "shift")) {
    auto a = as_array(*shift, path + ".shift");
    if (!a) return pass(a);
    if ((*a)->size() != 2)
      return bad_field(path + ".shift", "must be [start, end]");
    auto s = as_clock_time((**a)[0], path + ".shift[0]");
    if (!s) return pass(s);
    auto e = as_clock_time((**a)[1], path + ".shift[1]");
    if (!e) return pass(e);
    t.shift_start_s = *s;
    t.shift_end_s = *e;
  }
  if (t.shift_end_s <= t.shift_start_s) {
    return bad_field(path + ".shift", "must end after it starts");
  }
  if (const auto* md = member(**o, "max_duration_s")) {
    auto d = as_number(*md, path + ".max_duration_s");
    if (!d) return pass(d);
    if (*d <= 0) return bad_field(path + ".max_duration_s", "must be > 0");
    t.max_duration_s = int64_t(*d);
  }
  return t;
}

Status parse_policy(const json::object& o, ParsedPlanRequest* out) {
  auto& p = out->request.policy;
  const std::string path = "policy.";
  auto th = number_field(o, "threshold", path, p.threshold, 0.01, 1.5);
  if (!th) return pass(th);
  p.threshold = *th;
  auto may = number_field(o, "may_level", path, p.may_level, 0, 1.5);
  if (!may) return pass(may);
  p.may_level = *may;
  auto next =
      number_field(o, "next_visit_days", path, p.next_visit_days, 0.01, 60);
  if (!next) return pass(next);
  p.next_visit_days = *next;
  auto prize = number_field(o, "prize_m", path, p.prize_m, 0, 1e7);
  if (!prize) return pass(prize);
  p.prize_m = *prize;
  auto service =
      number_field(o, "service_s", path, double(p.service_s), 0, 3600);
  if (!service) return pass(service);
  p.service_s = int64_t(*service);
  if (const auto* c = member(o, "cautious")) {
    auto b = as_bool(*c, path + "cautious");
    if (!b) return pass(b);
    p.cautious = *b;
  }
  auto rate = number_field(o, "default_fill_rate_per_day", path,
                           out->default_rate_per_day, 0, 10);
  if (!rate) return pass(rate);
  out->default_rate_per_day = *rate;
  auto vol =
      number_field(o, "default_volume_l", path, out->default_volume_l, 1, 1e6);
  if (!vol) return pass(vol);
  out->default_volume_l = *vol;
  return ok();
}

template <typename T, typename F>
Status parse_list(const json::object& body, std::string_view name, size_t max,
                  F parse, std::vector<T>* out) {
  const json::value* v = member(body, name);
  std::string path(name);
  if (!v) return bad_field(path, "is required");
  auto a = as_array(*v, path);
  if (!a) return pass(a);
  if ((*a)->size() > max) {
    return bad_field(path,
                     "holds more than " + std::to_string(max) + " entries");
  }
  for (size_t i = 0; i < (*a)->size(); ++i) {
    auto item = parse((**a)[i], path + "[" + std::to_string(i) + "]");
    if (!item) return pass(item);
    out->push_back(std::move(*item));
  }
  return ok();
}

Result<std::vector<FillReading>> parse_history(const json::value& v,
                                               const std::string& path) {
  auto a = as_array(v, path);
  if (!a) return pass(a);
  if ((*a)->size() > kMaxHistory) {
    return bad_field(path, "holds more than 100000 readings");
  }
  std::vector<FillReading> out;
  for (size_t i = 0; i < (*a)->size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]";
    const auto& r = (**a)[i];
    if (!r.is_array() || r.get_array().size() != 2) {
      return bad_field(p, "must be [time, level]");
    }
    auto t = as_time(r.get_array()[0], p + "[0]");
    if (!t) return pass(t);
    auto l = as_number(r.get_array()[1], p + "[1]");
    if (!l) return pass(l);
    out.push_back({*t, *l});
  }
  return out;
}

json::array lon_lat(roads::LatLon p) { return json::array{p.lon, p.lat}; }

std::string iso_at(TimePoint day_start, int64_t s) {
  return format_iso_time(day_start + std::chrono::seconds(s));
}

}  // namespace

Result<Container> parse_container(const json::value& v, const std::string& path,
                                  const ParsedPlanRequest& defaults) {
  auto o = as_object(v, path);
  if (!o) return pass(o);
  Container c;
  auto id = string_field(**o, "id", path + ".");
  if (!id) return pass(id);
  c.id = *id;
  const json::value* loc = member(**o, "location");
  if (!loc) return bad_field(path + ".location", "is required");
  auto p = as_location(*loc, path + ".location");
  if (!p) return pass(p);
  c.location = *p;
  auto vol = number_field(**o, "volume_l", path + ".",
                          defaults.default_volume_l, 1, 1e6);
  if (!vol) return pass(vol);
  c.volume_l = *vol;
  auto level = number_field(**o, "level", path + ".", -1, 0, 1.5);
  if (!level) return pass(level);
  c.level_time = defaults.request.day_start;
  if (const auto* at = member(**o, "observed_at")) {
    auto t = as_time(*at, path + ".observed_at");
    if (!t) return pass(t);
    c.level_time = *t;
  }
  ForecastOptions fo = defaults.request.forecast;
  fo.default_rate_per_day = defaults.default_rate_per_day;
  c.model = fit_fill_model({}, fo);
  if (const auto* h = member(**o, "history")) {
    auto history = parse_history(*h, path + ".history");
    if (!history) return pass(history);
    auto f = forecast(*history, defaults.request.policy.threshold, fo);
    if (f) {
      c.model = f->model;
      if (*level < 0) {
        c.level = f->level;
        c.level_time = f->as_of;
      }
    }
  }
  auto rate = number_field(**o, "fill_rate_per_day", path + ".", -1, 0, 10);
  if (!rate) return pass(rate);
  if (*rate >= 0) c.model = flat_model(*rate);
  if (*level >= 0) c.level = *level;
  if (*level < 0 && !member(**o, "history")) {
    return bad_field(path + ".level", "is required (or a history)");
  }
  return c;
}

Result<ParsedPlanRequest> parse_plan_request(const json::value& body) {
  auto o = as_object(body, "body");
  if (!o) return pass(o);
  ParsedPlanRequest out;
  auto date = string_field(**o, "date", "");
  if (!date) return pass(date);
  auto day = parse_iso_date(*date);
  if (!day) return bad_field("date", "must be YYYY-MM-DD");
  auto offset = number_field(**o, "utc_offset_s", "", 0, -14 * 3600, 14 * 3600);
  if (!offset) return pass(offset);
  out.utc_offset_s = int(*offset);
  out.request.day_start = *day - std::chrono::seconds(out.utc_offset_s);
  out.request.forecast.utc_offset_s = out.utc_offset_s;
  if (const auto* p = member(**o, "policy")) {
    auto po = as_object(*p, "policy");
    if (!po) return pass(po);
    if (auto s = parse_policy(**po, &out); !s) return pass(s);
  }
  auto limit = number_field(**o, "time_limit_s", "", 5, 0.1, 120);
  if (!limit) return pass(limit);
  out.request.time_limit_s = *limit;
  if (const auto* be = member(**o, "best_effort")) {
    auto b = as_bool(*be, "best_effort");
    if (!b) return pass(b);
    out.request.best_effort = *b;
  }
  auto seed = number_field(**o, "seed", "", 1, 0, 1e15);
  if (!seed) return pass(seed);
  out.request.seed = uint64_t(*seed);
  if (auto s = parse_list(**o, "fleet", kMaxTrucks, parse_truck,
                          &out.request.trucks);
      !s) {
    return pass(s);
  }
  if (auto s = parse_list(**o, "depots", 100, parse_depot, &out.request.depots);
      !s) {
    return pass(s);
  }
  if (member(**o, "disposal_sites")) {
    if (auto s = parse_list(**o, "disposal_sites", 100, parse_site,
                            &out.request.disposal_sites);
        !s) {
      return pass(s);
    }
  }
  if (member(**o, "containers")) {
    out.has_containers = true;
    auto parse = [&out](const json::value& v, const std::string& path) {
      return parse_container(v, path, out);
    };
    std::vector<Container> containers;
    if (auto s =
            parse_list(**o, "containers", kMaxContainers, parse, &containers);
        !s) {
      return pass(s);
    }
    out.request.containers = std::move(containers);
  }
  return out;
}

json::array line_string_coordinates(const std::vector<roads::LatLon>& points) {
  json::array a;
  a.reserve(points.size());
  for (const auto& p : points) a.push_back(lon_lat(p));
  return a;
}

json::object route_to_json(const TruckRoute& r, TimePoint day_start) {
  json::object o;
  o["truck"] = r.truck;
  o["depot"] = r.depot;
  o["depart"] = iso_at(day_start, r.depart_s);
  o["return"] = iso_at(day_start, r.return_s);
  o["depart_s"] = r.depart_s;
  o["return_s"] = r.return_s;
  o["distance_m"] = std::round(r.distance_m);
  o["duration_s"] = r.return_s - r.depart_s;
  o["containers"] = r.containers;
  o["disposal_visits"] = r.disposal_visits;
  json::array stops;
  for (const auto& s : r.stops) {
    json::object so;
    bool container = s.kind == PlanStop::Kind::kContainer;
    so["type"] = container ? "container" : "disposal";
    so["id"] = s.id;
    so["location"] = lon_lat(s.location);
    so["arrival"] = iso_at(day_start, s.arrival_s);
    so["arrival_s"] = s.arrival_s;
    so["start_s"] = s.start_s;
    so["departure_s"] = s.departure_s;
    so["distance_m"] = std::round(s.distance_m);
    so["load_l"] = s.load_l;
    if (container) {
      so["level"] = std::round(s.level * 1000) / 1000;
      so["must"] = s.must;
    }
    stops.push_back(std::move(so));
  }
  o["stops"] = std::move(stops);
  json::object g;
  g["type"] = "LineString";
  g["coordinates"] = line_string_coordinates(r.geometry);
  o["geometry"] = std::move(g);
  return o;
}

json::object plan_to_json(const Plan& plan, const std::string& id,
                          const std::string& date) {
  json::object o;
  o["id"] = id;
  o["date"] = date;
  json::object totals;
  totals["routes"] = plan.routes.size();
  totals["containers"] = plan.collected;
  totals["must"] = plan.must;
  totals["may"] = plan.may;
  totals["distance_km"] = std::round(plan.distance_m) / 1000;
  totals["duration_h"] = std::round(plan.duration_s / 36) / 100;
  totals["cost"] = plan.cost;
  totals["solve_s"] = std::round(plan.solve_s * 100) / 100;
  o["totals"] = std::move(totals);
  json::array routes;
  for (const auto& r : plan.routes) {
    routes.push_back(route_to_json(r, plan.day_start));
  }
  o["routes"] = std::move(routes);
  json::array skipped(plan.skipped.begin(), plan.skipped.end());
  o["skipped"] = std::move(skipped);
  json::array left(plan.optional_left.begin(), plan.optional_left.end());
  o["optional_left"] = std::move(left);
  json::array must_left(plan.must_left.begin(), plan.must_left.end());
  o["must_left"] = std::move(must_left);
  json::array unroutable;
  for (const auto& u : plan.unroutable) {
    unroutable.push_back(json::object{{"id", u.id}, {"reason", u.reason}});
  }
  o["unroutable"] = std::move(unroutable);
  return o;
}

}  // namespace cocity::apps::waste
