// History retention as the configuration writes it: an ISO 8601 duration
// with calendar units allowed, P[nY][nM][nW][nD][T[nH][nM][nS]] ("P2Y",
// "P18M", "P90D", "PT12H"), whole numbers only. A year counts 365 days and
// a month 30 (retention need not be exact to the day). "P0D" keeps history
// for ever.
#pragma once

#include <chrono>
#include <string_view>

#include "core/error.h"

namespace cocity::server {

// kInvalidRequest naming the text otherwise.
Result<std::chrono::seconds> parse_retention(std::string_view text);

}  // namespace cocity::server
