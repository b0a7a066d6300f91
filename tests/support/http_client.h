// Test support: a small synchronous HTTP/1.1 client and a helper that runs a
// real `cocity serve` process on a free loopback port.
//
// Both are for tests only (library cocity_test_support). Neither throws:
// transport failures are reported in Response::error (status 0) or as an
// Error; tests assert on them like on any other value.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cocity::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  Headers headers;  // e.g. {"content-type", "application/json"}
};

struct Response {
  unsigned status = 0;  // 0: no response (see error)
  Headers headers;      // names lower-cased, in the order received
  std::string body;
  std::string error;  // transport error, empty on success

  // The first header with this lower-case name, or "" if absent.
  std::string_view header(std::string_view lower_name) const;
  bool has_header(std::string_view lower_name) const;
};

// One keep-alive connection to 127.0.0.1:port, opened on first use and
// reopened when the server closed it (after "Connection: close" or an error).
// A request that fails on a reused connection before any response byte
// arrived is retried once on a fresh connection (the server may have closed
// an idle connection). Every operation times out after `timeout`.
//
// Not thread-safe: use one client per thread.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port, std::chrono::milliseconds timeout =
                                         std::chrono::seconds(10));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads its response. Adds Host and, when `body` is
  // non-empty or the method is POST/PUT/PATCH, Content-Length.
  Response request(std::string_view method, std::string_view target,
                   std::string_view body = {}, const Headers& headers = {});
  Response request(const Request& request);
  Response get(std::string_view target, const Headers& headers = {});

  // Writes all requests at once (HTTP pipelining), then reads one response
  // per request. Stops at the first transport error (that response carries
  // it; later ones are missing).
  std::vector<Response> pipeline(const std::vector<Request>& requests);

  // Writes raw bytes (for malformed requests) and reads one response.
  Response raw(std::string_view bytes);

  // Whether a connection is open now (false after the server closed it).
  bool connected() const;
  // How many TCP connections were opened so far (keep-alive tests).
  int connections_opened() const;
  void close();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// A loopback port that was free a moment ago (bind to port 0, then close).
uint16_t pick_free_port();

// Runs `command` with /bin/sh and collects its stdout in `*out`. Returns its
// exit code, or -1 when it could not run or was killed.
int run_command(const std::string& command, std::string* out);

// The `cocity` binary tests run: $COCITY_BINARY, else this build tree's
// (compiled in); "" when neither is known.
std::string cocity_binary();

// A `cocity serve` child process with its own temporary folder holding the
// data directory (data_dir()) and the server's stdout/stderr (log_path()).
//
// The binary is $COCITY_BINARY (set by cocity_test), else the `cocity`
// target of this build tree (compiled in as COCITY_DEFAULT_BINARY). The data
// directory survives stop and restart, so crash-recovery tests can start()
// again after kill(SIGKILL); the destructor kills a running server (SIGKILL)
// and removes the temporary folder.
class ServerProcess {
 public:
  ServerProcess();
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Runs `$COCITY_BINARY serve --bind 127.0.0.1 --port P --data-dir D
  // <args...>` and waits until GET /health answers 200. Fails (after killing
  // the child) when the binary is missing, the process exits early or
  // /health does not answer within `timeout`; the detail then includes the
  // tail of the server's log. Extra environment variables ("NAME=value") are
  // added to the child's environment.
  Status start(const std::vector<std::string>& args = {},
               const std::vector<std::string>& env = {},
               std::chrono::milliseconds timeout = std::chrono::seconds(15));

  uint16_t port() const;  // after start()
  pid_t pid() const;      // -1 when not running
  bool running();         // reaps the child if it exited
  const std::string& data_dir() const;
  std::string log_path() const;
  std::string log_text() const;  // the server's output so far

  // Sends `signal` (e.g. SIGTERM, SIGKILL) to the child.
  void kill(int signal);
  // Waits for the child to exit. Returns its exit code, 128+signal when it
  // was killed by a signal, or -1 on timeout or when no child runs.
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(15));

 private:
  std::string root_;      // temporary folder
  std::string data_dir_;  // root_/data
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  int last_exit_ = -1;
};

}  // namespace cocity::test
