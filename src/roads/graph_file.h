// The road network file: a graph and its contraction hierarchy, built once
// by `cocity import osm` and loaded by the server and the solver. The byte
// layout (little-endian, versioned, FNV-1a checksum) is documented in
// docs/roads.md.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "roads/ch.h"
#include "roads/graph.h"

namespace cocity::roads {

struct RoadNetwork {
  Graph graph;
  ContractedGraph ch;
};

inline constexpr uint32_t kGraphFileVersion = 1;

// Writes atomically (a temporary file in the same directory, then rename).
// Errors: kInternal with the path and the system's reason.
Status write_road_network(const RoadNetwork& network, const std::string& path);

// Reads and fully validates a file. Errors: kNotFound when missing;
// kBadRequestData for a wrong magic, an unknown version, a checksum
// mismatch, a truncated file or inconsistent contents. Never crashes on a
// corrupted file.
Result<RoadNetwork> read_road_network(const std::string& path);

// The same checks on the bytes of a file held in memory; `name` appears in
// error messages. The entry point for fuzzing.
Result<RoadNetwork> parse_road_network(std::string_view bytes,
                                       const std::string& name);

}  // namespace cocity::roads
