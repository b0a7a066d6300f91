#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.h"
#include "cli/run_server.h"
#include "cli/server_flags.h"

namespace cocity::cli {

void add_serve_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Run the cocity server");
  auto flags = std::make_shared<ServerFlags>();
  flags->attach(cmd);
  cmd->callback([flags] {
    auto config = flags->resolve(server::ServerConfig{});
    if (!config) {
      std::fprintf(stderr, "cocity serve: %s\n", config.error().detail.c_str());
      set_exit_code(2);
      return;
    }
    set_exit_code(run_server(*config, nullptr));
  });
}

}  // namespace cocity::cli
