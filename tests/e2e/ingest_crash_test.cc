// QoS 1 without loss: a real mosquitto, a real `cocity serve --mqtt` with a
// persistent session (fixed client id), a publisher streaming QoS 1
// entity fragments, kill -9 of cocity mid-stream, a restart. Every message
// the broker accepted (PUBACK to the publisher) is stored in the end: what
// cocity had not acknowledged (not durable yet) the broker sends again.
#include <atomic>
#include <chrono>
#include <thread>

#include "e2e_util.h"
#include "ingest/mosquitto_process.h"
#include "ingest/mqtt_publisher.h"

namespace cocity::test {
namespace {

constexpr int kMessages = 20000;
constexpr std::string_view kTopic = "ngsi-ld/crash/entities";

std::string reading(int i) {
  return R"({"id": "urn:ngsi-ld:Reading:)" + std::to_string(i) +
         R"(", "type": "Reading", "n": {"type": "Property", "value": )" +
         std::to_string(i) + "}}";
}

// How many Reading entities tenant "crash" holds (-1 when unreachable).
int64_t stored(HttpClient& client) {
  auto r = client.get("/ngsi-ld/v1/entities?type=Reading&count=true&limit=0",
                      {{"ngsild-tenant", "crash"}});
  if (r.status != 200) return -1;
  std::string_view n = r.header("ngsild-results-count");
  return n.empty() ? -1 : std::stoll(std::string(n));
}

TEST(IngestCrashTest, KillNineLosesNoAcknowledgedQos1Message) {
  if (!MosquittoProcess::available()) GTEST_SKIP() << "no mosquitto";
  MosquittoProcess mqtt;
  ASSERT_TRUE(mqtt.start());
  const std::vector<std::string> args = {
      "--open", "--mqtt", mqtt.url() + "?client_id=cocity-crash-test"};
  ServerProcess server;
  auto s = server.start(args);
  ASSERT_TRUE(s) << s.error().detail;
  MqttPublisher pub;
  ASSERT_TRUE(pub.connect(mqtt.port()));
  {
    // The session exists once cocity has subscribed: probe until a
    // message gets through.
    HttpClient client(server.port());
    int probe = 0;
    while (stored(client) < 1 && probe < 200) {
      ASSERT_TRUE(pub.publish(kTopic, reading(probe++), 1));
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ASSERT_GE(stored(client), 1) << "cocity never subscribed";
  }
  std::atomic<int> published{0};
  std::thread publisher([&] {
    for (int i = 0; i < kMessages; ++i) {
      if (!pub.publish(kTopic, reading(i), 1)) break;
      published = i + 1;
    }
  });
  // Kill cocity while the stream is flowing into it.
  HttpClient client(server.port(), std::chrono::seconds(2));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (stored(client) < kMessages / 10 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  int64_t before_kill = stored(client);
  server.kill(SIGKILL);
  EXPECT_EQ(server.wait_exit(), 128 + SIGKILL);
  publisher.join();
  ASSERT_EQ(published.load(), kMessages);
  ASSERT_TRUE(pub.flush());  // the broker acknowledged every message
  EXPECT_LT(before_kill, kMessages) << "the kill came after the stream";

  s = server.start(args);
  ASSERT_TRUE(s) << s.error().detail;
  HttpClient after(server.port());
  int64_t n = 0;
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((n = stored(after)) < kMessages &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(n, kMessages) << "stored before the kill: " << before_kill;
  RecordProperty("stored_before_kill", static_cast<int>(before_kill));
}

}  // namespace
}  // namespace cocity::test
