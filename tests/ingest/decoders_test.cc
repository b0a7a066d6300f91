// The payload decoders, from byte strings in each product's documented
// format.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/air_quality_node.h"
#include "ingest/base64.h"
#include "ingest/cayenne_lpp.h"
#include "ingest/fill_level_sensor.h"
#include "ingest/payload_profile.h"
#include "ingest/traffic_counter.h"

namespace cocity::ingest {
namespace {

std::vector<uint8_t> hex(std::string_view h) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(
        std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

const Measurement* find(const Measurements& m, std::string_view name) {
  for (const auto& x : m) {
    if (x.name == name) return &x;
  }
  return nullptr;
}

double num(const Measurements& m, std::string_view name) {
  const Measurement* x = find(m, name);
  EXPECT_NE(x, nullptr) << name;
  return x != nullptr ? x->value.to_number<double>() : -1e9;
}

TEST(Base64, DecodesWithAndWithoutPadding) {
  auto a = decode_base64("AXVkA4IeAA==");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, hex("01756403821e00"));
  auto b = decode_base64("AXVkA4IeAA");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, *a);
  EXPECT_EQ(decode_base64("")->size(), 0u);
  EXPECT_FALSE(decode_base64("AX?k"));
  EXPECT_FALSE(decode_base64("A"));
}

TEST(CayenneLpp, DecodesTheSpecExample) {
  // From the Cayenne LPP specification: two temperature channels and an
  // accelerometer, then humidity, barometer and GPS.
  json::object none;
  auto m = decode_cayenne_lpp(hex("03670110056700FF"), none);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_NEAR(num(*m, "temperature"), 27.2, 1e-9);
  EXPECT_NEAR(num(*m, "temperature_5"), 25.5, 1e-9);
  auto m2 =
      decode_cayenne_lpp(hex("0168610273278F018806765FF2960A0003E8"), none);
  ASSERT_TRUE(m2) << m2.error().detail;
  EXPECT_NEAR(num(*m2, "relativeHumidity"), 0.485, 1e-9);
  EXPECT_NEAR(num(*m2, "atmosphericPressure"), 1012.7, 1e-9);
  const Measurement* loc = find(*m2, "location");
  ASSERT_NE(loc, nullptr);
  EXPECT_TRUE(loc->geo);
  const auto& c = loc->value.at("coordinates").as_array();
  EXPECT_NEAR(c[1].as_double(), 42.3519, 1e-9);
  EXPECT_NEAR(c[0].as_double(), -87.9094, 1e-9);
  EXPECT_NEAR(c[2].as_double(), 10.0, 1e-9);
}

TEST(CayenneLpp, RejectsBadFrames) {
  json::object none;
  EXPECT_FALSE(decode_cayenne_lpp({}, none));
  EXPECT_FALSE(decode_cayenne_lpp(hex("0367"), none));    // truncated
  EXPECT_FALSE(decode_cayenne_lpp(hex("0399AA"), none));  // unknown type
  auto h = decode_cayenne_lpp(hex("0168FF"), none);       // 127.5 %
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().detail.find("out of range"), std::string::npos);
}

TEST(FillLevel, Em500UdlExampleAndLevel) {
  json::object p;
  p["depth_m"] = 1.2;
  p["full_distance_m"] = 0.2;
  // 01 75 64 = battery 100 %, 03 82 2003 = 800 mm.
  auto m = decode_fill_level(hex("0175640382"
                                 "2003"),
                             p);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_NEAR(num(*m, "distance"), 800, 1e-9);
  EXPECT_NEAR(num(*m, "fillingLevel"), 0.4, 1e-9);
  EXPECT_NEAR(num(*m, "batteryLevel"), 1.0, 1e-9);
  // Device info channels are skipped.
  auto info = decode_fill_level(hex("ff0101ff166136c18492920000"
                                    "03821e00"),
                                p);
  ASSERT_TRUE(info) << info.error().detail;
  EXPECT_NEAR(num(*info, "fillingLevel"), 1.0, 1e-9);  // 30 mm: above full
  EXPECT_NEAR(filling_level(1.2, 1.2, 0), 0.0, 1e-12);
}

TEST(FillLevel, RejectsOutOfRangeAndBadParams) {
  json::object p;
  p["depth_m"] = 1.0;
  auto zero = decode_fill_level(hex("03820000"), p);
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().detail.find("out of range"), std::string::npos);
  EXPECT_FALSE(decode_fill_level(hex("0382D107"), p));  // 2001 mm > 2 x depth
  EXPECT_FALSE(decode_fill_level(hex("0382"), p));      // truncated
  EXPECT_FALSE(decode_fill_level(hex("0999"), p));      // unknown channel
  json::object none;
  EXPECT_FALSE(decode_fill_level(hex("03821e00"), none));  // no depth
}

TEST(AirQuality, DecentlabDlPmExample) {
  json::object none;
  auto m = decode_air_quality(
      hex("021b50000f0c25002500270027002701f50107012c012d012d012d67bd618dbd10"),
      none);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_NEAR(num(*m, "batteryVoltage"), 3.109, 1e-9);
  EXPECT_NEAR(num(*m, "pm1"), 3.7, 1e-9);
  EXPECT_NEAR(num(*m, "pm25"), 3.9, 1e-9);
  EXPECT_NEAR(num(*m, "pm10"), 3.9, 1e-9);
  EXPECT_NEAR(num(*m, "temperature"), 175.72 * 0x67bd / 65536.0 - 46.85, 1e-9);
  EXPECT_NEAR(num(*m, "relativeHumidity"), (125.0 * 0x618d / 65536.0 - 6) / 100,
              1e-9);
  EXPECT_NEAR(num(*m, "atmosphericPressure"), 968.0, 1e-9);
  // Battery only.
  auto b = decode_air_quality(hex("021b5000010c25"), none);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->size(), 1u);
}

TEST(AirQuality, RejectsBadFrames) {
  json::object none;
  EXPECT_FALSE(decode_air_quality(hex("011b5000010c25"), none));    // version 1
  EXPECT_FALSE(decode_air_quality(hex("021b5000030c25"), none));    // truncated
  EXPECT_FALSE(decode_air_quality(hex("021b5000010c2500"), none));  // extra
  EXPECT_FALSE(decode_air_quality(hex("021b50"), none));
  // PM2.5 of 6553.5 ug/m3.
  auto pm = decode_air_quality(hex("021b500002"
                                   "0025ffff00270027"
                                   "01f50107012c012d012d012d"),
                               none);
  ASSERT_FALSE(pm);
  EXPECT_NE(pm.error().detail.find("out of range"), std::string::npos);
}

TEST(TrafficCounter, ParametricTcrV2) {
  json::object none;
  auto m = decode_traffic_counter(
      hex("be0202646412c218b800000000010600000000020b00000000011e000000000000"),
      none);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(num(*m, "intensity"), 4);
  EXPECT_EQ(num(*m, "intensityLeftToRight"), 0);
  EXPECT_EQ(num(*m, "intensityRightToLeft"), 4);
  EXPECT_NEAR(num(*m, "averageVehicleSpeed"), 14.5, 1e-9);
}

TEST(TrafficCounter, V1ConfigAndErrors) {
  json::object none;
  auto v1 = decode_traffic_counter(hex("be02016412c218b8"
                                       "000a32000532"
                                       "000000000000"
                                       "000000000000"
                                       "000000000000"),
                                   none);
  ASSERT_TRUE(v1) << v1.error().detail;
  EXPECT_EQ(num(*v1, "intensity"), 15);
  EXPECT_NEAR(num(*v1, "averageVehicleSpeed"), 50, 1e-9);
  auto config = decode_traffic_counter(
      hex("be020100010000000000000305a00000640000010708191a313278"), none);
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->empty());
  EXPECT_FALSE(decode_traffic_counter(hex("bf0202"), none));
  EXPECT_FALSE(decode_traffic_counter(hex("be0202646412"), none));
  auto fast = decode_traffic_counter(
      hex("be0202646412c218b8"
          "0001ff0000000000000000000000000000000000000000"
          "00"),
      none);
  ASSERT_FALSE(fast);
  EXPECT_NE(fast.error().detail.find("out of range"), std::string::npos);
}

TEST(PayloadProfile, JsonMeasurements) {
  auto doc = parse_json(
      R"({"no2": 41.5, "pm10": 20, "observedAt": "2026-11-25T08:00:00Z",
          "location": {"type": "Point", "coordinates": [7.7, 49.4]}})");
  ASSERT_TRUE(doc);
  auto m = decode_json_measurements(*doc);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->size(), 3u);
  EXPECT_TRUE(find(*m, "location")->geo);
  EXPECT_FALSE(decode_json_measurements(*parse_json("[1]")));
  EXPECT_FALSE(decode_json_measurements(*parse_json(R"({"a b": 1})")));
  EXPECT_FALSE(decode_json_measurements(*parse_json(R"({"x": null})")));
  EXPECT_NE(find_profile("milesight-em500-udl"), nullptr);
  EXPECT_EQ(find_profile("nope"), nullptr);
}

}  // namespace
}  // namespace cocity::ingest
