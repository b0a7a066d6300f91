#include "vrp/json_reader.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "core/json.h"

namespace cocity::vrp {
namespace {

std::unexpected<Error> bad(const std::string& path, const std::string& rule) {
  return fail(Code::kBadRequestData, path + ": " + rule);
}

Result<double> number_at(const json::object& o, const std::string& path,
                         const char* key, std::optional<double> fallback) {
  const json::value* v = o.if_contains(key);
  const std::string p = path + "." + key;
  if (!v) {
    if (fallback) return *fallback;
    return bad(p, "is missing");
  }
  if (!v->is_number()) {
    return bad(p, std::string("expected a number, got ") +
                      std::string(json_kind_name(*v)));
  }
  double d = v->to_number<double>();
  if (!std::isfinite(d) || d < 0 || d > 4e15) {
    return bad(p, "must be a non-negative number below 4e15");
  }
  return d;
}

Result<int64_t> integer_at(const json::object& o, const std::string& path,
                           const char* key, std::optional<double> fallback) {
  auto d = number_at(o, path, key, fallback);
  if (!d) return std::unexpected(d.error());
  if (*d != std::floor(*d)) {
    return bad(path + "." + key, "expected an integer");
  }
  return std::min<int64_t>(static_cast<int64_t>(*d), kNoLimit);
}

Result<TimeWindow> window_at(const json::object& o, const std::string& path,
                             const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v) return TimeWindow{};
  const std::string p = path + "." + key;
  const json::array* a = v->if_array();
  if (!a || a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number()) {
    return bad(p, "expected [open, close] in seconds");
  }
  const double open = (*a)[0].to_number<double>();
  const double close = (*a)[1].to_number<double>();
  if (!(open >= 0) || !(close >= open) || close > 4e15) {
    return bad(p, "expected [open, close] with 0 <= open <= close < 4e15");
  }
  TimeWindow w{std::llround(open), std::llround(close)};
  return w;
}

Result<const json::array*> array_at(const json::object& o, const char* key,
                                    bool required) {
  const json::value* v = o.if_contains(key);
  if (!v) {
    if (required) return bad(key, "is missing");
    return nullptr;
  }
  if (!v->is_array()) return bad(key, "expected an array");
  return &v->get_array();
}

Result<const json::object*> object_in(const json::array& a, size_t i,
                                      const std::string& path) {
  if (!a[i].is_object()) return bad(path, "expected an object");
  return &a[i].get_object();
}

#define COCITY_TRY(var, expr)                            \
  auto var##_r = (expr);                                 \
  if (!var##_r) return std::unexpected(var##_r.error()); \
  auto var = *var##_r

Result<Job> read_job(const json::object& o, const std::string& p) {
  Job j;
  COCITY_TRY(number, integer_at(o, p, "id", std::nullopt));
  COCITY_TRY(location, integer_at(o, p, "location", std::nullopt));
  COCITY_TRY(demand, integer_at(o, p, "demand", 0.0));
  COCITY_TRY(service, integer_at(o, p, "service_s", 0.0));
  COCITY_TRY(window, window_at(o, p, "time_window"));
  j.number = number;
  j.location = static_cast<int>(std::min<int64_t>(location, 1 << 30));
  j.demand = demand;
  j.service_time = service;
  j.window = window;
  if (o.if_contains("prize")) {
    COCITY_TRY(prize, number_at(o, p, "prize", std::nullopt));
    j.mandatory = false;
    j.prize = prize;
  }
  return j;
}

Result<VehicleType> read_vehicle(const json::object& o, const std::string& p) {
  VehicleType v;
  if (const json::value* id = o.if_contains("id"); id && id->is_string()) {
    v.id = std::string(id->get_string());
  }
  COCITY_TRY(count, integer_at(o, p, "count", 1.0));
  COCITY_TRY(capacity, integer_at(o, p, "capacity", double(kNoLimit)));
  COCITY_TRY(start, integer_at(o, p, "start", 0.0));
  COCITY_TRY(end, integer_at(o, p, "end", double(start)));
  COCITY_TRY(shift, window_at(o, p, "shift"));
  COCITY_TRY(max_duration,
             integer_at(o, p, "max_duration_s", double(kNoLimit)));
  COCITY_TRY(per_m, number_at(o, p, "cost_per_m", 1.0));
  COCITY_TRY(per_s, number_at(o, p, "cost_per_s", 0.0));
  COCITY_TRY(fixed, number_at(o, p, "fixed_cost", 0.0));
  if (count > 100000) return bad(p + ".count", "must be at most 100000");
  v.count = static_cast<int>(count);
  v.capacity = capacity;
  v.start_location = static_cast<int>(std::min<int64_t>(start, 1 << 30));
  v.end_location = static_cast<int>(std::min<int64_t>(end, 1 << 30));
  v.shift = shift;
  v.max_duration = max_duration;
  v.cost_per_distance = per_m;
  v.cost_per_time = per_s;
  v.fixed_cost = fixed;
  return v;
}

Result<DisposalSite> read_site(const json::object& o, const std::string& p) {
  DisposalSite d;
  COCITY_TRY(location, integer_at(o, p, "location", std::nullopt));
  COCITY_TRY(window, window_at(o, p, "time_window"));
  COCITY_TRY(unload, integer_at(o, p, "unload_s", 0.0));
  d.location = static_cast<int>(std::min<int64_t>(location, 1 << 30));
  d.window = window;
  d.unload_time = unload;
  return d;
}

Result<std::vector<std::vector<int64_t>>> read_matrix(const json::object& m,
                                                      const char* key) {
  const std::string p = std::string("matrix.") + key;
  const json::value* v = m.if_contains(key);
  if (!v || !v->is_array()) return bad(p, "expected an array of rows");
  std::vector<std::vector<int64_t>> rows;
  for (size_t i = 0; i < v->get_array().size(); ++i) {
    const json::value& row = v->get_array()[i];
    if (!row.is_array())
      return bad(p + "[" + std::to_string(i) + "]", "expected an array");
    std::vector<int64_t> r;
    for (const json::value& x : row.get_array()) {
      if (!x.is_number()) {
        return bad(p + "[" + std::to_string(i) + "]", "expected numbers");
      }
      double d = x.to_number<double>();
      if (!std::isfinite(d) || d < 0 || d > 4e15) {
        return bad(p + "[" + std::to_string(i) + "]",
                   "values must be non-negative and below 4e15");
      }
      r.push_back(std::llround(d));
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

Result<std::shared_ptr<const DistanceProvider>> read_travel(
    const json::object& o) {
  if (const json::value* m = o.if_contains("matrix")) {
    if (!m->is_object()) return bad("matrix", "expected an object");
    COCITY_TRY(dist, read_matrix(m->get_object(), "distance_m"));
    COCITY_TRY(dur, read_matrix(m->get_object(), "duration_s"));
    return make_matrix_provider(std::move(dist), std::move(dur));
  }
  COCITY_TRY(locations, array_at(o, "locations", true));
  COCITY_TRY(speed, number_at(o, "problem", "speed_mps", 10.0));
  if (speed <= 0) return bad("speed_mps", "must be positive");
  std::vector<Point> points;
  for (size_t i = 0; i < locations->size(); ++i) {
    const std::string p = "locations[" + std::to_string(i) + "]";
    COCITY_TRY(lo, object_in(*locations, i, p));
    COCITY_TRY(x, number_at(*lo, p, "x", std::nullopt));
    COCITY_TRY(y, number_at(*lo, p, "y", std::nullopt));
    points.push_back({x, y});
  }
  return make_euclidean_provider(points, {1.0, 1.0 / speed});
}

template <typename T, typename F>
Status read_list(const json::object& o, const char* key, bool required,
                 F read_one, std::vector<T>* out) {
  COCITY_TRY(list, array_at(o, key, required));
  if (!list) return ok();
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string p = std::string(key) + "[" + std::to_string(i) + "]";
    COCITY_TRY(item, object_in(*list, i, p));
    COCITY_TRY(value, read_one(*item, p));
    out->push_back(value);
  }
  return ok();
}

}  // namespace

Result<Problem> parse_problem_json(std::string_view text) {
  COCITY_TRY(doc, parse_json(text));
  if (!doc.is_object()) return bad("problem", "expected a JSON object");
  const json::object& o = doc.get_object();
  Problem p;
  if (const json::value* n = o.if_contains("name"); n && n->is_string()) {
    p.name = std::string(n->get_string());
  }
  COCITY_TRY(travel, read_travel(o));
  p.travel = travel;
  if (auto s = read_list(o, "jobs", true, read_job, &p.jobs); !s) {
    return std::unexpected(s.error());
  }
  if (auto s =
          read_list(o, "vehicle_types", true, read_vehicle, &p.vehicle_types);
      !s) {
    return std::unexpected(s.error());
  }
  if (auto s =
          read_list(o, "disposal_sites", false, read_site, &p.disposal_sites);
      !s) {
    return std::unexpected(s.error());
  }
  if (auto s = validate_problem(p); !s) return std::unexpected(s.error());
  return p;
}

}  // namespace cocity::vrp
