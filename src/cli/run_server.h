// Runs the cocity server with a configuration: opens the store, wires the
// broker, the NGSI-LD API, /health and /metrics, starts serving and blocks
// until SIGTERM/SIGINT, then drains in-flight requests, commits and closes
// the store. Shared by `cocity serve` and `cocity demo`.
#pragma once

#include <cstdint>
#include <functional>

#include "broker/broker.h"
#include "server/config.h"

namespace cocity::cli {

// Called once the server listens, before it blocks; `demo` loads its city
// here. Returns the process exit code (0 after a clean shutdown).
using OnStarted = std::function<void(broker::Broker& broker, uint16_t port)>;
int run_server(const server::ServerConfig& config, const OnStarted& on_started);

}  // namespace cocity::cli
