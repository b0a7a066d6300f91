#include "cli/server_flags.h"

#include <CLI/CLI.hpp>

namespace cocity::cli {

void ServerFlags::attach(CLI::App* cmd) {
  cmd->add_option("--config", config_file, "TOML configuration file");
  cmd->add_option("--port", port, "TCP port to listen on")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--bind", bind, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--data-dir", data_dir, "Folder of the tenants' databases");
  cmd->add_option("--threads", threads,
                  "Server threads (default: one per core)")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--roads", roads_graph,
                  "Road graph for waste plans (cocity import osm); default: "
                  "<data-dir>/roads/<tenant>.graph");
  cmd->add_option("--mqtt", mqtt_url,
                  "MQTT broker to ingest from: mqtt://HOST:PORT");
  cmd->add_option("--mqtt-share-group", mqtt_share_group,
                  "MQTT 5 shared-subscription group (several nodes)");
  cmd->add_flag("--open", open,
                "Open mode: no API keys needed (local demos only)");
}

Result<server::ServerConfig> ServerFlags::resolve(
    server::ServerConfig c) const {
  if (!config_file.empty()) {
    if (auto s = server::apply_config_file(config_file, &c); !s) {
      return std::unexpected(s.error());
    }
  }
  if (auto s = server::apply_environment(&c); !s)
    return std::unexpected(s.error());
  if (!bind.empty()) c.bind = bind;
  if (port >= 0) c.port = static_cast<uint16_t>(port);
  if (threads >= 0) c.threads = static_cast<unsigned>(threads);
  if (!data_dir.empty()) c.data_dir = data_dir;
  if (!roads_graph.empty()) c.roads_graph = roads_graph;
  if (!mqtt_url.empty()) c.mqtt_url = mqtt_url;
  if (!mqtt_share_group.empty()) c.mqtt_share_group = mqtt_share_group;
  if (open) c.open = true;
  if (auto s = server::validate_config(c); !s)
    return std::unexpected(s.error());
  return c;
}

}  // namespace cocity::cli
