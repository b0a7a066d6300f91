// Devices' own API keys: "cd_" followed by 64 lower-case hex characters
// (32 random bytes from OpenSSL). Only the SHA-256 (lower-case hex) of the
// whole key is stored, as for the server's API keys.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cocity::ingest {

// kInternal when the random generator fails.
Result<std::string> make_device_key();
std::string hash_device_key(std::string_view key);
// Constant-time comparison of `key`'s hash with `expected_hash`.
bool device_key_matches(std::string_view key, std::string_view expected_hash);

}  // namespace cocity::ingest
