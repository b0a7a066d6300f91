// The ingestion pipeline: messages in, entity updates out.
//
// An Ingestor owns the device registry, the dead letters, the counters and
// the write batcher. Its entry points take one message each (an MQTT
// message, a webhook body, a device's push), decode it with the device's
// payload profile into NGSI-LD fragments and hand them to the batcher.
// A message that cannot be ingested is counted (IngestStats), logged at
// warning level with the reason (rate-limited to the first 20 per second)
// and kept as a dead letter of its tenant; the stream goes on.
//
// Delivery: the MQTT entry blocks while the batcher's window is full
// (backpressure to the broker); the HTTP entries fail with kUnavailable
// instead. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "broker/broker.h"
#include "core/error.h"
#include "ingest/dead_letters.h"
#include "ingest/device_registry.h"
#include "ingest/ingest_stats.h"
#include "ingest/lorawan_uplink.h"
#include "ingest/write_batcher.h"

namespace cocity::ingest {

struct IngestOptions {
  BatcherOptions batcher;
  size_t dead_letters_per_tenant = 1000;
};

class Ingestor {
 public:
  using Done = std::function<void(Status)>;

  // `broker` must outlive the ingestor.
  explicit Ingestor(broker::Broker* broker, IngestOptions options = {});
  ~Ingestor();
  Ingestor(const Ingestor&) = delete;
  Ingestor& operator=(const Ingestor&) = delete;

  DeviceRegistry& devices() { return devices_; }
  DeadLetters& dead_letters() { return dead_letters_; }
  IngestStats& stats() { return stats_; }

  // One MQTT message (topic shapes in topic.h). Blocks for room in the
  // window. Failures become dead letters; nothing is returned. `hold` is
  // released once the message's readings are durable or dead-lettered.
  void on_mqtt_message(std::string_view topic, std::string_view payload,
                       std::shared_ptr<void> hold = nullptr);

  // Webhook bodies for `tenant` (the request's). On success `done` runs
  // after the readings are durable; the returned error (decode failure,
  // unknown device, kUnavailable when full) was already dead-lettered,
  // except kUnavailable.
  Status tts_uplink(const std::string& tenant, std::string_view body,
                    Done done);
  Status chirpstack_uplink(const std::string& tenant, std::string_view body,
                           Done done);
  // A registered device's own payload (raw bytes for binary profiles, JSON
  // measurements for "json"). `source` names the path for dead letters.
  Status device_payload(const Device& device, std::string_view payload,
                        const std::string& source, bool block, Done done);

  // Upserts the entity a newly registered device feeds (type, location,
  // refDevice), so it exists before the first reading.
  Status announce(const Device& device, Done done);

  // Blocks until everything pushed so far is durable or failed.
  void drain() { batcher_.drain(); }
  // Commits what is queued without lingering (WriteBatcher::flush).
  void flush() { batcher_.flush(); }

 private:
  enum class Reject { kBadTopic, kUnknownDevice, kMalformed, kOutOfRange };

  Status reject(Reject why, const std::string& tenant,
                const std::string& source, const Error& error,
                std::string_view payload);
  Status ingest_uplink(const Device& device, const Uplink& uplink,
                       std::string_view raw, const std::string& source,
                       bool block, Done done);
  Status lorawan(const std::string* tenant, Result<Uplink> uplink,
                 std::string_view raw, const std::string& source, bool block,
                 Done done);
  void mqtt_entities(const std::string& tenant, std::string_view payload,
                     const std::string& source, const Done& done);
  Status push(const std::string& tenant, ngsi::Fragment fragment, TimePoint now,
              const std::string& source, bool block, Done done);

  broker::Broker* broker_;
  IngestStats stats_;
  DeadLetters dead_letters_;
  DeviceRegistry devices_;
  WriteBatcher batcher_;  // last: destroyed (drained) first
};

}  // namespace cocity::ingest
