// Feeds arbitrary bytes through the path of a LoRaWAN webhook body: The
// Things Stack v3 and ChirpStack v4 uplink parsing (JSON, base64, DevEUI,
// time), then every payload profile on what was decoded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/lorawan_uplink.h"
#include "ingest/payload_profile.h"

using namespace cocity;

namespace {

void decode_all(const ingest::Uplink& u) {
  json::object params;
  params["depth_m"] = 1.5;
  for (const auto& p : ingest::payload_profiles()) {
    if (p.decode != nullptr) (void)p.decode(u.payload, params);
  }
  if (u.decoded) (void)ingest::decode_json_measurements(*u.decoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto u = ingest::parse_tts_uplink(text)) decode_all(*u);
  if (auto u = ingest::parse_chirpstack_uplink(text)) decode_all(*u);
  return 0;
}
