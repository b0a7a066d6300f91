#include "apps/waste/json_fields.h"

#include <cmath>

namespace cocity::apps::waste {

std::unexpected<Error> bad_field(const std::string& path, std::string rule) {
  Error e{Code::kBadRequestData, path + ": " + rule, path};
  return std::unexpected<Error>(std::move(e));
}

const json::value* member(const json::object& o, std::string_view name) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

Result<const json::object*> as_object(const json::value& v,
                                      const std::string& path) {
  if (!v.is_object()) {
    return bad_field(
        path, "must be an object, not " + std::string(json_kind_name(v)));
  }
  return &v.get_object();
}

Result<const json::array*> as_array(const json::value& v,
                                    const std::string& path) {
  if (!v.is_array()) {
    return bad_field(path,
                     "must be an array, not " + std::string(json_kind_name(v)));
  }
  return &v.get_array();
}

Result<std::string> as_string(const json::value& v, const std::string& path) {
  if (!v.is_string()) {
    return bad_field(path,
                     "must be a string, not " + std::string(json_kind_name(v)));
  }
  return std::string(v.get_string());
}

Result<double> as_number(const json::value& v, const std::string& path) {
  if (!v.is_number()) {
    return bad_field(path,
                     "must be a number, not " + std::string(json_kind_name(v)));
  }
  double d = v.to_number<double>();
  if (!std::isfinite(d)) return bad_field(path, "must be finite");
  return d;
}

Result<bool> as_bool(const json::value& v, const std::string& path) {
  if (!v.is_bool()) {
    return bad_field(
        path, "must be true or false, not " + std::string(json_kind_name(v)));
  }
  return v.get_bool();
}

Result<double> number_field(const json::object& o, std::string_view name,
                            const std::string& path, double fallback, double lo,
                            double hi) {
  const json::value* v = member(o, name);
  if (!v) return fallback;
  std::string p = path + std::string(name);
  auto d = as_number(*v, p);
  if (!d) return d;
  if (*d < lo || *d > hi) {
    return bad_field(p, "must be in [" + std::to_string(lo) + ", " +
                            std::to_string(hi) + "]");
  }
  return d;
}

Result<std::string> string_field(const json::object& o, std::string_view name,
                                 const std::string& path) {
  const json::value* v = member(o, name);
  std::string p = path + std::string(name);
  if (!v) return bad_field(p, "is required");
  auto s = as_string(*v, p);
  if (s && s->empty()) return bad_field(p, "must not be empty");
  return s;
}

Result<roads::LatLon> as_location(const json::value& v,
                                  const std::string& path) {
  const json::value* coords = &v;
  if (v.is_object()) {
    const json::value* t = member(v.get_object(), "type");
    if (!t || !t->is_string() || t->get_string() != "Point") {
      return bad_field(path, "must be [lon, lat] or a GeoJSON Point");
    }
    coords = member(v.get_object(), "coordinates");
    if (!coords) return bad_field(path, "the Point has no coordinates");
  }
  if (!coords->is_array() || coords->get_array().size() < 2) {
    return bad_field(path, "must be [lon, lat] or a GeoJSON Point");
  }
  auto lon = as_number(coords->get_array()[0], path + "[0]");
  if (!lon) return std::unexpected(lon.error());
  auto lat = as_number(coords->get_array()[1], path + "[1]");
  if (!lat) return std::unexpected(lat.error());
  roads::LatLon p{*lat, *lon};
  if (!roads::is_valid(p)) {
    return bad_field(path, "is not a valid WGS84 position");
  }
  return p;
}

Result<int64_t> as_clock_time(const json::value& v, const std::string& path) {
  constexpr int64_t kMax = 48 * 3600;
  if (v.is_number()) {
    auto d = as_number(v, path);
    if (!d || *d < 0 || *d > double(kMax)) {
      return bad_field(path, "must be seconds in [0, 172800]");
    }
    return int64_t(*d);
  }
  if (!v.is_string()) return bad_field(path, "must be \"HH:MM\" or seconds");
  std::string s(v.get_string());
  int h = 0, m = 0, sec = 0;
  char extra = 0;
  int n = std::sscanf(s.c_str(), "%d:%d:%d%c", &h, &m, &sec, &extra);
  if (n < 2 || n > 3 || h < 0 || m < 0 || m > 59 || sec < 0 || sec > 59 ||
      int64_t(h) * 3600 + m * 60 + sec > kMax) {
    return bad_field(path,
                     "must be \"HH:MM\" or \"HH:MM:SS\", not '" + s + "'");
  }
  return int64_t(h) * 3600 + m * 60 + sec;
}

Result<TimePoint> as_time(const json::value& v, const std::string& path) {
  auto s = as_string(v, path);
  if (!s) return std::unexpected(s.error());
  auto t = parse_iso_time(*s);
  if (!t) return bad_field(path, t.error().detail);
  return t;
}

}  // namespace cocity::apps::waste
