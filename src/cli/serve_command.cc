#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace cocity::cli {

void AddServeCommand(CLI::App& app) { (void)app; }

}  // namespace cocity::cli
