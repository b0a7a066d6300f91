#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace cocity::cli {

void AddVrpCommand(CLI::App& app) {
  // Placeholder until the module lands.
  (void)app;
}

}  // namespace cocity::cli
