// Sustained MQTT ingestion into durable storage, against mosquitto alone as
// the reference, in one run on the same machine.
//
// For QoS 0 and 1 it measures:
//  1. reference: one publisher -> a private mosquitto -> one subscriber
//     that only counts (messages/s until the last one arrived);
//  2. cocity: the same publisher -> mosquitto -> cocity's MQTT client ->
//     decode (plain JSON profile) -> batched, group-committed writes into
//     the SQLite store (readings/s until the last one is durable).
// Each message is one reading: a device's JSON measurement of two values,
// spread over --devices devices (entities).
//
//   ingest_bench [--messages N] [--devices D] [--dir DIR] [--receive-max R]
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <thread>

#include "broker/broker.h"
#include "ingest/ingestor.h"
#include "ingest/mosquitto_process.h"
#include "ingest/mqtt_client.h"
#include "ingest/mqtt_publisher.h"
#include "store/store.h"

using namespace cocity;
using Clock_ = std::chrono::steady_clock;

namespace {

struct Args {
  uint64_t messages = 200000;
  uint64_t devices = 1000;
  std::string dir = "/tmp/cocity-ingest-bench";
  int receive_maximum = 10000;  // cocity's MQTT 5 receive maximum
  int qos = -1;                 // -1: both, 0 or 1: that one only
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--messages") a.messages = std::strtoull(argv[i + 1], nullptr, 10);
    if (k == "--devices") a.devices = std::strtoull(argv[i + 1], nullptr, 10);
    if (k == "--dir") a.dir = argv[i + 1];
    if (k == "--receive-max") a.receive_maximum = std::atoi(argv[i + 1]);
    if (k == "--qos") a.qos = std::atoi(argv[i + 1]);
  }
  return a;
}

std::string payload(uint64_t i) {
  return "{\"pm10\": " + std::to_string(10 + i % 50) +
         ", \"no2\": " + std::to_string(20 + i % 40) + "}";
}

// Waits until `done()` or no progress for 10 s; returns the elapsed
// seconds from `start`.
template <typename F>
double wait_until(Clock_::time_point start, uint64_t target, F count) {
  uint64_t last = 0;
  auto last_progress = Clock_::now();
  while (count() < target) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    uint64_t c = count();
    if (c != last) {
      last = c;
      last_progress = Clock_::now();
    } else if (Clock_::now() - last_progress > std::chrono::seconds(10)) {
      break;
    }
  }
  return std::chrono::duration<double>(Clock_::now() - start).count();
}

void publish_all(test::MqttPublisher& pub, const std::string& prefix,
                 const Args& a, int qos) {
  for (uint64_t i = 0; i < a.messages; ++i) {
    std::string topic = prefix + std::to_string(i % a.devices) + "/up";
    if (!pub.publish(topic, payload(i), qos)) {
      std::fprintf(stderr, "publish failed\n");
      std::exit(1);
    }
  }
}

void reference(const test::MosquittoProcess& mq, const Args& a, int qos) {
  test::MqttCounter counter;
  if (!counter.connect(mq.port(), "ref/#", qos)) std::exit(1);
  test::MqttPublisher pub;
  if (!pub.connect(mq.port())) std::exit(1);
  auto start = Clock_::now();
  std::thread t([&] { publish_all(pub, "ref/", a, qos); });
  double s = wait_until(start, a.messages, [&] { return counter.count(); });
  t.join();
  std::printf(
      "mosquitto alone, QoS %d: %llu of %llu msgs in %.2f s = %.0f msg/s\n",
      qos, (unsigned long long)counter.count(), (unsigned long long)a.messages,
      s, counter.count() / s);
}

void register_devices(ingest::Ingestor& ing, const Args& a) {
  std::vector<std::future<Status>> done;
  std::vector<std::shared_ptr<std::promise<Status>>> promises;
  for (uint64_t d = 0; d < a.devices; ++d) {
    ingest::Device dev;
    dev.tenant = "bench";
    dev.id = "dev-" + std::to_string(d);
    dev.profile = "json";
    dev.entity_type = "AirQualityObserved";
    dev.entity_id = "urn:ngsi-ld:AirQualityObserved:" + dev.id;
    auto p = std::make_shared<std::promise<Status>>();
    done.push_back(p->get_future());
    ing.devices().create(dev, [p](Status s) { p->set_value(s); });
  }
  for (auto& f : done) {
    if (!f.get()) std::exit(1);
  }
}

void cocity_run(const test::MosquittoProcess& mq, const Args& a, int qos) {
  std::filesystem::remove_all(a.dir);
  store::StoreOptions so;
  so.data_dir = a.dir;
  auto store = store::open_sqlite_store(so);
  if (!store) std::exit(1);
  broker::Broker broker(store->get(), Clock::system());
  auto ing = std::make_unique<ingest::Ingestor>(&broker);
  register_devices(*ing, a);
  auto commits0 = (*store)->stats().commits;
  ingest::MqttOptions mo;
  mo.port = mq.port();
  mo.qos = qos;
  mo.receive_maximum = a.receive_maximum;
  mo.topics = {"devices/+/+/up"};
  ingest::MqttClient client(
      mo,
      [&](std::string_view t, std::string_view p, ingest::MessageHold hold) {
        ing->on_mqtt_message(t, p, std::move(hold));
      },
      [&] { ing->flush(); });
  if (!client.start()) std::exit(1);
  while (client.subscribed() < 1)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  test::MqttPublisher pub;
  if (!pub.connect(mq.port())) std::exit(1);
  auto& stats = ing->stats();
  auto start = Clock_::now();
  std::thread t([&] { publish_all(pub, "devices/bench/dev-", a, qos); });
  double s =
      wait_until(start, a.messages, [&] { return stats.readings.load(); });
  t.join();
  uint64_t n = stats.readings.load();
  auto commits = (*store)->stats().commits - commits0;
  std::printf(
      "cocity ingestion, QoS %d: %llu of %llu readings durable in %.2f s = "
      "%.0f readings/s (%llu broker writes, %llu commits, %llu backpressure "
      "waits, %llu rejected)\n",
      qos, (unsigned long long)n, (unsigned long long)a.messages, s, n / s,
      (unsigned long long)stats.batches.load(), (unsigned long long)commits,
      (unsigned long long)stats.backpressure_waits.load(),
      (unsigned long long)(stats.malformed.load() +
                           stats.unknown_device.load() +
                           stats.store_errors.load()));
  client.stop();
  ing.reset();
  (*store)->close();
  std::filesystem::remove_all(a.dir);
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  Args a = parse_args(argc, argv);
  test::MosquittoProcess mq;
  if (auto s = mq.start(); !s) {
    std::fprintf(stderr, "cannot start mosquitto: %s\n",
                 s.error().detail.c_str());
    return 1;
  }
  std::printf("%llu messages over %llu devices, payload ~%zu bytes\n",
              (unsigned long long)a.messages, (unsigned long long)a.devices,
              payload(0).size());
  for (int qos : {0, 1}) {
    if (a.qos >= 0 && qos != a.qos) continue;
    reference(mq, a, qos);
    cocity_run(mq, a, qos);
  }
  return 0;
}
