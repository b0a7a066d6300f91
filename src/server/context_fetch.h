// Fetches a remote JSON-LD @context document over HTTP/1.1 or HTTPS
// (net/http_client.h: the peer's certificate is verified against the
// system CA store plus `extra_ca_file` when not empty) with a deadline and
// a size cap.
//
// Any failure — another scheme, refused or timed-out connection, a failed
// TLS handshake or certificate check, a non-200 status, a body over
// `max_bytes`, a redirect — is kLdContextNotAvailable with a detail naming
// the URL and the cause. The whole fetch (resolve, connect, handshake,
// send, receive) ends within `timeout`.
//
// Thread-safe (each call uses its own client); it blocks the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cocity::server {

Result<std::string> fetch_context_document(
    std::string_view url, std::chrono::milliseconds timeout, uint64_t max_bytes,
    const std::string& extra_ca_file = "");

}  // namespace cocity::server
