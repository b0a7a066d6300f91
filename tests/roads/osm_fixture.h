// Helpers for road tests: tiny OSM XML documents written in the test, and
// the location of the shared Kaiserslautern extract.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "roads/osm_reader.h"

namespace cocity::roads::testing {

struct OsmNode {
  int64_t id;
  double lat;
  double lon;
};

struct OsmWay {
  int64_t id;
  std::vector<int64_t> refs;
  std::vector<std::pair<std::string, std::string>> tags;
};

inline std::string osm_xml(const std::vector<OsmNode>& nodes,
                           const std::vector<OsmWay>& ways) {
  std::ostringstream out;
  out.precision(10);
  out << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n";
  for (const OsmNode& n : nodes) {
    out << "  <node id=\"" << n.id << "\" version=\"1\" lat=\"" << n.lat
        << "\" lon=\"" << n.lon << "\"/>\n";
  }
  for (const OsmWay& w : ways) {
    out << "  <way id=\"" << w.id << "\" version=\"1\">\n";
    for (int64_t r : w.refs) out << "    <nd ref=\"" << r << "\"/>\n";
    for (const auto& [k, v] : w.tags) {
      out << "    <tag k=\"" << k << "\" v=\"" << v << "\"/>\n";
    }
    out << "  </way>\n";
  }
  out << "</osm>\n";
  return out.str();
}

inline Result<Graph> graph_from(const std::vector<OsmNode>& nodes,
                                const std::vector<OsmWay>& ways,
                                bool keep_largest_component = false) {
  return build_graph_from_memory(
      osm_xml(nodes, ways), "osm",
      {.keep_largest_component = keep_largest_component});
}

// ../shared/data/osm/<name> next to the repository, or "" when absent.
inline std::string shared_osm_file(const std::string& name) {
  const char* root = std::getenv("COCITY_SOURCE_DIR");
  if (root == nullptr) return "";
  std::filesystem::path p =
      std::filesystem::path(root) / ".." / "shared" / "data" / "osm" / name;
  return std::filesystem::exists(p) ? p.string() : "";
}

// The graph edge from OSM node a to OSM node b, or kNoId.
inline EdgeId find_edge(const Graph& g, int64_t a, int64_t b) {
  for (EdgeId e = 0; e < g.edge_count(); ++e) {
    if (g.osm_node_id[g.tail[e]] == a && g.osm_node_id[g.head[e]] == b)
      return e;
  }
  return kNoId;
}

}  // namespace cocity::roads::testing
