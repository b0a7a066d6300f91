// Structured logs on spdlog: one line per event with a time, a level, a
// message and key=value fields, as text or as JSON lines.
//
//   text: 2026-11-25T15:09:47.123Z info request method=GET status=200
//   json: {"time":"2026-11-25T15:09:47.123Z","level":"info","msg":"request",
//          "method":"GET","status":"200"}
//
// Plain spdlog calls elsewhere in cocity keep working: their text becomes
// "msg" without fields.
#pragma once

#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include <initializer_list>
#include <memory>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace cocity::server {

// Replaces spdlog's default logger with one writing to stderr in `format`
// ("text" or "json") at `level` (spdlog level names: trace .. off; "warn" is
// accepted). kInvalidRequest naming the setting for other values.
Status setup_logging(std::string_view level, std::string_view format);

// The formatter setup_logging installs on its sink, for extra sinks (tests
// capture output with it). REQUIRES: format is "text" or "json".
std::unique_ptr<spdlog::formatter> make_log_formatter(std::string_view format);

using LogFields =
    std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Logs `msg` with `fields` through spdlog's default logger; cheap when the
// level is disabled. Thread-safe.
void log_event(spdlog::level::level_enum level, std::string_view msg,
               LogFields fields = {});

}  // namespace cocity::server
