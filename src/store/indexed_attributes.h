// Which attributes a tenant's value index covers (store/value_index.h),
// from the server's configuration ([query] indexed_attributes).
//
// Each name is either an absolute IRI (matched exactly) or a plain term
// such as "fillingLevel", which matches every attribute IRI whose last
// segment (after the last '/' or '#') is that term, whatever @context
// expanded it (the default vocabulary, Smart Data Models, ...). `all`
// covers every attribute (about 80 bytes per indexed value; 240 MB for 1M
// entities of 3 values each).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cocity::store {

struct IndexedAttributes {
  bool all = false;
  std::vector<std::string> names;

  // What the apps and dashboards filter on: fillingLevel, wasteType,
  // status, no2, pm10, pm25, o3, intensity, occupancy, congested,
  // averageVehicleSpeed, refDevice, category.
  static IndexedAttributes defaults();
  // Reads a configured list: "*" alone means every attribute.
  static IndexedAttributes from_list(std::vector<std::string> names);
  // Whether attribute `iri` is covered.
  bool covers(std::string_view iri) const;
};

}  // namespace cocity::store
