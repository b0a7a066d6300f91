#include "ingest/ingest_service.h"

#include <spdlog/spdlog.h>

#include "ingest/ingest_routes.h"

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
  add_ingest_routes(router, *ingestor_);
  add_ingest_metrics(metrics, *ingestor_);
  if (config.mqtt_url.empty()) return ok();
  auto options = parse_mqtt_url(config.mqtt_url);
  if (!options) return std::unexpected(options.error());
  options->share_group = config.share_group;
  Ingestor* ingestor = ingestor_.get();
  mqtt_ = std::make_unique<MqttClient>(
      *options, [ingestor](std::string_view topic, std::string_view payload) {
        ingestor->on_mqtt_message(topic, payload);
      });
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
