#include "ingest/ingest_service.h"

#include <spdlog/spdlog.h>

#include "ingest/ingest_routes.h"
#include "store/dead_letter_store.h"

namespace cocity::ingest {

IngestService::IngestService(broker::Broker* broker, store::Store* store)
    : broker_(broker), store_(store) {}

IngestService::~IngestService() { stop(); }

Status IngestService::start(const IngestConfig& config, server::Router& router,
                            server::Metrics& metrics) {
  ingestor_ = std::make_unique<Ingestor>(broker_, config.options);
  auto tenants = store_->tenant_names();
  if (!tenants) return std::unexpected(tenants.error());
  if (auto s = ingestor_->devices().load(*tenants); !s) return s;
  if (!config.dead_letters_db.empty()) {
    auto letters = store::open_sqlite_dead_letter_store(
        config.dead_letters_db, config.options.dead_letters_per_tenant);
    if (!letters) return std::unexpected(letters.error());
    if (auto s = ingestor_->dead_letters().attach(std::move(*letters)); !s) {
      return s;
    }
  }
  add_ingest_routes(router, *ingestor_);
  add_ingest_metrics(metrics, *ingestor_);
  if (config.mqtt_url.empty()) return ok();
  auto options = parse_mqtt_url(config.mqtt_url);
  if (!options) return std::unexpected(options.error());
  options->share_group = config.share_group;
  Ingestor* ingestor = ingestor_.get();
  mqtt_ = std::make_unique<MqttClient>(
      *options,
      [ingestor](std::string_view topic, std::string_view payload,
                 MessageHold hold) {
        ingestor->on_mqtt_message(topic, payload, std::move(hold));
      },
      [ingestor] { ingestor->flush(); });
  if (auto s = mqtt_->start(); !s) return s;
  spdlog::info("ingesting MQTT from {}:{}{}", options->host, options->port,
               config.share_group.empty()
                   ? ""
                   : " (shared group " + config.share_group + ")");
  return ok();
}

void IngestService::stop() {
  if (mqtt_) mqtt_->stop();
  if (ingestor_) ingestor_->drain();
}

}  // namespace cocity::ingest
