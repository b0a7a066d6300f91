#include "apps/waste/road_graphs.h"

#include <filesystem>

namespace cocity::apps::waste {

RoadGraphs::RoadGraphs(std::string graph_file, std::string data_dir)
    : graph_file_(std::move(graph_file)), data_dir_(std::move(data_dir)) {}

std::string RoadGraphs::path_for(const std::string& tenant) const {
  if (!graph_file_.empty()) return graph_file_;
  std::string name = tenant.empty() ? "default" : tenant;
  return (std::filesystem::path(data_dir_) / "roads" / (name + ".graph"))
      .string();
}

Result<std::shared_ptr<const RoadIndex>> RoadGraphs::for_tenant(
    const std::string& tenant) {
  std::string path = path_for(tenant);
  std::lock_guard lock(mu_);
  if (auto it = loaded_.find(path); it != loaded_.end()) return it->second;
  auto index = RoadIndex::load(path);
  if (!index) {
    std::string how =
        graph_file_.empty()
            ? " (build it with `cocity import osm FILE "
              "--data-dir DIR --tenant " +
                  (tenant.empty() ? std::string("default") : tenant) + "`)"
            : " (set by --roads / roads_graph)";
    return fail(Code::kUnavailable,
                "no road graph for waste plans: " + index.error().detail + how);
  }
  loaded_[path] = *index;
  return *index;
}

}  // namespace cocity::apps::waste
