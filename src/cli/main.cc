#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"cocity: the open platform for municipal digitalisation"};
  app.require_subcommand(1);
  cocity::cli::AddServeCommand(app);
  cocity::cli::AddDemoCommand(app);
  cocity::cli::AddKeyCommand(app);
  cocity::cli::AddVrpCommand(app);
  cocity::cli::AddImportCommand(app);
  CLI11_PARSE(app, argc, argv);
  return cocity::cli::ExitCode();
}
