// cocity's one HTTP(S) client: blocking requests over HTTP/1.1, plain or
// TLS, with deadlines and a response size limit (Boost.Beast, asio::ssl
// over OpenSSL). Notifications, remote @context documents and the
// simulator's HTTP publisher all go through it.
//
// A request resolves the host, connects (bounded by `connect_timeout`),
// does the TLS handshake for https://, sends and reads the answer; the
// whole request ends within `total_timeout`. Any status is a Response;
// only transport problems are errors: kUnavailable with a detail naming
// the URL and the step (resolve, connect, TLS handshake or certificate,
// send, receive, the size limit, the deadline). Redirects are not
// followed. Never throws.
//
// TLS: the peer's certificate chain is verified against the system CA
// store (OpenSSL's default paths, which honour SSL_CERT_FILE and
// SSL_CERT_DIR) plus `extra_ca_file` when set, and its name against the
// URL's host (DNS name or IP address); SNI carries the host name. There is
// no switch to turn verification off.
//
// With `keep_alive`, the connection of the last request stays open and is
// reused by the next request to the same scheme, host and port; when a
// reused connection fails before any byte of the answer arrived (the peer
// closed it while idle), the request is sent once more on a fresh one.
//
// Not thread-safe: one client per thread (or per delivery queue).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cocity::net {

// An absolute http:// or https:// URL, taken apart.
struct Url {
  bool https = false;
  std::string host;          // without brackets for IPv6 literals
  uint16_t port = 0;         // 80 / 443 when the URL names none
  std::string target = "/";  // path and query; the fragment is dropped

  // "host" or "host:port" as the Host header wants it.
  std::string authority() const;
};

// kBadRequestData naming the problem: another scheme, user info, no host,
// a bad port.
Result<Url> parse_url(std::string_view url);

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{10000};
  uint64_t max_response_bytes = uint64_t{16} << 20;  // body only
  std::string extra_ca_file;  // PEM certificates trusted besides the system's
  bool keep_alive = true;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;   // added as given; Host and User-Agent unless present
  std::string body;  // sent with Content-Length when not empty
};

struct Response {
  unsigned status = 0;
  Headers headers;
  std::string body;

  // The first header of that name (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<Response> request(const Request& request);

  // Closes a kept-alive connection, if any.
  void close();

  const ClientOptions& options() const { return options_; }

 private:
  struct Impl;
  ClientOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cocity::net
