#include "roads/osm_reader.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <osmium/handler.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/visitor.hpp>

#include "roads/car_profile.h"
#include "roads/components.h"

namespace cocity::roads {
namespace {

struct RoutableWay {
  int64_t id = 0;
  CarWay car;
  size_t first_ref = 0;  // into WayCollector::refs
  size_t ref_count = 0;
};

std::string_view tag(const osmium::TagList& tags, const char* key) {
  const char* v = tags.get_value_by_key(key);
  return v ? std::string_view(v) : std::string_view();
}

WayTags way_tags(const osmium::TagList& t) {
  return {tag(t, "highway"),       tag(t, "maxspeed"), tag(t, "oneway"),
          tag(t, "junction"),      tag(t, "access"),   tag(t, "vehicle"),
          tag(t, "motor_vehicle"), tag(t, "motorcar"), tag(t, "area")};
}

// Pass 1: the routable ways and the node ids they reference.
class WayCollector : public osmium::handler::Handler {
 public:
  void way(const osmium::Way& way) {
    std::optional<CarWay> car = car_way(way_tags(way.tags()));
    if (!car || way.nodes().size() < 2) return;
    RoutableWay w{way.id(), *car, refs.size(), way.nodes().size()};
    for (const osmium::NodeRef& r : way.nodes()) refs.push_back(r.ref());
    ways.push_back(w);
  }

  std::vector<RoutableWay> ways;
  std::vector<int64_t> refs;
};

// Pass 2: coordinates of the referenced nodes. `ids` is sorted and unique;
// coords[i] is valid when found[i].
class NodeCollector : public osmium::handler::Handler {
 public:
  explicit NodeCollector(const std::vector<int64_t>& ids)
      : coords(ids.size()), found(ids.size(), false), ids_(ids) {}

  void node(const osmium::Node& node) {
    auto it = std::lower_bound(ids_.begin(), ids_.end(), node.id());
    if (it == ids_.end() || *it != node.id() || !node.location().valid()) {
      return;
    }
    size_t i = it - ids_.begin();
    coords[i] = {node.location().lat(), node.location().lon()};
    found[i] = true;
  }

  std::vector<LatLon> coords;
  std::vector<bool> found;

 private:
  const std::vector<int64_t>& ids_;
};

uint32_t duration_ms(double distance_m, double speed_kmh) {
  double ms = distance_m / (speed_kmh / 3.6) * 1000.0;
  return static_cast<uint32_t>(std::max(1.0, std::round(ms)));
}

void add_segment(const RoutableWay& w, NodeId a, NodeId b, float length_m,
                 std::vector<Arc>* arcs) {
  uint32_t ms = duration_ms(length_m, w.car.speed_kmh);
  if (w.car.direction != Direction::kBackward) {
    arcs->push_back({a, b, ms, length_m, w.id});
  }
  if (w.car.direction != Direction::kForward) {
    arcs->push_back({b, a, ms, length_m, w.id});
  }
}

Result<Graph> assemble(const WayCollector& ways, const NodeCollector& nodes,
                       const std::vector<int64_t>& ids) {
  // Graph nodes are the referenced OSM nodes that were found, in id order.
  std::vector<NodeId> node_of(ids.size(), kNoId);
  std::vector<LatLon> coords;
  std::vector<int64_t> osm_ids;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!nodes.found[i]) continue;
    node_of[i] = static_cast<NodeId>(coords.size());
    coords.push_back(nodes.coords[i]);
    osm_ids.push_back(ids[i]);
  }
  auto graph_node = [&](int64_t osm_id) {
    auto it = std::lower_bound(ids.begin(), ids.end(), osm_id);
    return node_of[it - ids.begin()];
  };
  std::vector<Arc> arcs;
  for (const RoutableWay& w : ways.ways) {
    for (size_t k = 1; k < w.ref_count; ++k) {
      NodeId a = graph_node(ways.refs[w.first_ref + k - 1]);
      NodeId b = graph_node(ways.refs[w.first_ref + k]);
      if (a == kNoId || b == kNoId || a == b) continue;
      auto length = static_cast<float>(distance_m(coords[a], coords[b]));
      add_segment(w, a, b, length, &arcs);
    }
  }
  if (arcs.empty()) {
    return fail(Code::kBadRequestData,
                "OSM data contains no road segment a car may use");
  }
  return make_graph(std::move(coords), std::move(osm_ids), std::move(arcs));
}

Result<Graph> build(const osmium::io::File& file, const BuildOptions& options) {
  WayCollector ways;
  {
    osmium::io::Reader reader(file, osmium::osm_entity_bits::way);
    osmium::apply(reader, ways);
    reader.close();
  }
  std::vector<int64_t> ids = ways.refs;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  NodeCollector nodes(ids);
  {
    osmium::io::Reader reader(file, osmium::osm_entity_bits::node);
    osmium::apply(reader, nodes);
    reader.close();
  }
  Result<Graph> graph = assemble(ways, nodes, ids);
  if (!graph || !options.keep_largest_component) return graph;
  return largest_strong_component(*graph);
}

template <typename F>
Result<Graph> guarded(std::string_view what, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return fail(Code::kBadRequestData,
                "cannot read OSM data " + std::string(what) + ": " + e.what());
  } catch (...) {
    return fail(Code::kBadRequestData,
                "cannot read OSM data " + std::string(what));
  }
}

}  // namespace

Result<Graph> build_graph_from_file(const std::string& path,
                                    const BuildOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(Code::kNotFound, "OSM file '" + path + "' does not exist");
  }
  return guarded("'" + path + "'",
                 [&] { return build(osmium::io::File(path), options); });
}

Result<Graph> build_graph_from_memory(std::string_view data,
                                      std::string_view format,
                                      const BuildOptions& options) {
  return guarded("from memory", [&] {
    return build(
        osmium::io::File(data.data(), data.size(), std::string(format)),
        options);
  });
}

}  // namespace cocity::roads
