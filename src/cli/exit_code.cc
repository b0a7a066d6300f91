#include <atomic>

#include "cli/commands.h"

namespace cocity::cli {
namespace {
std::atomic<int> code_on_exit{0};
}
void set_exit_code(int code) { code_on_exit = code; }
int exit_code() { return code_on_exit; }
}  // namespace cocity::cli
