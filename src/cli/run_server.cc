#include "cli/run_server.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "apps/cocreation/cocreation_routes.h"
#include "apps/cocreation/mail_sender.h"
#include "apps/waste/waste_routes.h"
#include "ingest/ingest_service.h"
#include "mail/smtp_transport.h"
#include "server/api_keys.h"
#include "server/health.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "server/ngsi_api.h"
#include "server/ngsi_contexts.h"
#include "server/ngsi_discovery.h"
#include "server/ngsi_subscriptions.h"
#include "server/ngsi_temporal.h"
#include "server/router.h"
#include "server/server.h"
#include "store/store.h"

namespace cocity::cli {

namespace {

void add_store_metrics(server::Metrics& metrics, store::Store& store) {
  metrics.add_callback("cocity_store_commits_total",
                       "Store transactions committed since start", "counter",
                       [&store] { return double(store.stats().commits); });
  metrics.add_callback(
      "cocity_store_committed_ops_total",
      "Write operations committed since start", "counter",
      [&store] { return double(store.stats().committed_ops); });
  metrics.add_callback("cocity_store_queue_depth",
                       "Write operations waiting for the store's writer",
                       "gauge",
                       [&store] { return double(store.stats().queue_depth); });
  metrics.add_callback("cocity_store_entities", "Entities stored, all tenants",
                       "gauge",
                       [&store] { return double(store.stats().entities); });
  metrics.add_callback("cocity_store_history_rows_total",
                       "Attribute history entries appended since start",
                       "counter",
                       [&store] { return double(store.stats().history_rows); });
  metrics.add_callback(
      "cocity_store_entity_cache_hits_total",
      "Entity updates whose stored state the writer's cache held", "counter",
      [&store] { return double(store.stats().entity_cache_hits); });
  metrics.add_callback(
      "cocity_store_entity_cache_misses_total",
      "Entity updates whose stored state was read from the database", "counter",
      [&store] { return double(store.stats().entity_cache_misses); });
}

// The co-creation outbox's SMTP sender, started; null when [smtp] has no url.
Result<std::unique_ptr<apps::cocreation::MailSender>> start_mail_sender(
    const server::SmtpConfig& smtp, store::CocreationStores* stores,
    server::Metrics& metrics) {
  if (smtp.url.empty()) return nullptr;
  mail::SmtpSettings settings;
  settings.url = smtp.url;
  settings.starttls = smtp.starttls == "required" ? mail::StartTls::kRequired
                                                  : mail::StartTls::kAuto;
  settings.user = smtp.user;
  settings.password = smtp.password;
  settings.ca_file = smtp.ca_file;
  auto transport = mail::open_smtp_transport(settings);
  if (!transport) return std::unexpected(transport.error());
  apps::cocreation::MailSenderOptions options;
  options.from = smtp.from;
  options.interval = std::chrono::milliseconds(smtp.interval_ms);
  auto sender = apps::cocreation::MailSender::create(
      stores, std::move(*transport), options);
  if (!sender) return std::unexpected(sender.error());
  apps::cocreation::MailSender* s = sender->get();
  metrics.add_callback("cocity_mail_sent_total",
                       "Mails the SMTP server accepted since start", "counter",
                       [s] { return double(s->stats().sent); });
  metrics.add_callback("cocity_mail_failed_total",
                       "Failed attempts to send a mail since start", "counter",
                       [s] { return double(s->stats().failed); });
  s->start();
  spdlog::info("mail: sending the outbox through {}", smtp.url);
  return sender;
}

}  // namespace

int run_server(const server::ServerConfig& config,
               const OnStarted& on_started) {
  if (auto s = server::setup_logging(config.log_level, config.log_format); !s) {
    fprintf(stderr, "cocity: %s\n", s.error().detail.c_str());
    return 2;
  }
  store::StoreOptions options;
  options.data_dir = config.data_dir;
  options.history_retention = config.history_retention;
  options.entity_cache_bytes = static_cast<size_t>(config.entity_cache_mb)
                               << 20;
  if (!config.indexed_attributes.empty()) {
    options.indexed_attributes =
        store::IndexedAttributes::from_list(config.indexed_attributes);
  }
  options.tenant_history_retention.insert(
      config.tenant_history_retention.begin(),
      config.tenant_history_retention.end());
  auto store = store::open_sqlite_store(options);
  if (!store) {
    spdlog::error("cannot open the store in '{}': {}", config.data_dir,
                  store.error().detail);
    return 1;
  }
  server::Metrics metrics;
  add_store_metrics(metrics, **store);
  broker::Broker broker(store->get(), Clock::system());
  server::Router router;
  server::add_health_routes(&router, &metrics);
  server::add_ngsi_api(router, broker, config.limits);
  server::add_temporal_api(router, broker, **store, config.limits);
  server::add_discovery_api(router, **store);
  auto notifier = server::start_subscriptions(router, broker, config.data_dir,
                                              config.limits, config.ca_file);
  if (!notifier) {
    spdlog::error("cannot start subscriptions: {}", notifier.error().detail);
    return 1;
  }
  if (auto s = server::add_context_api(router, config); !s) {
    spdlog::error("cannot open the @context cache: {}", s.error().detail);
    return 1;
  }

  auto cc_stores = store::open_sqlite_cocreation_stores(config.data_dir);
  if (!cc_stores) {
    spdlog::error("cannot start co-creation: {}", cc_stores.error().detail);
    return 1;
  }
  apps::cocreation::RoutesOptions cc_options;
  cc_options.data_dir = config.data_dir;
  cc_options.catalogue_path = COCITY_DATA_DIR "/ideas/catalogue.json";
  cc_options.stores = std::move(*cc_stores);
  if (auto s = apps::cocreation::add_cocreation_routes(router, cc_options);
      !s) {
    spdlog::error("cannot start co-creation: {}", s.error().detail);
    return 1;
  }
  auto mail_sender =
      start_mail_sender(config.smtp, cc_options.stores.get(), metrics);
  if (!mail_sender) {
    spdlog::error("cannot start mail: {}", mail_sender.error().detail);
    return 1;
  }

  apps::waste::add_routes(
      router, broker,
      {config.roads_graph, config.data_dir, config.limits.max_json_depth});

  ingest::IngestService ingest(&broker, store->get());
  if (auto s = ingest.start({config.mqtt_url,
                             config.mqtt_share_group,
                             {},
                             config.data_dir + "/deadletters.db"},
                            router, metrics);
      !s) {
    spdlog::error("cannot start ingestion: {}", s.error().detail);
    return 1;
  }

  server::Server srv(config, &router, &(*store)->keys(), &metrics);
  if (auto s = srv.start(); !s) {
    spdlog::error("cannot start the server: {}", s.error().detail);
    return 1;
  }
  srv.handle_signals();
  spdlog::info("cocity listening on http://{}:{} (data in {}{})", config.bind,
               srv.port(), std::filesystem::absolute(config.data_dir).string(),
               config.open ? ", open mode: no API keys needed" : "");
  if (on_started) on_started(broker, srv.port());
  srv.wait();
  if (*mail_sender) (*mail_sender)->stop();
  ingest.stop();
  (*store)->close();
  spdlog::info("cocity stopped cleanly");
  return 0;
}

}  // namespace cocity::cli
