// OpenStreetMap data a municipality uploads is untrusted: arbitrary bytes as
// OSM XML and as PBF must give a graph or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "roads/osm_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The first byte picks the format so that one corpus covers both.
  if (bytes.empty()) return 0;
  std::string_view format = (bytes[0] & 1) ? "pbf" : "osm";
  auto graph = cocity::roads::build_graph_from_memory(bytes.substr(1), format);
  (void)graph;
  return 0;
}
