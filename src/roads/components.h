// Strongly connected components of a road graph.
//
// OSM extracts contain pieces a car cannot leave or enter (a parking aisle
// cut off by an access restriction, a one-way stub at the extract's border).
// Routing between them yields "unreachable", so the importer keeps only the
// largest strongly connected component.
#pragma once

#include <cstdint>
#include <vector>

#include "roads/graph.h"

namespace cocity::roads {

// The component index of every node (0-based, arbitrary order). Iterative
// Tarjan, O(nodes + edges), no recursion.
std::vector<uint32_t> strongly_connected_components(const Graph& g);

// The subgraph induced by the largest strongly connected component.
Graph largest_strong_component(const Graph& g);

}  // namespace cocity::roads
