// The HTTP server: Boost.Beast over Asio, HTTP/1.1 keep-alive, a pool of
// threads running one io_context.
//
// For each request it: enforces the body-size limit (413), resolves the
// route (404/405), validates NGSILD-Tenant (400), authenticates the Bearer
// key and checks its role for the tenant (401/403, skipped in open mode),
// then calls the handler. It records request counts and latencies in the
// metrics registry and writes one structured log line per request at debug
// level (warnings for 5xx).
//
// Lifecycle: start() binds and begins accepting; wait() blocks until
// shutdown() completes. shutdown() (also called on SIGTERM/SIGINT when
// handle_signals() was called): stop accepting, let in-flight requests
// finish and their replies be written, then return from wait().
#pragma once

#include <cstdint>
#include <memory>

#include "core/error.h"
#include "server/config.h"
#include "server/metrics.h"
#include "server/router.h"

namespace cocity::store {
class KeyStore;
}

namespace cocity::server {

class Server {
 public:
  // `router`, `keys` and `metrics` must outlive the server. `keys` may be
  // null only in open mode.
  Server(const ServerConfig& config, const Router* router,
         store::KeyStore* keys, Metrics* metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status start();
  uint16_t port() const;  // the bound port, after start()
  void handle_signals();  // SIGTERM and SIGINT call shutdown()
  void wait();
  void shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cocity::server
