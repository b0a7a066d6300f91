// "SCHEME://HOST[:PORT]" as the simulator's publishers take them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cocity::sim {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// `scheme` is "http", "https" or "mqtt"; a missing port is `default_port`; a
// trailing '/' is allowed, a path is not. kBadRequestData naming the URL's
// problem otherwise.
Result<HostPort> parse_endpoint_url(std::string_view url,
                                    std::string_view scheme,
                                    uint16_t default_port);

}  // namespace cocity::sim
