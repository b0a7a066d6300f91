// Server configuration: defaults, then a TOML file, then COCITY_* environment
// variables, then command-line flags (each later source wins).
//
// TOML keys (all optional):
//   bind = "127.0.0.1"      port = 8080        threads = 0   # 0: one per core
//   data_dir = "cocity-data"                    open = false
//   log_level = "info"      log_format = "text"  # or "json"
//   web_dir = ""            # folder of static files served at /
//   mqtt = ""  mqtt_share_group = ""   # MQTT ingestion (docs/ingest.md)
//   roads_graph = ""        # road graph for waste plans (see below)
//   ca_file = ""            # extra CAs (PEM) for outgoing https (see below)
//   [limits]
//   max_body_bytes = 8388608   max_json_depth = 32   max_batch_entities = 1000
//   [store]
//   entity_cache_mb = 128   # per tenant: the writer's decoded entities
//   [contexts]              # remote JSON-LD @context documents
//   remote_fetch = true     fetch_timeout_ms = 5000   max_bytes = 1048576
//   [smtp]                  # the co-creation outbox's mails; off without url
//   url = "smtp://mail.example.org:587"   from = "cocity <noreply@town.de>"
//   user = ""  password = ""  starttls = "auto"  ca_file = ""
//   interval_ms = 10000
//   [retention]             # attribute history; ISO 8601 (server/retention.h)
//   default = "P2Y"         # every tenant; absent or "P0D": keep for ever
//   kaiserslautern = "P5Y"  # one tenant's own
//   [query]                 # what the q value index covers (docs/api.md)
//   indexed_attributes = ["fillingLevel", "no2"]   # ["*"]: every attribute
// Environment: COCITY_BIND, COCITY_PORT, COCITY_THREADS, COCITY_DATA_DIR,
// COCITY_OPEN (1/true), COCITY_LOG_LEVEL, COCITY_LOG_FORMAT, COCITY_WEB_DIR,
// COCITY_ROADS_GRAPH, COCITY_MQTT, COCITY_MQTT_SHARE_GROUP,
// COCITY_MAX_BODY_BYTES, COCITY_MAX_JSON_DEPTH, COCITY_MAX_BATCH_ENTITIES,
// COCITY_ENTITY_CACHE_MB, COCITY_REMOTE_CONTEXTS,
// COCITY_CONTEXT_FETCH_TIMEOUT_MS,
// COCITY_MAX_CONTEXT_BYTES, COCITY_SMTP_URL, COCITY_SMTP_FROM,
// COCITY_SMTP_USER, COCITY_SMTP_PASSWORD, COCITY_SMTP_STARTTLS,
// COCITY_SMTP_CA_FILE, COCITY_SMTP_INTERVAL_MS, COCITY_CA_FILE.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"

namespace cocity::server {

struct Limits {
  size_t max_body_bytes = 8 * 1024 * 1024;  // over: 413 naming the limit
  size_t max_json_depth = 32;               // over: 400 naming the limit
  size_t max_batch_entities = 1000;         // over: 413 naming the limit
  // A connection waiting this long for (the rest of) a request, or for a
  // client to take a reply, is closed.
  uint64_t idle_timeout_ms = 60000;
};

// Remote @context URLs (server/ngsi_contexts.h): fetched once, then cached.
struct ContextSettings {
  bool remote_fetch = true;          // false: unknown remote URLs are 503
  uint64_t fetch_timeout_ms = 5000;  // whole fetch: connect, send, receive
  uint64_t max_bytes = 1024 * 1024;  // larger documents are refused
  std::string ca_file;  // ServerConfig::ca_file, copied in by the server
};

// Outgoing mail over SMTP (docs/cocreation.md, "Outbox and SMTP").
struct SmtpConfig {
  std::string url;       // "smtp://host:port" or "smtps://host:port"; "": off
  std::string from;      // "Name <address>" or an address
  std::string user;      // "": no AUTH
  std::string password;  // prefer COCITY_SMTP_PASSWORD
  std::string starttls = "auto";  // "auto" (when offered) or "required"
  std::string ca_file;            // PEM bundle instead of the system's
  uint64_t interval_ms = 10000;   // between passes over the outboxes
};

struct ServerConfig {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;  // 0: pick a free port (tests)
  unsigned threads = 0;  // 0: std::thread::hardware_concurrency()
  std::string data_dir = "cocity-data";
  bool open = false;  // no keys needed; every caller is admin of every tenant
  std::string log_level = "info";
  std::string log_format = "text";
  std::string web_dir;
  // MQTT ingestion (src/ingest): "mqtt://HOST:PORT", empty = none; an MQTT 5
  // shared-subscription group lets several nodes split one stream.
  std::string mqtt_url;
  std::string mqtt_share_group;
  // The road graph (`cocity import osm`) of the waste app's plans; empty:
  // <data_dir>/roads/<tenant>.graph ("default" for the default tenant).
  std::string roads_graph;
  // PEM certificates trusted besides the system CA store by the outgoing
  // https clients (notification endpoints, remote @context documents);
  // verification itself is always on.
  std::string ca_file;
  // History retention ([retention]): `default` for every tenant without
  // its own entry; zero keeps history for ever.
  std::chrono::seconds history_retention{0};
  std::map<std::string, std::chrono::seconds> tenant_history_retention;
  // [query] indexed_attributes: the attributes the value index covers
  // (store/indexed_attributes.h; ["*"] for all); empty: the default list.
  std::vector<std::string> indexed_attributes;
  // [store] entity_cache_mb: per tenant, the memory the store's writer may
  // spend on decoded entities (store::StoreOptions::entity_cache_bytes).
  // More lets a larger fleet's updates skip reading their stored state;
  // 0 turns the cache off.
  uint64_t entity_cache_mb = 128;
  Limits limits;
  ContextSettings contexts;
  SmtpConfig smtp;
};

// Applies a TOML file's settings onto `config`. Unknown keys and values of
// the wrong type are errors naming the key.
Status apply_config_file(const std::string& path, ServerConfig* config);

// Applies COCITY_* variables from the process environment. A value that does
// not parse or is out of range is kInvalidRequest naming the variable.
Status apply_environment(ServerConfig* config);

// The same for an explicit environment (tests): `lookup` returns the value of
// a variable or nullptr when unset.
Status apply_environment(ServerConfig* config,
                         const std::function<const char*(const char*)>& lookup);

// Checks ranges and enumerations (port, threads, log_level in
// trace|debug|info|warn|error|critical|off, log_format text|json, limits
// > 0). Call after applying flags; the error names the setting.
Status validate_config(const ServerConfig& config);

// The number of io threads to run: config.threads, or one per core.
unsigned effective_threads(const ServerConfig& config);

}  // namespace cocity::server
