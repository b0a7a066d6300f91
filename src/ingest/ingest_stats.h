// Counters of the ingestion path, for /metrics (see add_ingest_metrics in
// ingest_routes.h) and the benchmark. Lock-free; read at any time.
#pragma once

#include <atomic>
#include <cstdint>

namespace cocity::ingest {

struct IngestStats {
  std::atomic<uint64_t> messages{0};   // MQTT messages and webhook calls
  std::atomic<uint64_t> readings{0};   // entity updates committed
  std::atomic<uint64_t> batches{0};    // broker writes issued
  std::atomic<uint64_t> in_flight{0};  // updates queued or not yet durable
  std::atomic<uint64_t> backpressure_waits{0};  // pushes that had to wait
  // Readings not newer than the stored value (old_readings.h): dropped
  // duplicates, and late ones written to history only.
  std::atomic<uint64_t> duplicates{0};
  std::atomic<uint64_t> late{0};
  // Rejected messages, by reason (each also a dead letter):
  std::atomic<uint64_t> bad_topic{0};
  std::atomic<uint64_t> unknown_device{0};
  std::atomic<uint64_t> malformed{0};     // bad JSON, base64 or bytes
  std::atomic<uint64_t> out_of_range{0};  // decoders' range checks, NGSI-LD
  std::atomic<uint64_t> store_errors{0};  // writes the store refused/failed
  std::atomic<uint64_t> overloaded{0};    // webhooks refused when full (503)
};

}  // namespace cocity::ingest
