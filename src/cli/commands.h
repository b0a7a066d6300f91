// The subcommands of the `cocity` binary. Each Add*Command registers one
// subcommand (and its flags) on the app; its callback parses nothing more
// and calls into the libraries. A callback's return code becomes the
// process exit code through set_exit_code.
#pragma once

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's namespace
class App;
}

namespace cocity::cli {

void add_serve_command(CLI::App& app);   // cocity serve
void add_demo_command(CLI::App& app);    // cocity demo
void add_key_command(CLI::App& app);     // cocity key create|list|revoke
void add_vrp_command(CLI::App& app);     // cocity vrp solve
void add_import_command(CLI::App& app);  // cocity import osm
void add_sim_command(CLI::App& app);     // cocity sim

// Records the exit code main() returns after the command ran.
void set_exit_code(int code);
int exit_code();

}  // namespace cocity::cli
