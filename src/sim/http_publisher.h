// Publishes readings to a cocity server as NGSI-LD batch upserts
// (POST /ngsi-ld/v1/entityOperations/upsert?options=update, at most 1,000
// entities a request), over one keep-alive HTTP/1.1 connection, plain or
// TLS (net/http_client.h; the server's certificate is verified against the
// system CA store, SSL_CERT_FILE, or `ca_file`).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/error.h"
#include "sim/simulator.h"

namespace cocity::sim {

struct HttpTarget {
  bool https = false;
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string ca_file;  // extra trusted CA certificates (PEM), or ""
  std::string tenant;   // NGSILD-Tenant; empty for the default tenant
  std::string api_key;  // Bearer key; empty in open mode
  std::chrono::milliseconds timeout{10000};
};

// Parses "http[s]://HOST[:PORT]" (no path).
Result<HttpTarget> parse_http_url(std::string_view url);

std::unique_ptr<Publisher> make_http_publisher(const HttpTarget& target);

}  // namespace cocity::sim
