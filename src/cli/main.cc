#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"cocity: the open platform for municipal digitalisation"};
  app.require_subcommand(1);
  cocity::cli::add_serve_command(app);
  cocity::cli::add_demo_command(app);
  cocity::cli::add_key_command(app);
  cocity::cli::add_vrp_command(app);
  cocity::cli::add_import_command(app);
  cocity::cli::add_sim_command(app);
  CLI11_PARSE(app, argc, argv);
  return cocity::cli::exit_code();
}
