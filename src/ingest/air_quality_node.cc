#include "ingest/air_quality_node.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "ingest/byte_reader.h"

namespace cocity::ingest {

namespace {

constexpr uint32_t kProtocolVersion = 2;
constexpr std::array<size_t, 4> kGroupWords = {1, 10, 2, 1};
constexpr double kMaxPmUgm3 = 1000;

std::unexpected<Error> bad(std::string detail) {
  return fail(Code::kBadRequestData, "DL-PM: " + std::move(detail));
}

Status add_pm(const uint32_t* words, Measurements* out) {
  constexpr std::array<std::string_view, 4> kNames = {"pm1", "pm25", "pm4",
                                                      "pm10"};
  for (size_t i = 0; i < kNames.size(); ++i) {
    double v = words[i] / 10.0;
    if (v > kMaxPmUgm3) {
      return bad(fmt::format("{} {} ug/m3 is out of range", kNames[i], v));
    }
    add_number(out, std::string(kNames[i]), v, "GQ");
  }
  return ok();
}

Status add_climate(const uint32_t* words, Measurements* out) {
  double t = 175.72 * words[0] / 65536.0 - 46.85;
  double rh = 125.0 * words[1] / 65536.0 - 6;
  if (rh < -2 || rh > 102) {
    return bad(fmt::format("humidity {:.1f} % is out of range", rh));
  }
  add_number(out, "temperature", t, "CEL");
  add_number(out, "relativeHumidity", std::clamp(rh, 0.0, 100.0) / 100.0);
  return ok();
}

}  // namespace

Result<Measurements> decode_air_quality(std::span<const uint8_t> bytes,
                                        const json::object& /*params*/) {
  ByteReader r(bytes);
  uint32_t version = 0, device_id = 0, flags = 0;
  if (!r.u8(&version) || !r.u16_be(&device_id) || !r.u16_be(&flags)) {
    return bad("the 5-byte header is truncated");
  }
  if (version != kProtocolVersion) {
    return bad(fmt::format("protocol version {} is not 2", version));
  }
  if (flags >> kGroupWords.size() != 0) {
    return bad(fmt::format("flags {:04X} name unknown sensor groups", flags));
  }
  Measurements out;
  for (size_t g = 0; g < kGroupWords.size(); ++g) {
    if ((flags & (1u << g)) == 0) continue;
    std::array<uint32_t, 10> w{};
    for (size_t i = 0; i < kGroupWords[g]; ++i) {
      if (!r.u16_be(&w[i])) {
        return bad(fmt::format("sensor group {} is truncated", g));
      }
    }
    Status s = ok();
    if (g == 0) add_number(&out, "batteryVoltage", w[0] / 1000.0, "VLT");
    if (g == 1) s = add_pm(w.data(), &out);
    if (g == 2) s = add_climate(w.data(), &out);
    if (g == 3)
      add_number(&out, "atmosphericPressure", w[0] * 2 / 100.0, "A97");
    if (!s) return std::unexpected(s.error());
  }
  if (!r.done()) {
    return bad(
        fmt::format("{} bytes after the announced groups", r.remaining()));
  }
  return out;
}

}  // namespace cocity::ingest
