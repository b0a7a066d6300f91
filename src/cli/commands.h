// The subcommands of the `cocity` binary. Each Add*Command registers one
// subcommand (and its flags) on the app; its callback parses nothing more
// and calls into the libraries. A callback's return code becomes the
// process exit code through SetExitCode.
#pragma once

namespace CLI {
class App;
}

namespace cocity::cli {

void AddServeCommand(CLI::App& app);   // cocity serve
void AddDemoCommand(CLI::App& app);    // cocity demo
void AddKeyCommand(CLI::App& app);     // cocity key create|list|revoke
void AddVrpCommand(CLI::App& app);     // cocity vrp solve
void AddImportCommand(CLI::App& app);  // cocity import osm

// Records the exit code main() returns after the command ran.
void SetExitCode(int code);
int ExitCode();

}  // namespace cocity::cli
