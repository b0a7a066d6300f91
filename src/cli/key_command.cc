#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace cocity::cli {

void add_key_command(CLI::App& app) { (void)app; }

}  // namespace cocity::cli
