#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace cocity::cli {

void AddKeyCommand(CLI::App& app) { (void)app; }

}  // namespace cocity::cli
