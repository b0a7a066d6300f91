#include "ingest/traffic_counter.h"

#include <fmt/format.h>

#include "ingest/byte_reader.h"

namespace cocity::ingest {

namespace {

constexpr size_t kConfigFrameBytes = 27;
constexpr size_t kClasses = 4;
constexpr uint32_t kMaxSpeedKmh = 250;

std::unexpected<Error> bad(std::string detail) {
  return fail(Code::kBadRequestData, "TCR: " + std::move(detail));
}

struct Direction {
  uint64_t count = 0;
  double speed_sum = 0;  // sum of count x class average, km/h
};

Status read_class(ByteReader* r, size_t index, Direction* d) {
  uint32_t count = 0, speed = 0;
  if (!r->u16_be(&count) || !r->u8(&speed)) {
    return bad(fmt::format("speed class {} is truncated", index));
  }
  if (speed > kMaxSpeedKmh) {
    return bad(fmt::format("average speed {} km/h is out of range", speed));
  }
  d->count += count;
  d->speed_sum += double(count) * speed;
  return ok();
}

}  // namespace

Result<Measurements> decode_traffic_counter(std::span<const uint8_t> bytes,
                                            const json::object& /*params*/) {
  ByteReader r(bytes);
  uint32_t vendor = 0, family = 0, version = 0;
  if (!r.u8(&vendor) || !r.u8(&family) || !r.u8(&version)) {
    return bad("the 3-byte header is truncated");
  }
  if (vendor != 0xBE || family != 0x02) {
    return bad(fmt::format("vendor {:02X} family {:02X} is not a TCR", vendor,
                           family));
  }
  if (version != 1 && version != 2) {
    return bad(fmt::format("payload version {} is unknown", version));
  }
  if (bytes.size() == kConfigFrameBytes) return Measurements{};
  size_t battery_bytes = version == 1 ? 1 : 2;
  size_t expected = 3 + battery_bytes + 2 + 2 + kClasses * 6;
  if (bytes.size() != expected) {
    return bad(fmt::format("a version {} count frame has {} bytes, not {}",
                           version, expected, bytes.size()));
  }
  r.skip(battery_bytes + 4);  // battery, panel power, device temperature
  Direction ltr, rtl;
  for (size_t c = 0; c < kClasses; ++c) {
    if (auto s = read_class(&r, c, &ltr); !s) return std::unexpected(s.error());
    if (auto s = read_class(&r, c, &rtl); !s) return std::unexpected(s.error());
  }
  Measurements out;
  uint64_t total = ltr.count + rtl.count;
  add_number(&out, "intensity", double(total));
  add_number(&out, "intensityLeftToRight", double(ltr.count));
  add_number(&out, "intensityRightToLeft", double(rtl.count));
  if (total > 0) {
    add_number(&out, "averageVehicleSpeed",
               (ltr.speed_sum + rtl.speed_sum) / double(total), "KMH");
  }
  return out;
}

}  // namespace cocity::ingest
