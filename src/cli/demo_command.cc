#include <CLI/CLI.hpp>

#include <cstdio>

#include "broker/bulk_load.h"
#include "cli/commands.h"
#include "cli/run_server.h"
#include "cli/server_flags.h"

namespace cocity::cli {

void add_demo_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "demo", "Run the server in open mode with the demo municipality loaded");
  auto flags = std::make_shared<ServerFlags>();
  flags->attach(cmd);
  auto city = std::make_shared<std::string>(COCITY_DATA_DIR
                                            "/demo/kaiserslautern.json");
  cmd->add_option("--city", *city, "NGSI-LD entities to load (JSON array)");
  cmd->callback([flags, city] {
    server::ServerConfig base;
    base.open = true;
    base.data_dir = "cocity-demo-data";
    auto config = flags->resolve(base);
    if (!config) {
      std::fprintf(stderr, "cocity demo: %s\n", config.error().detail.c_str());
      set_exit_code(2);
      return;
    }
    config->open = true;
    set_exit_code(run_server(*config, [city, bind = config->bind](
                                          broker::Broker& broker,
                                          uint16_t port) {
      auto n = broker::load_entities_file(broker, "", *city);
      if (!n) {
        std::fprintf(stderr, "cocity demo: could not load the demo city: %s\n",
                     n.error().detail.c_str());
        return;
      }
      std::string host = bind == "0.0.0.0" ? "127.0.0.1" : bind;
      std::printf(
          "\ncocity demo is running at http://%s:%u/\n"
          "  %zu entities of the demo municipality (Kaiserslautern) are "
          "loaded.\n"
          "  Try: curl "
          "'http://%s:%u/ngsi-ld/v1/entities?type=WasteContainer&limit=3'\n"
          "  Stop with Ctrl-C.\n\n",
          host.c_str(), port, *n, host.c_str(), port);
      std::fflush(stdout);
    }));
  });
}

}  // namespace cocity::cli
