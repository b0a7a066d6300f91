// LoRaWAN webhooks end to end: The Things Stack v3 and ChirpStack v4
// uplinks posted to a real `cocity serve`, the device registry API, the
// device's own push with its key, and dead letters.
#include "e2e_util.h"

namespace cocity::test {
namespace {

const Headers kKl = {{"content-type", "application/json"},
                     {"ngsild-tenant", "kl"}};

// TTS v3 webhook body: EM500-UDL frame 01 75 64 03 82 20 03 (800 mm).
constexpr std::string_view kTts = R"({
  "end_device_ids": {"device_id": "wc-17", "application_ids":
    {"application_id": "kl-waste"}, "dev_eui": "70B3D57ED0051234"},
  "received_at": "2026-11-25T08:00:01.5Z",
  "uplink_message": {"f_port": 85, "f_cnt": 42, "frm_payload": "AXVkA4IgAw==",
    "rx_metadata": [{"gateway_ids": {"gateway_id": "gw"}, "rssi": -97}],
    "received_at": "2026-11-25T08:00:01.123456789Z"}})";

// ChirpStack v4 up event: DL-PM full frame, plus NO2 from the decoder.
constexpr std::string_view kChirpStack = R"({
  "deduplicationId": "3ac7e3c4", "time": "2026-11-25T08:05:00Z",
  "deviceInfo": {"tenantName": "KL", "applicationName": "air",
    "deviceName": "aq-3", "devEui": "0004a30b001c0530"},
  "fCnt": 10, "fPort": 1,
  "data": "AhtQAA8MJQAlACcAJwAnAfUBBwEsAS0BLQEtZ71hjb0Q"})";

class IngestWebhookTest : public OpenServerTest {
 protected:
  void SetUp() override {
    OpenServerTest::SetUp();
    auto r = post("/api/v1/devices", R"({"id": "wc-17",
        "devEUI": "70B3D57ED0051234", "profile": "milesight-em500-udl",
        "params": {"depth_m": 1.2, "full_distance_m": 0.2},
        "entity": {"id": "urn:ngsi-ld:WasteContainer:17"}})",
                  kKl);
    ASSERT_EQ(r.status, 201u) << r.body;
    auto v = parse_json(r.body);
    ASSERT_TRUE(v);
    key_ = std::string(v->at("apiKey").as_string());
    r = post("/api/v1/devices", R"({"id": "aq-3",
        "devEUI": "0004A30B001C0530", "profile": "decentlab-dl-pm"})",
             kKl);
    ASSERT_EQ(r.status, 201u) << r.body;
  }

  json::value entity(const std::string& id) {
    return get_json("/ngsi-ld/v1/entities/" + id, {{"ngsild-tenant", "kl"}});
  }

  std::string key_;
};

TEST_F(IngestWebhookTest, TheThingsStackV3) {
  auto r = post("/api/v1/lorawan/tts", kTts, kKl);
  ASSERT_EQ(r.status, 204u) << r.body;
  auto e = entity("urn:ngsi-ld:WasteContainer:17");
  EXPECT_EQ(e.at("type"), "WasteContainer");
  EXPECT_NEAR(e.at("fillingLevel").at("value").to_number<double>(), 0.4, 1e-9);
  EXPECT_EQ(e.at("fillingLevel").at("observedAt"), "2026-11-25T08:00:01.123Z");
  EXPECT_EQ(e.at("distance").at("unitCode"), "MMT");
  EXPECT_EQ(e.at("refDevice").at("object"), "urn:ngsi-ld:Device:wc-17");
}

TEST_F(IngestWebhookTest, ChirpStackV4) {
  auto r = post("/api/v1/lorawan/chirpstack?event=up", kChirpStack, kKl);
  ASSERT_EQ(r.status, 204u) << r.body;
  auto e = entity("urn:ngsi-ld:AirQualityObserved:aq-3");
  EXPECT_NEAR(e.at("pm25").at("value").as_double(), 3.9, 1e-9);
  EXPECT_EQ(e.at("pm25").at("unitCode"), "GQ");
  EXPECT_EQ(e.at("pm25").at("observedAt"), "2026-11-25T08:05:00.000Z");
  auto join = post("/api/v1/lorawan/chirpstack?event=join", "{}", kKl);
  EXPECT_EQ(join.status, 204u);
}

TEST_F(IngestWebhookTest, BadUplinksAreRejectedAndDeadLettered) {
  EXPECT_EQ(post("/api/v1/lorawan/tts", "{broken", kKl).status, 400u);
  std::string unknown(kTts);
  unknown.replace(unknown.find("70B3D57ED0051234"), 16, "70B3D57ED0059999");
  EXPECT_EQ(post("/api/v1/lorawan/tts", unknown, kKl).status, 404u);
  std::string zero(kTts);
  zero.replace(zero.find("AXVkA4IgAw=="), 12, "A4IAAA==");  // 0 mm
  auto r = post("/api/v1/lorawan/tts", zero, kKl);
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(problem_detail(r).find("out of range"), std::string::npos);
  auto letters =
      get_json("/api/v1/deadletters?limit=10", {{"ngsild-tenant", "kl"}});
  ASSERT_EQ(letters.as_array().size(), 3u);
  EXPECT_EQ(letters.at(0).at("source"), "http:tts");
  EXPECT_EQ(get("/api/v1/deadletters?limit=0").status, 400u);
}

TEST_F(IngestWebhookTest, DeviceRegistryApi) {
  auto list = get_json("/api/v1/devices", {{"ngsild-tenant", "kl"}});
  ASSERT_EQ(list.as_array().size(), 2u);
  EXPECT_EQ(list.at(0).at("id"), "aq-3");
  EXPECT_FALSE(list.at(0).as_object().contains("apiKey"));
  EXPECT_EQ(list.at(0).at("entity").at("type"), "AirQualityObserved");
  // Duplicate id and duplicate DevEUI.
  EXPECT_EQ(post("/api/v1/devices",
                 R"({"id": "aq-3", "profile": "decentlab-dl-pm"})", kKl)
                .status,
            409u);
  EXPECT_EQ(post("/api/v1/devices",
                 R"({"id": "aq-4", "devEUI": "0004A30B001C0530",
                     "profile": "decentlab-dl-pm"})",
                 kKl)
                .status,
            409u);
  EXPECT_EQ(
      post("/api/v1/devices", R"({"id": "x", "profile": "nope"})", kKl).status,
      400u);
  // Other tenants do not see kl's devices.
  EXPECT_EQ(get("/api/v1/devices/aq-3").status, 404u);
  // Replace keeps the key; neither the device API nor NGSI-LD shows the
  // key's hash, and NGSI-LD clients can neither query nor write it.
  auto r = put("/api/v1/devices/aq-3",
               R"({"profile": "decentlab-dl-pm", "params": {"x": 1}})", kKl);
  EXPECT_EQ(r.status, 204u) << r.body;
  auto one = get_json("/api/v1/devices/aq-3", {{"ngsild-tenant", "kl"}});
  EXPECT_EQ(one.at("params").at("x").as_int64(), 1);
  EXPECT_FALSE(one.as_object().contains("apiKeyHash"));
  auto device = get_json("/ngsi-ld/v1/entities/urn:ngsi-ld:Device:aq-3",
                         {{"ngsild-tenant", "kl"}});
  EXPECT_EQ(device.at("payloadProfile").at("value"), "decentlab-dl-pm");
  std::string raw =
      get("/ngsi-ld/v1/entities/urn:ngsi-ld:Device:aq-3?options=sysAttrs",
          {{"ngsild-tenant", "kl"}})
          .body;
  EXPECT_EQ(raw.find("urn:cocity:private"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("KeyHash"), std::string::npos) << raw;
  EXPECT_EQ(
      get("/ngsi-ld/v1/"
          "entities?type=Device&q=urn:cocity:private:deviceKeyHash~=%22a.*%22",
          {{"ngsild-tenant", "kl"}})
          .status,
      400u);
  EXPECT_EQ(
      post(
          "/ngsi-ld/v1/entities/urn:ngsi-ld:Device:aq-3/attrs",
          R"({"urn:cocity:private:deviceKeyHash": {"type": "Property", "value": "x"}})",
          kKl)
          .status,
      400u);
  EXPECT_EQ(del("/api/v1/devices/aq-3", {{"ngsild-tenant", "kl"}}).status,
            204u);
  EXPECT_EQ(get("/api/v1/devices/aq-3", {{"ngsild-tenant", "kl"}}).status,
            404u);
}

TEST_F(IngestWebhookTest, DevicePushWithItsOwnKey) {
  std::string frame("\x03\x82\x20\x03", 4);  // 800 mm
  Headers h = {{"ngsild-tenant", "kl"}, {"x-device-key", key_}};
  auto r = post("/api/v1/devices/wc-17/up", frame, h);
  ASSERT_EQ(r.status, 204u) << r.body;
  auto e = entity("urn:ngsi-ld:WasteContainer:17");
  EXPECT_NEAR(e.at("fillingLevel").at("value").to_number<double>(), 0.4, 1e-9);
  Headers wrong = {{"ngsild-tenant", "kl"}, {"x-device-key", "cd_nope"}};
  EXPECT_EQ(post("/api/v1/devices/wc-17/up", frame, wrong).status, 401u);
}

TEST_F(IngestWebhookTest, RegistrySurvivesARestart) {
  server_->kill(SIGTERM);
  ASSERT_EQ(server_->wait_exit(), 0);
  ASSERT_TRUE(server_->start({"--open"}));
  client_ = std::make_unique<HttpClient>(server_->port());
  auto r = post("/api/v1/lorawan/tts", kTts, kKl);
  EXPECT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(
      get_json("/api/v1/devices", {{"ngsild-tenant", "kl"}}).as_array().size(),
      2u);
}

}  // namespace
}  // namespace cocity::test
