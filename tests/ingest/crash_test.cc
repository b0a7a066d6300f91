// QoS 1 without loss, at the library level: a child process runs the
// ingestion pipeline as `cocity serve` wires it (SQLite store, broker,
// ingestor, MQTT client with a persistent session) against a real
// mosquitto; a publisher streams QoS 1 entity fragments; the child is
// killed with SIGKILL mid-stream and a new child takes over the session.
// Every message the broker accepted must end up stored: what the first
// child had not acknowledged (not durable yet) the broker sends again.
// And stored once: each message carries its observedAt, so a redelivered
// one that was already committed adds no second history entry
// (ingest/old_readings.h); the probes repeat messages of the stream too.
// (tests/e2e/ingest_crash_test.cc does the same with the real binary.)
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "broker/broker.h"
#include "ingest/ingestor.h"
#include "ingest/mosquitto_process.h"
#include "ingest/mqtt_client.h"
#include "ingest/mqtt_publisher.h"
#include "store/store.h"

namespace cocity::ingest {
namespace {

constexpr int kMessages = 20000;

// Message i: entity i, value i, observed i seconds after a fixed time.
std::string reading(int i) {
  constexpr int64_t kT0 = 1'795'000'000'000'000;  // 2026-11-18
  return R"({"id": "urn:ngsi-ld:Reading:)" + std::to_string(i) +
         R"(", "type": "Reading", "n": {"type": "Property", "value": )" +
         std::to_string(i) + R"(, "observedAt": ")" +
         format_iso_time(from_micros(kT0 + i * int64_t{1'000'000})) + "\"}}";
}

// The pipeline until killed; never returns.
[[noreturn]] void run_child(const std::string& dir, uint16_t port) {
  store::StoreOptions so;
  so.data_dir = dir;
  auto store = store::open_sqlite_store(so);
  if (!store) _exit(3);
  broker::Broker broker(store->get(), Clock::system());
  Ingestor ingestor(&broker);
  MqttOptions o;
  o.port = port;
  o.client_id = "cocity-crash-test";
  o.persistent_session = true;
  MqttClient client(
      o,
      [&](std::string_view t, std::string_view p, MessageHold hold) {
        ingestor.on_mqtt_message(t, p, std::move(hold));
      },
      [&] { ingestor.flush(); });
  if (!client.start()) _exit(4);
  while (true) pause();
}

pid_t spawn(const std::string& dir, uint16_t port) {
  pid_t pid = fork();
  if (pid == 0) run_child(dir, port);
  return pid;
}

// The first column of `sql`'s first row in tenant "crash" (read-only,
// beside the writer); 0 before the database exists.
int64_t count(const std::string& dir, const char* sql) {
  std::string path = dir + "/crash.db";
  if (!std::filesystem::exists(path)) return 0;
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

int64_t stored(const std::string& dir) {
  return count(dir, "SELECT count(*) FROM entities");
}

template <typename Pred>
bool wait_for(Pred pred, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

TEST(IngestCrash, KillNineLosesNoAcknowledgedQos1Message) {
  if (!test::MosquittoProcess::available()) GTEST_SKIP() << "no mosquitto";
  char tmpl[] = "/tmp/cocity-ingest-crash-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  test::MosquittoProcess mqtt;
  ASSERT_TRUE(mqtt.start());
  // Fork before this process has threads of its own (the publisher's).
  pid_t child = spawn(dir, mqtt.port());
  ASSERT_GT(child, 0);
  auto publisher_client = std::make_unique<test::MqttPublisher>();
  test::MqttPublisher& pub = *publisher_client;
  ASSERT_TRUE(pub.connect(mqtt.port()));
  // The session exists once the child subscribed: probe until one lands.
  int probe = 0;
  ASSERT_TRUE(wait_for(
      [&] {
        pub.publish("ngsi-ld/crash/entities", reading(probe++ % 10), 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return stored(dir) > 0;
      },
      std::chrono::seconds(20)));
  std::thread publisher([&] {
    for (int i = 0; i < kMessages; ++i) {
      if (!pub.publish("ngsi-ld/crash/entities", reading(i), 1)) break;
    }
  });
  wait_for([&] { return stored(dir) >= kMessages / 10; },
           std::chrono::seconds(20));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  int64_t before = stored(dir);
  publisher.join();
  ASSERT_TRUE(pub.flush());  // the broker accepted every message
  EXPECT_LT(before, kMessages) << "the kill came after the stream";
  publisher_client.reset();  // no threads of ours while forking again

  pid_t second = spawn(dir, mqtt.port());
  ASSERT_GT(second, 0);
  bool all = wait_for([&] { return stored(dir) >= kMessages; },
                      std::chrono::seconds(60));
  kill(second, SIGKILL);
  waitpid(second, &status, 0);
  EXPECT_TRUE(all) << "stored " << stored(dir) << " of " << kMessages
                   << " (before the kill: " << before << ")";
  EXPECT_EQ(stored(dir), kMessages);
  // One history entry per message, none twice.
  EXPECT_EQ(count(dir, "SELECT count(*) FROM history"), kMessages);

  RecordProperty("stored_before_kill", static_cast<int>(before));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cocity::ingest
