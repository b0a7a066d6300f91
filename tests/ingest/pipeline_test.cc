// The ingestion pipeline in-process, on a real SQLite store: device
// registry, each payload kind, batching, dead letters; and MQTT through a
// real mosquitto.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "broker/broker.h"
#include "ingest/ingestor.h"
#include "ingest/mosquitto_process.h"
#include "ingest/mqtt_client.h"
#include "ingest/mqtt_publisher.h"
#include "ngsi/context.h"
#include "store/store.h"

namespace cocity::ingest {
namespace {

std::string vocab(std::string_view name) {
  return ngsi::Context::core()->expand(name);
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cocity-ingest-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    store::StoreOptions o;
    o.data_dir = dir_;
    auto s = store::open_sqlite_store(o);
    ASSERT_TRUE(s) << s.error().detail;
    store_ = std::move(*s);
    broker_ = std::make_unique<broker::Broker>(store_.get(), Clock::system());
    IngestOptions io;
    io.batcher.max_pending = 1000;
    ingestor_ = std::make_unique<Ingestor>(broker_.get(), io);
  }
  void TearDown() override {
    ingestor_.reset();
    broker_.reset();
    if (store_) store_->close();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void add_device(std::string_view body, std::string tenant = "kl") {
    auto d = parse_device(*parse_json(body), tenant);
    ASSERT_TRUE(d) << d.error().detail;
    std::promise<Status> done;
    ingestor_->devices().create(*d, [&](Status s) { done.set_value(s); });
    auto s = done.get_future().get();
    ASSERT_TRUE(s) << s.error().detail;
  }

  // The attribute's first instance of the entity, or null.
  json::value attr(const std::string& tenant, const std::string& id,
                   std::string_view name) {
    auto e = broker_->get(tenant, id);
    if (!e || !*e) return nullptr;
    const auto* a = (*e)->attrs.if_contains(vocab(name));
    if (a == nullptr) return nullptr;
    return a->as_array()[0];
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<broker::Broker> broker_;
  std::unique_ptr<Ingestor> ingestor_;
};

TEST_F(PipelineTest, DeviceTopicBinaryAndJsonProfiles) {
  add_device(R"({"id": "wc-1", "profile": "milesight-em500-udl",
                 "params": {"depth_m": 1.0}})");
  add_device(R"({"id": "aq-1", "profile": "json",
                 "entity": {"id": "urn:ngsi-ld:AirQualityObserved:aq-1",
                            "type": "AirQualityObserved"}})");
  std::string frame("\x03\x82\x2c\x01", 4);  // 300 mm
  ingestor_->on_mqtt_message("devices/kl/wc-1/up", frame);
  ingestor_->on_mqtt_message(
      "devices/kl/aq-1/up",
      R"({"no2": 41.5, "observedAt": "2026-11-25T08:00:00Z"})");
  ingestor_->drain();
  auto level = attr("kl", "urn:ngsi-ld:WasteContainer:wc-1", "fillingLevel");
  ASSERT_TRUE(level.is_object());
  EXPECT_NEAR(level.at("value").to_number<double>(), 0.7, 1e-9);
  auto no2 = attr("kl", "urn:ngsi-ld:AirQualityObserved:aq-1", "no2");
  ASSERT_TRUE(no2.is_object());
  EXPECT_EQ(no2.at("value").as_double(), 41.5);
  EXPECT_EQ(no2.at("observedAt").as_string(), "2026-11-25T08:00:00.000Z");
  EXPECT_EQ(ingestor_->stats().readings.load(), 2u);
}

TEST_F(PipelineTest, EntityFragmentsAreUpserted) {
  ingestor_->on_mqtt_message("ngsi-ld/kl/entities", R"({
      "id": "urn:ngsi-ld:TrafficFlowObserved:t1", "type": "TrafficFlowObserved",
      "intensity": {"type": "Property", "value": 10}})");
  ingestor_->on_mqtt_message("ngsi-ld/kl/entities", R"([{
      "id": "urn:ngsi-ld:TrafficFlowObserved:t1", "type": "TrafficFlowObserved",
      "averageVehicleSpeed": 42}])");
  ingestor_->drain();
  EXPECT_EQ(attr("kl", "urn:ngsi-ld:TrafficFlowObserved:t1", "intensity")
                .at("value")
                .as_int64(),
            10);
  EXPECT_EQ(
      attr("kl", "urn:ngsi-ld:TrafficFlowObserved:t1", "averageVehicleSpeed")
          .at("value")
          .as_int64(),
      42);
}

TEST_F(PipelineTest, ManyReadingsOfOneEntityKeepTheirHistory) {
  add_device(R"({"id": "aq-2", "profile": "json",
                 "entity": {"type": "AirQualityObserved"}})");
  for (int i = 0; i < 500; ++i) {
    ingestor_->on_mqtt_message(
        "devices/kl/aq-2/up", R"({"pm10": )" + std::to_string(i) +
                                  R"(, "observedAt": "2026-11-25T08:00:00Z"})");
  }
  ingestor_->drain();
  EXPECT_EQ(ingestor_->stats().readings.load(), 500u);
  EXPECT_EQ(attr("kl", "urn:ngsi-ld:AirQualityObserved:aq-2", "pm10")
                .at("value")
                .to_number<double>(),
            499);
  auto t = store_->tenant("kl", false);
  ASSERT_TRUE(t);
  store::HistoryQuery q;
  q.entity_id = "urn:ngsi-ld:AirQualityObserved:aq-2";
  q.attrs = {vocab("pm10")};
  q.limit = 10000;
  auto h = (*t)->history(q);
  ASSERT_TRUE(h) << h.error().detail;
  EXPECT_EQ(h->size(), 500u);
  EXPECT_LT(ingestor_->stats().batches.load(), 500u);  // batched
}

TEST_F(PipelineTest, BadMessagesAreDeadLetteredAndTheStreamGoesOn) {
  add_device(R"({"id": "wc-2", "profile": "milesight-em500-udl",
                 "params": {"depth_m": 1.0}})");
  ingestor_->on_mqtt_message("weather/now", "{}");               // topic
  ingestor_->on_mqtt_message("devices/kl/ghost/up", "{}");       // device
  ingestor_->on_mqtt_message("devices/kl/wc-2/up", "\x03\x82");  // bytes
  ingestor_->on_mqtt_message("devices/kl/wc-2/up",
                             std::string("\x03\x82\x00\x00", 4));  // range
  ingestor_->on_mqtt_message("ngsi-ld/kl/entities", "{not json");
  ingestor_->on_mqtt_message("devices/kl/wc-2/up",
                             std::string("\x03\x82\x2c\x01", 4));  // good
  ingestor_->drain();
  auto& s = ingestor_->stats();
  EXPECT_EQ(s.bad_topic.load(), 1u);
  EXPECT_EQ(s.unknown_device.load(), 1u);
  EXPECT_EQ(s.malformed.load(), 2u);
  EXPECT_EQ(s.out_of_range.load(), 1u);
  EXPECT_EQ(s.readings.load(), 1u);
  auto letters = ingestor_->dead_letters().list("kl", 10);
  ASSERT_EQ(letters.size(), 4u);
  EXPECT_NE(letters[0].reason.find("JSON"), std::string::npos);
  EXPECT_NE(letters[1].reason.find("out of range"), std::string::npos);
  EXPECT_EQ(ingestor_->dead_letters().list("", 10).size(), 1u);  // topic
}

TEST_F(PipelineTest, WebhooksFindDevicesByDevEuiInTheirTenant) {
  add_device(R"({"id": "aq-3", "devEUI": "0004A30B001C0530",
                 "profile": "decentlab-dl-pm"})");
  std::string body = R"({"deviceInfo": {"devEui": "0004a30b001c0530"},
      "time": "2026-11-25T08:05:00Z", "data": "AhtQAAEMJQ=="})";
  std::promise<Status> done;
  auto s = ingestor_->chirpstack_uplink("kl", body,
                                        [&](Status r) { done.set_value(r); });
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_TRUE(done.get_future().get());
  auto v = attr("kl", "urn:ngsi-ld:AirQualityObserved:aq-3", "batteryVoltage");
  ASSERT_TRUE(v.is_object());
  EXPECT_NEAR(v.at("value").as_double(), 3.109, 1e-9);
  auto other = ingestor_->chirpstack_uplink("other", body, nullptr);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Code::kNotFound);
}

TEST_F(PipelineTest, RegistryIsDurableAndReloads) {
  add_device(R"({"id": "tc-1", "devEUI": "70B3D57ED0050001",
                 "profile": "parametric-tcr"})");
  DeviceRegistry again(broker_.get());
  ASSERT_TRUE(again.load({"kl"}));
  auto d = again.find_by_eui("70B3D57ED0050001");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->id, "tc-1");
  EXPECT_EQ(d->entity_type, "TrafficFlowObserved");
  std::promise<Status> dup;
  auto copy = *d;
  copy.id = "tc-2";
  ingestor_->devices().create(copy, [&](Status s) { dup.set_value(s); });
  EXPECT_EQ(dup.get_future().get().error().code, Code::kAlreadyExists);
}

TEST_F(PipelineTest, MqttThroughARealBroker) {
  if (!test::MosquittoProcess::available()) GTEST_SKIP() << "no mosquitto";
  test::MosquittoProcess broker;
  ASSERT_TRUE(broker.start());
  add_device(R"({"id": "tc-9", "profile": "parametric-tcr"})");
  MqttOptions o;
  o.port = broker.port();
  o.share_group = "cocity";
  MqttClient client(
      o,
      [this](std::string_view t, std::string_view p, MessageHold hold) {
        ingestor_->on_mqtt_message(t, p, std::move(hold));
      },
      [this] { ingestor_->flush(); });
  ASSERT_TRUE(client.start());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (client.subscribed() < 4 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(client.subscribed(), 4u);
  test::MqttPublisher pub;
  ASSERT_TRUE(pub.connect(broker.port()));
  std::string frame;
  for (unsigned char c : {0xbe, 0x02, 0x02, 0x64, 0x64, 0x12, 0xc2, 0x18, 0xb8,
                          0x00, 0x03, 0x28, 0x00, 0x01, 0x32}) {
    frame.push_back(static_cast<char>(c));
  }
  frame.append(18, '\0');
  for (int qos : {0, 1})
    ASSERT_TRUE(pub.publish("devices/kl/tc-9/up", frame, qos));
  ASSERT_TRUE(pub.flush());
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (ingestor_->stats().readings.load() < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(ingestor_->stats().readings.load(), 2u);
  auto i = attr("kl", "urn:ngsi-ld:TrafficFlowObserved:tc-9", "intensity");
  ASSERT_TRUE(i.is_object());
  EXPECT_EQ(i.at("value").to_number<double>(), 4);
  EXPECT_EQ(client.connects(), 1u);
  // The QoS 1 message is acknowledged to the broker after its commit.
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (client.acknowledged() < 1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(client.acknowledged(), 1u);
}

}  // namespace
}  // namespace cocity::ingest
