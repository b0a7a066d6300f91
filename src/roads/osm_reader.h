// Builds the car road graph from OpenStreetMap data (XML, .osm.gz, .osm.bz2
// or PBF, read with libosmium).
//
// The file is read twice: first the ways (to pick the car-routable ones with
// car_profile.h), then the nodes they reference. Segments whose nodes are
// missing from the extract are skipped. By default only the largest strongly
// connected component is kept (components.h).
//
// Errors: a missing file is kNotFound; unreadable or malformed data, or data
// without a single routable segment, is kBadRequestData with libosmium's
// message. Never throws.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "roads/graph.h"

namespace cocity::roads {

struct BuildOptions {
  bool keep_largest_component = true;
};

// Reads `path`; the format follows the file name (".osm", ".osm.gz",
// ".osm.pbf", ...).
Result<Graph> build_graph_from_file(const std::string& path,
                                    const BuildOptions& options = {});

// Reads OSM data held in memory; `format` is a libosmium format name such as
// "osm" (XML) or "pbf".
Result<Graph> build_graph_from_memory(std::string_view data,
                                      std::string_view format,
                                      const BuildOptions& options = {});

}  // namespace cocity::roads
