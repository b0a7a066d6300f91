// Fetches a remote JSON-LD @context document over HTTP/1.1 with a deadline
// and a size cap. Beast stays inside context_fetch.cc.
//
// Only http:// URLs are fetched; https:// is kLdContextNotAvailable naming
// the limitation (upload such a context with POST /ngsi-ld/v1/jsonldContexts
// instead). Any failure — refused or timed-out connection, a non-200
// status, a body over `max_bytes`, a redirect — is kLdContextNotAvailable
// with a detail naming the URL and the cause. The whole fetch (resolve,
// connect, send, receive) ends within `timeout`.
//
// Thread-safe (each call uses its own io_context); it blocks the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cocity::server {

Result<std::string> fetch_context_document(std::string_view url,
                                           std::chrono::milliseconds timeout,
                                           uint64_t max_bytes);

}  // namespace cocity::server
