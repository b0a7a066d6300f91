// The flags `serve` and `demo` share, and how they combine with the
// configuration file and the environment: defaults < file < environment <
// flags.
#pragma once

#include <string>

#include "core/error.h"
#include "server/config.h"

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's namespace
class App;
}

namespace cocity::cli {

struct ServerFlags {
  std::string config_file;
  std::string bind;
  int port = -1;
  int threads = -1;
  std::string data_dir;
  std::string roads_graph;
  std::string mqtt_url;
  std::string mqtt_share_group;
  bool open = false;

  void attach(CLI::App* cmd);
  // Applies file, environment and the flags that were given onto `base`.
  Result<server::ServerConfig> resolve(server::ServerConfig base) const;
};

}  // namespace cocity::cli
