// Feeds arbitrary bytes to the cayenne lpp payload decoder (cayenne_lpp.h).
// The first byte picks profile parameters, so parameter checks are
// exercised too.
#include <cstddef>
#include <cstdint>
#include <span>

#include "ingest/cayenne_lpp.h"

using namespace cocity;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  json::object params;
  if (size > 0) {
    params["depth_m"] = data[0] / 50.0;
    params["full_distance_m"] = (data[0] & 7) / 10.0;
    ++data;
    --size;
  }
  (void)ingest::decode_cayenne_lpp(std::span<const uint8_t>(data, size),
                                   params);
  return 0;
}
