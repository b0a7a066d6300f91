#include <atomic>

#include "cli/commands.h"

namespace cocity::cli {
namespace {
std::atomic<int> exit_code{0};
}
void SetExitCode(int code) { exit_code = code; }
int ExitCode() { return exit_code; }
}  // namespace cocity::cli
