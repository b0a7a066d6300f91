// MQTT ingestion end to end: a real mosquitto on a loopback port, a real
// `cocity serve --mqtt`, each payload kind published over MQTT, read back
// over the NGSI-LD API; bad messages in the dead-letter store.
#include <chrono>
#include <thread>

#include "e2e_util.h"
#include "ingest/mosquitto_process.h"
#include "ingest/mqtt_publisher.h"

namespace cocity::test {
namespace {

std::string raw(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

class IngestMqttTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!MosquittoProcess::available()) GTEST_SKIP() << "no mosquitto";
    ASSERT_TRUE(mqtt_.start());
    server_ = std::make_unique<ServerProcess>();
    auto s = server_->start({"--open", "--mqtt", mqtt_.url()});
    ASSERT_TRUE(s) << s.error().detail;
    client_ = std::make_unique<HttpClient>(server_->port());
    ASSERT_TRUE(pub_.connect(mqtt_.port()));
    wait_subscribed();
  }

  // cocity subscribes right after connecting; a message published before
  // that is lost (QoS 0) or not routed, so probe until one arrives.
  void wait_subscribed() {
    for (int i = 0; i < 100; ++i) {
      pub_.publish("ngsi-ld/probe/entities", "{not json", 0);
      auto r =
          client_->get("/api/v1/deadletters", {{"ngsild-tenant", "probe"}});
      if (r.status == 200 && r.body != "[]") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "cocity never received the probe";
  }

  void add_device(std::string_view body) {
    auto r = client_->request(
        "POST", "/api/v1/devices", body,
        {{"content-type", "application/json"}, {"ngsild-tenant", "kl"}});
    ASSERT_EQ(r.status, 201u) << r.body;
  }

  // Polls the entity until `attr` holds a value (5 s).
  json::value wait_attr(const std::string& id, std::string_view attr) {
    for (int i = 0; i < 100; ++i) {
      auto r =
          client_->get("/ngsi-ld/v1/entities/" + id, {{"ngsild-tenant", "kl"}});
      if (r.status == 200) {
        auto v = parse_json(r.body);
        if (v && v->as_object().contains(attr)) return v->at(attr);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << id << " never got " << attr;
    return nullptr;
  }

  MosquittoProcess mqtt_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
  MqttPublisher pub_;
};

TEST_F(IngestMqttTest, EachPayloadKind) {
  add_device(R"({"id": "wc-1", "profile": "milesight-em500-udl",
                 "params": {"depth_m": 1.0},
                 "location": {"type": "Point", "coordinates": [7.76, 49.44]}})");
  add_device(R"({"id": "aq-1", "devEUI": "0004A30B001C0530",
                 "profile": "decentlab-dl-pm"})");
  add_device(R"({"id": "tc-1", "devEUI": "70B3D57ED0050001",
                 "profile": "parametric-tcr"})");
  add_device(R"({"id": "lpp-1", "profile": "cayenne-lpp",
                 "entity": {"type": "WeatherObserved"}})");
  add_device(R"({"id": "js-1", "profile": "json",
                 "entity": {"type": "AirQualityObserved"}})");
  // NGSI-LD fragment (QoS 1).
  ASSERT_TRUE(pub_.publish("ngsi-ld/kl/entities", R"({
      "id": "urn:ngsi-ld:Streetlight:1", "type": "Streetlight",
      "powerState": {"type": "Property", "value": "on"}})",
                           1));
  // Device topic, binary (EM500-UDL, 400 mm) and JSON.
  ASSERT_TRUE(pub_.publish("devices/kl/wc-1/up",
                           raw({0x01, 0x75, 0x5a, 0x03, 0x82, 0x90, 0x01}), 1));
  ASSERT_TRUE(pub_.publish("devices/kl/js-1/up", R"({"no2": 38.5})", 0));
  ASSERT_TRUE(
      pub_.publish("devices/kl/lpp-1/up", raw({0x03, 0x67, 0x01, 0x10}), 0));
  // The Things Stack v3 over MQTT (DL-PM battery frame).
  ASSERT_TRUE(pub_.publish("v3/kl-air@ttn/devices/aq-1/up", R"({
      "end_device_ids": {"device_id": "aq-1", "dev_eui": "0004A30B001C0530"},
      "uplink_message": {"f_port": 1, "frm_payload": "AhtQAAEMJQ==",
        "received_at": "2026-11-25T08:00:00Z"}})",
                           1));
  // ChirpStack v4 over MQTT (TCR v2 frame: 4 vehicles).
  ASSERT_TRUE(
      pub_.publish("application/traffic/device/70b3d57ed0050001/event/up", R"({
      "deviceInfo": {"devEui": "70b3d57ed0050001"}, "fPort": 15,
      "time": "2026-11-25T08:00:00Z",
      "data": "vgICZGQSwhi4AAAAAAEGAAAAAAILAAAAAAEeAAAAAAAA"})",
                   1));
  ASSERT_TRUE(pub_.flush());

  auto level = wait_attr("urn:ngsi-ld:WasteContainer:wc-1", "fillingLevel");
  EXPECT_NEAR(level.at("value").to_number<double>(), 0.6, 1e-9);
  auto loc = wait_attr("urn:ngsi-ld:WasteContainer:wc-1", "location");
  EXPECT_EQ(loc.at("value").at("type"), "Point");
  EXPECT_EQ(wait_attr("urn:ngsi-ld:Streetlight:1", "powerState").at("value"),
            "on");
  EXPECT_EQ(wait_attr("urn:ngsi-ld:AirQualityObserved:js-1", "no2")
                .at("value")
                .as_double(),
            38.5);
  EXPECT_NEAR(wait_attr("urn:ngsi-ld:WeatherObserved:lpp-1", "temperature")
                  .at("value")
                  .as_double(),
              27.2, 1e-9);
  auto battery =
      wait_attr("urn:ngsi-ld:AirQualityObserved:aq-1", "batteryVoltage");
  EXPECT_EQ(battery.at("observedAt"), "2026-11-25T08:00:00.000Z");
  auto intensity =
      wait_attr("urn:ngsi-ld:TrafficFlowObserved:tc-1", "intensity");
  EXPECT_EQ(intensity.at("value").to_number<double>(), 4);
}

TEST_F(IngestMqttTest, BadMessagesGoToTheDeadLetterStore) {
  add_device(R"({"id": "wc-2", "profile": "milesight-em500-udl",
                 "params": {"depth_m": 1.0}})");
  ASSERT_TRUE(pub_.publish("devices/kl/ghost/up", "{}", 1));
  ASSERT_TRUE(pub_.publish("devices/kl/wc-2/up", raw({0x03, 0x82}), 1));
  ASSERT_TRUE(
      pub_.publish("devices/kl/wc-2/up", raw({0x03, 0x82, 0x00, 0x00}), 1));
  ASSERT_TRUE(pub_.publish("ngsi-ld/kl/entities", R"({"id": "x"})", 1));
  ASSERT_TRUE(pub_.publish("devices/kl/wc-2/up", raw({0x03, 0x82, 0x2c, 0x01}),
                           1));  // good
  ASSERT_TRUE(pub_.flush());
  wait_attr("urn:ngsi-ld:WasteContainer:wc-2", "fillingLevel");
  auto r = client_->get("/api/v1/deadletters", {{"ngsild-tenant", "kl"}});
  ASSERT_EQ(r.status, 200u);
  auto v = parse_json(r.body);
  ASSERT_TRUE(v);
  ASSERT_EQ(v->as_array().size(), 4u) << r.body;
  std::string all = r.body;
  EXPECT_NE(all.find("not registered"), std::string::npos);
  EXPECT_NE(all.find("truncated"), std::string::npos);
  EXPECT_NE(all.find("out of range"), std::string::npos);
  EXPECT_NE(all.find("mqtt:ngsi-ld/kl/entities"), std::string::npos);
  auto metrics = client_->get("/metrics");
  EXPECT_NE(metrics.body.find("cocity_ingest_rejected_unknown_device_total 1"),
            std::string::npos);
}

}  // namespace
}  // namespace cocity::test
