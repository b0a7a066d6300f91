#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace cocity::cli {

void add_import_command(CLI::App& app) {
  // Placeholder until the module lands.
  (void)app;
}

}  // namespace cocity::cli
