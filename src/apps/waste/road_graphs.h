// Where the waste app finds each tenant's road graph: one configured file
// for all tenants, or <data_dir>/roads/<tenant>.graph as written by
// `cocity import osm --tenant T` ("default" for the default tenant).
// Graphs are loaded on first use and kept; a missing file is looked for
// again on the next request (it may be imported meanwhile).
//
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "apps/waste/road_index.h"
#include "core/error.h"

namespace cocity::apps::waste {

class RoadGraphs {
 public:
  RoadGraphs(std::string graph_file, std::string data_dir);

  // Errors: kUnavailable with a detail that says which file is missing or
  // broken and how to build it.
  Result<std::shared_ptr<const RoadIndex>> for_tenant(
      const std::string& tenant);

  std::string path_for(const std::string& tenant) const;

 private:
  std::string graph_file_;
  std::string data_dir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const RoadIndex>> loaded_;  // by path
};

}  // namespace cocity::apps::waste
