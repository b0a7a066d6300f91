// cocity import osm FILE [--data-dir DIR] [--tenant T]
//
// Builds the car road graph and its contraction hierarchy from an OSM
// extract once and writes <data_dir>/roads/<tenant>.graph (docs/roads.md).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "roads/ch.h"
#include "roads/graph_file.h"
#include "roads/osm_reader.h"

namespace cocity::cli {
namespace {

struct ImportOsmFlags {
  std::string file;
  std::string data_dir = "cocity-data";
  std::string tenant = "default";
};

// Tenant names become file names: letters, digits, '-' and '_' only.
bool valid_tenant(const std::string& t) {
  if (t.empty() || t.size() > 64) return false;
  for (char c : t) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

int import_osm(const ImportOsmFlags& flags) {
  if (!valid_tenant(flags.tenant)) {
    std::fprintf(stderr,
                 "cocity import osm: --tenant '%s' must be 1-64 letters, "
                 "digits, '-' or '_'\n",
                 flags.tenant.c_str());
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  auto graph = roads::build_graph_from_file(flags.file);
  if (!graph) {
    std::fprintf(stderr, "cocity import osm: %s\n",
                 graph.error().detail.c_str());
    return 1;
  }
  roads::RoadNetwork network;
  network.ch = roads::contract(*graph);
  network.graph = std::move(*graph);
  std::filesystem::path dir = std::filesystem::path(flags.data_dir) / "roads";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "cocity import osm: cannot create '%s': %s\n",
                 dir.c_str(), ec.message().c_str());
    return 1;
  }
  std::string out = (dir / (flags.tenant + ".graph")).string();
  if (auto s = roads::write_road_network(network, out); !s) {
    std::fprintf(stderr, "cocity import osm: %s\n", s.error().detail.c_str());
    return 1;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("%s: %zu nodes, %zu edges, %zu shortcuts, built in %.2f s\n",
              out.c_str(), network.graph.node_count(),
              network.graph.edge_count(), network.ch.shortcut_count(), seconds);
  return 0;
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("import", "Import external data");
  cmd->require_subcommand(1);
  auto* osm = cmd->add_subcommand(
      "osm", "Build the road graph of a municipality from an OSM extract");
  auto flags = std::make_shared<ImportOsmFlags>();
  osm->add_option("FILE", flags->file, "OSM file (.osm, .osm.gz, .osm.pbf)")
      ->required();
  osm->add_option("--data-dir", flags->data_dir, "Data directory")
      ->capture_default_str();
  osm->add_option("--tenant", flags->tenant, "Tenant (municipality)")
      ->capture_default_str();
  osm->callback([flags] { set_exit_code(import_osm(*flags)); });
}

}  // namespace cocity::cli
