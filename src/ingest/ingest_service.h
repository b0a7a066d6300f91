// Ingestion as the server runs it: the Ingestor, its HTTP routes and
// metrics, and (when a broker URL is configured) the MQTT client feeding it.
// `cocity serve` creates one after the broker and stops it before the store
// closes.
#pragma once

#include <memory>
#include <string>

#include "broker/broker.h"
#include "core/error.h"
#include "ingest/ingestor.h"
#include "ingest/mqtt_client.h"
#include "server/metrics.h"
#include "server/router.h"
#include "store/store.h"

namespace cocity::ingest {

struct IngestConfig {
  // "mqtt://HOST:PORT[?client_id=ID]"; empty: no MQTT. A client id makes
  // the MQTT session persistent (mqtt_client.h).
  std::string mqtt_url;
  std::string share_group;  // MQTT 5 shared subscription group, or ""
  IngestOptions options;
  std::string dead_letters_db;  // SQLite file of the dead letters; "": memory
};

class IngestService {
 public:
  // `broker` and `store` must outlive the service.
  IngestService(broker::Broker* broker, store::Store* store);
  ~IngestService();
  IngestService(const IngestService&) = delete;
  IngestService& operator=(const IngestService&) = delete;

  // Loads the device registry of every tenant, opens the dead letters,
  // registers the routes and metrics, starts the MQTT client. Errors: a bad
  // MQTT URL (kInvalidRequest), a store that cannot be read. An unreachable
  // MQTT broker is not an error (the client keeps retrying).
  Status start(const IngestConfig& config, server::Router& router,
               server::Metrics& metrics);

  // Stops reading MQTT, then waits until what was received is durable.
  void stop();

  Ingestor& ingestor() { return *ingestor_; }

 private:
  broker::Broker* broker_;
  store::Store* store_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<MqttClient> mqtt_;
};

}  // namespace cocity::ingest
