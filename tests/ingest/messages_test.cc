// Topics, LoRaWAN uplink JSON, devices and dead letters.
#include <gtest/gtest.h>

#include "ingest/dead_letters.h"
#include "ingest/device.h"
#include "ingest/device_key.h"
#include "ingest/lorawan_uplink.h"
#include "ingest/mqtt_client.h"
#include "ingest/topic.h"
#include "ngsi/context.h"
#include "ngsi/entity_parser.h"

namespace cocity::ingest {
namespace {

// A The Things Stack v3 uplink as its webhook sends it (abridged).
constexpr std::string_view kTts = R"({
  "end_device_ids": {"device_id": "wc-17", "application_ids":
    {"application_id": "kl-waste"}, "dev_eui": "70B3D57ED0051234",
    "join_eui": "0000000000000000", "dev_addr": "260B1234"},
  "correlation_ids": ["as:up:01H"], "received_at": "2026-11-25T08:00:01.5Z",
  "uplink_message": {"session_key_id": "AXg=", "f_port": 85, "f_cnt": 42,
    "frm_payload": "AXVkA4IgAw==", "decoded_payload": {"distance": 800},
    "rx_metadata": [{"gateway_ids": {"gateway_id": "gw"}, "rssi": -97}],
    "received_at": "2026-11-25T08:00:01.123456789Z"}})";

// A ChirpStack v4 "up" event.
constexpr std::string_view kChirpStack = R"({
  "deduplicationId": "3ac7e3c4", "time": "2026-11-25T08:05:00+01:00",
  "deviceInfo": {"tenantId": "52f14cd4", "tenantName": "KL",
    "applicationId": "17c82e96", "applicationName": "air",
    "deviceProfileName": "DL-PM", "deviceName": "aq-3",
    "devEui": "0004a30b001c0530"},
  "devAddr": "00189440", "adr": true, "dr": 5, "fCnt": 10, "fPort": 1,
  "confirmed": false, "data": "AhtQAAEMJQ==", "object": {"no2": 38.0}})";

TEST(Topic, ParsesEachShape) {
  auto e = parse_topic("ngsi-ld/kl/entities");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, TopicKind::kEntities);
  EXPECT_EQ(e->tenant, "kl");
  auto def = parse_topic("ngsi-ld//entities");
  ASSERT_TRUE(def);
  EXPECT_EQ(def->tenant, "");
  auto d = parse_topic("devices/kl/wc-17/up");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->kind, TopicKind::kDevice);
  EXPECT_EQ(d->device, "wc-17");
  EXPECT_EQ(parse_topic("v3/kl-waste@ttn/devices/wc-17/up")->kind,
            TopicKind::kTts);
  EXPECT_EQ(
      parse_topic("application/17c8/device/0004a30b001c0530/event/up")->kind,
      TopicKind::kChirpStack);
  EXPECT_FALSE(parse_topic("ngsi-ld/../entities"));
  EXPECT_FALSE(parse_topic("devices/kl/wc-17/down"));
  EXPECT_FALSE(parse_topic(""));
  EXPECT_EQ(default_topics().size(), 4u);
}

TEST(Uplink, TheThingsStackV3) {
  auto u = parse_tts_uplink(kTts);
  ASSERT_TRUE(u) << u.error().detail;
  EXPECT_EQ(u->dev_eui, "70B3D57ED0051234");
  EXPECT_EQ(u->device_name, "wc-17");
  EXPECT_EQ(u->f_port, 85u);
  EXPECT_EQ(u->payload,
            (std::vector<uint8_t>{1, 0x75, 0x64, 3, 0x82, 0x20, 3}));
  ASSERT_TRUE(u->decoded);
  ASSERT_TRUE(u->time);
  EXPECT_EQ(format_iso_time(*u->time), "2026-11-25T08:00:01.123Z");
}

TEST(Uplink, ChirpStackV4) {
  auto u = parse_chirpstack_uplink(kChirpStack);
  ASSERT_TRUE(u) << u.error().detail;
  EXPECT_EQ(u->dev_eui, "0004A30B001C0530");
  EXPECT_EQ(u->f_port, 1u);
  EXPECT_EQ(u->payload.size(), 7u);
  EXPECT_EQ(format_iso_time(*u->time), "2026-11-25T07:05:00.000Z");
  EXPECT_EQ(u->decoded->at("no2").as_double(), 38.0);
}

TEST(Uplink, RejectsBrokenUplinks) {
  EXPECT_FALSE(parse_tts_uplink("{"));
  EXPECT_FALSE(parse_tts_uplink("[]"));
  EXPECT_FALSE(parse_tts_uplink(R"({"uplink_message": {}})"));
  EXPECT_FALSE(parse_tts_uplink(
      R"({"end_device_ids": {"dev_eui": "12"}, "uplink_message": {}})"));
  EXPECT_FALSE(parse_tts_uplink(
      R"({"end_device_ids": {"dev_eui": "70B3D57ED0051234"},
          "uplink_message": {"frm_payload": "***"}})"));
  EXPECT_FALSE(parse_tts_uplink(
      R"({"end_device_ids": {"dev_eui": "70B3D57ED0051234"},
          "uplink_message": {}})"));  // no payload at all
  EXPECT_FALSE(parse_chirpstack_uplink(
      R"({"deviceInfo": {"devEui": "0004a30b001c0530"}, "data": "AQ==",
          "time": "yesterday"})"));
}

TEST(Device, ParsesAndRoundTripsThroughItsEntity) {
  auto body = parse_json(R"({"id": "wc-17", "devEUI": "70-b3-d5-7e-d0-05-12-34",
      "profile": "milesight-em500-udl", "params": {"depth_m": 1.2},
      "location": {"type": "Point", "coordinates": [7.76, 49.44]}})");
  ASSERT_TRUE(body);
  auto d = parse_device(*body, "kl");
  ASSERT_TRUE(d) << d.error().detail;
  EXPECT_EQ(d->dev_eui, "70B3D57ED0051234");
  EXPECT_EQ(d->entity_type, "WasteContainer");
  EXPECT_EQ(d->entity_id, "urn:ngsi-ld:WasteContainer:wc-17");
  d->key_hash = hash_device_key("cd_secret");
  // The key hash is not in the NGSI-LD JSON (no API renders it) ...
  EXPECT_EQ(to_json(device_to_entity_json(*d)).find(d->key_hash),
            std::string::npos);
  // ... but the stored entity carries it as a private attribute.
  auto e = device_to_entity(*d, TimePoint{});
  ASSERT_TRUE(e) << e.error().detail;
  auto back = device_from_entity(*e, "kl");
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(back->id, "wc-17");
  EXPECT_EQ(back->dev_eui, d->dev_eui);
  EXPECT_EQ(back->entity_id, d->entity_id);
  EXPECT_EQ(back->entity_type, "WasteContainer");
  EXPECT_EQ(back->params.at("depth_m").as_double(), 1.2);
  EXPECT_EQ(back->key_hash, d->key_hash);
  EXPECT_FALSE(device_to_json(*back).contains("apiKeyHash"));
  EXPECT_TRUE(device_key_matches("cd_secret", back->key_hash));
  EXPECT_FALSE(device_key_matches("cd_other", back->key_hash));
}

TEST(Device, RejectsBadDevices) {
  auto parse = [](std::string_view s) {
    auto v = parse_json(s);
    return v ? parse_device(*v, "") : std::unexpected(v.error());
  };
  EXPECT_FALSE(parse(R"({"profile": "json"})"));
  EXPECT_FALSE(parse(R"({"id": "a/b", "profile": "json"})"));
  EXPECT_FALSE(parse(R"({"id": "x", "profile": "nope"})"));
  EXPECT_FALSE(parse(R"({"id": "x", "profile": "json"})"));  // no type
  EXPECT_TRUE(parse(R"({"id": "x", "profile": "json",
                        "entity": {"type": "WeatherObserved"}})"));
  EXPECT_FALSE(
      parse(R"({"id": "x", "profile": "cayenne-lpp", "devEUI": "1"})"));
}

TEST(DeadLetters, BoundedPerTenantNewestFirst) {
  DeadLetters d(3, 2);
  for (int i = 0; i < 5; ++i) {
    d.add("kl", TimePoint{}, "mqtt:x", "reason " + std::to_string(i), "p");
  }
  auto l = d.list("kl", 10);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].reason, "reason 4");
  EXPECT_EQ(l[2].reason, "reason 2");
  d.add("t2", TimePoint{}, "s", "r", std::string("\x01\x02", 2));
  EXPECT_EQ(d.list("t2", 1)[0].payload, "hex:0102");
  d.add("t3", TimePoint{}, "s", "r", std::string(2000, 'a'));  // over cap
  EXPECT_EQ(d.size("t3"), 0u);
  EXPECT_TRUE(d.list("", 1)[0].truncated);
}

TEST(MqttUrl, Parses) {
  auto o = parse_mqtt_url("mqtt://127.0.0.1:18830");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->host, "127.0.0.1");
  EXPECT_EQ(o->port, 18830);
  EXPECT_EQ(parse_mqtt_url("mqtt://broker")->port, 1883);
  EXPECT_FALSE(parse_mqtt_url("http://x"));
  EXPECT_FALSE(parse_mqtt_url("mqtt://x:0"));
  EXPECT_FALSE(parse_mqtt_url("mqtt://:1883"));
}

}  // namespace
}  // namespace cocity::ingest
