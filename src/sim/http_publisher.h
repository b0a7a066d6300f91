// Publishes readings to a cocity server as NGSI-LD batch upserts
// (POST /ngsi-ld/v1/entityOperations/upsert?options=update, at most 1,000
// entities a request), over one keep-alive HTTP/1.1 connection.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/error.h"
#include "sim/simulator.h"

namespace cocity::sim {

struct HttpTarget {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string tenant;   // NGSILD-Tenant; empty for the default tenant
  std::string api_key;  // Bearer key; empty in open mode
  std::chrono::milliseconds timeout{10000};
};

// Parses "http://HOST:PORT" (no path; https is not supported).
Result<HttpTarget> parse_http_url(std::string_view url);

std::unique_ptr<Publisher> make_http_publisher(const HttpTarget& target);

}  // namespace cocity::sim
