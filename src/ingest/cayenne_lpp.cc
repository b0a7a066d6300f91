#include "ingest/cayenne_lpp.h"

#include <fmt/format.h>

#include <set>
#include <string>

#include "ingest/byte_reader.h"

namespace cocity::ingest {

namespace {

Result<Measurements> bad(std::string detail) {
  return fail(Code::kBadRequestData, "Cayenne LPP: " + std::move(detail));
}

// The first use of a kind keeps the plain name; later ones get a suffix.
std::string unique_name(std::set<std::string>* used, std::string_view name,
                        uint32_t channel) {
  std::string n(name);
  if (used->insert(n).second) return n;
  n += "_" + std::to_string(channel);
  used->insert(n);
  return n;
}

bool read_scaled(ByteReader* r, size_t width, bool is_signed, double scale,
                 double* out) {
  if (is_signed) {
    int32_t v = 0;
    if (!r->signed_int(width, false, &v)) return false;
    *out = v * scale;
    return true;
  }
  uint32_t v = 0;
  if (!(width == 1 ? r->u8(&v) : r->u16_be(&v))) return false;
  *out = v * scale;
  return true;
}

json::value vector3(double x, double y, double z) {
  json::object o;
  o["x"] = x;
  o["y"] = y;
  o["z"] = z;
  return o;
}

// Decodes one value of `type` at the reader; false when truncated.
Status decode_value(uint32_t channel, uint32_t type, ByteReader* r,
                    std::set<std::string>* used, Measurements* out) {
  auto truncated = [&] {
    return fail(Code::kBadRequestData,
                fmt::format("Cayenne LPP: channel {} type {} is truncated",
                            channel, type));
  };
  auto range = [&](std::string what) {
    return fail(Code::kBadRequestData,
                fmt::format("Cayenne LPP: channel {}: {} is out of range",
                            channel, what));
  };
  double v = 0;
  switch (type) {
    case 0:
    case 1:
    case 102: {
      if (!read_scaled(r, 1, false, 1, &v)) return truncated();
      std::string_view name = type == 0   ? "digitalInput"
                              : type == 1 ? "digitalOutput"
                                          : "presence";
      add_number(out, unique_name(used, name, channel), v);
      return ok();
    }
    case 2:
    case 3:
      if (!read_scaled(r, 2, true, 0.01, &v)) return truncated();
      add_number(out,
                 unique_name(used, type == 2 ? "analogInput" : "analogOutput",
                             channel),
                 v);
      return ok();
    case 101:
      if (!read_scaled(r, 2, false, 1, &v)) return truncated();
      add_number(out, unique_name(used, "illuminance", channel), v, "LUX");
      return ok();
    case 103:
      if (!read_scaled(r, 2, true, 0.1, &v)) return truncated();
      if (v < -273.15) return range(fmt::format("temperature {} degC", v));
      add_number(out, unique_name(used, "temperature", channel), v, "CEL");
      return ok();
    case 104:
      if (!read_scaled(r, 1, false, 0.5, &v)) return truncated();
      if (v > 100) return range(fmt::format("humidity {} %", v));
      add_number(out, unique_name(used, "relativeHumidity", channel), v / 100);
      return ok();
    case 115:
      if (!read_scaled(r, 2, false, 0.1, &v)) return truncated();
      add_number(out, unique_name(used, "atmosphericPressure", channel), v,
                 "A97");
      return ok();
    case 113:
    case 134: {
      double scale = type == 113 ? 0.001 : 0.01;
      double x = 0, y = 0, z = 0;
      if (!read_scaled(r, 2, true, scale, &x) ||
          !read_scaled(r, 2, true, scale, &y) ||
          !read_scaled(r, 2, true, scale, &z)) {
        return truncated();
      }
      std::string_view name = type == 113 ? "acceleration" : "angularVelocity";
      out->push_back(Measurement{unique_name(used, name, channel),
                                 vector3(x, y, z), "", false});
      return ok();
    }
    case 136: {
      double lat = 0, lon = 0, alt = 0;
      if (!read_scaled(r, 3, true, 0.0001, &lat) ||
          !read_scaled(r, 3, true, 0.0001, &lon) ||
          !read_scaled(r, 3, true, 0.01, &alt)) {
        return truncated();
      }
      if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
        return range(fmt::format("position {},{}", lat, lon));
      }
      json::object point;
      point["type"] = "Point";
      point["coordinates"] = json::array{lon, lat, alt};
      out->push_back(Measurement{unique_name(used, "location", channel),
                                 std::move(point), "", true});
      return ok();
    }
    default:
      return fail(Code::kBadRequestData,
                  fmt::format("Cayenne LPP: channel {} has unknown type {}",
                              channel, type));
  }
}

}  // namespace

Result<Measurements> decode_cayenne_lpp(std::span<const uint8_t> bytes,
                                        const json::object& /*params*/) {
  if (bytes.empty()) return bad("the frame is empty");
  ByteReader r(bytes);
  Measurements out;
  std::set<std::string> used;
  while (!r.done()) {
    uint32_t channel = 0, type = 0;
    if (!r.u8(&channel) || !r.u8(&type)) {
      return bad("a value header is truncated at byte " +
                 std::to_string(r.position()));
    }
    if (auto s = decode_value(channel, type, &r, &used, &out); !s) {
      return std::unexpected(s.error());
    }
  }
  return out;
}

}  // namespace cocity::ingest
