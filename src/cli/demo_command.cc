#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace cocity::cli {

void AddDemoCommand(CLI::App& app) { (void)app; }

}  // namespace cocity::cli
