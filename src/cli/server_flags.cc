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
  if (open) c.open = true;
  if (auto s = server::validate_config(c); !s)
    return std::unexpected(s.error());
  return c;
}

}  // namespace cocity::cli
