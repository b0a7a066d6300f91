// Base64 (RFC 4648, standard alphabet) decoding of LoRaWAN payloads.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cocity::ingest {

// Decodes `text` with '=' padding optional. Whitespace, characters outside
// the alphabet and impossible lengths are kInvalidRequest naming the
// offending byte offset; never a partial result.
Result<std::vector<uint8_t>> decode_base64(std::string_view text);

}  // namespace cocity::ingest
