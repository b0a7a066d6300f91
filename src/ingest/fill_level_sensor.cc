#include "ingest/fill_level_sensor.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "ingest/byte_reader.h"

namespace cocity::ingest {

namespace {

std::unexpected<Error> bad(std::string detail) {
  return fail(Code::kBadRequestData, "EM500-UDL: " + std::move(detail));
}

std::optional<double> number_param(const json::object& params,
                                   std::string_view name) {
  const json::value* v = params.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

// Bytes of the device-information channels (id 0xFF) by type.
std::optional<size_t> info_length(uint32_t type) {
  switch (type) {
    case 0x01:
    case 0x0B:
    case 0x0F:
    case 0xFE:
      return 1;
    case 0x09:
    case 0x0A:
    case 0xFF:
      return 2;
    case 0x16:
      return 8;
    default:
      return std::nullopt;
  }
}

struct Frame {
  std::optional<uint32_t> battery_pct;
  std::optional<uint32_t> distance_mm;
};

Status read_channel(uint32_t id, uint32_t type, ByteReader* r, Frame* f) {
  auto truncated = [&] {
    return bad(fmt::format("channel {:02X} {:02X} is truncated", id, type));
  };
  uint32_t v = 0;
  if (id == 0x01 && type == 0x75) {
    if (!r->u8(&v)) return truncated();
    f->battery_pct = v;
  } else if (id == 0x03 && type == 0x82) {
    if (!r->u16_le(&v)) return truncated();
    f->distance_mm = v;
  } else if (id == 0x83 && type == 0xE9) {
    if (!r->u16_le(&v) || !r->skip(3)) return truncated();
    f->distance_mm = v;
  } else if (id == 0x20 && type == 0xCE) {
    if (!r->skip(6)) return truncated();
  } else if (auto n = info_length(type); id == 0xFF && n) {
    if (!r->skip(*n)) return truncated();
  } else {
    return bad(fmt::format("unknown channel {:02X} {:02X}", id, type));
  }
  return ok();
}

}  // namespace

double filling_level(double distance_m, double depth_m, double full_m) {
  return std::clamp((depth_m - distance_m) / (depth_m - full_m), 0.0, 1.0);
}

Result<Measurements> decode_fill_level(std::span<const uint8_t> bytes,
                                       const json::object& params) {
  auto depth = number_param(params, "depth_m");
  if (!depth || !(*depth > 0) || *depth > 100) {
    return bad("profile parameter depth_m (0 < depth_m <= 100) is missing");
  }
  double full = number_param(params, "full_distance_m").value_or(0.0);
  if (!(full >= 0 && full < *depth)) {
    return bad("profile parameter full_distance_m must be >= 0 and < depth_m");
  }
  ByteReader r(bytes);
  Frame f;
  while (!r.done()) {
    uint32_t id = 0, type = 0;
    if (!r.u8(&id) || !r.u8(&type)) return bad("a channel header is truncated");
    if (auto s = read_channel(id, type, &r, &f); !s) {
      return std::unexpected(s.error());
    }
  }
  Measurements out;
  if (f.distance_mm) {
    double d_m = *f.distance_mm / 1000.0;
    if (*f.distance_mm == 0 || d_m > 2 * *depth) {
      return bad(
          fmt::format("distance {} mm is out of range for a {} m deep "
                      "container",
                      *f.distance_mm, *depth));
    }
    add_number(&out, "fillingLevel", filling_level(d_m, *depth, full));
    add_number(&out, "distance", *f.distance_mm, "MMT");
  }
  if (f.battery_pct) {
    if (*f.battery_pct > 100) {
      return bad(fmt::format("battery {} % is out of range", *f.battery_pct));
    }
    add_number(&out, "batteryLevel", *f.battery_pct / 100.0);
  }
  return out;
}

}  // namespace cocity::ingest
