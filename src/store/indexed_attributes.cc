#include "store/indexed_attributes.h"

#include <algorithm>

namespace cocity::store {

IndexedAttributes IndexedAttributes::defaults() {
  return from_list({"fillingLevel", "wasteType", "status", "no2", "pm10",
                    "pm25", "o3", "intensity", "occupancy", "congested",
                    "averageVehicleSpeed", "refDevice", "category"});
}

IndexedAttributes IndexedAttributes::from_list(std::vector<std::string> names) {
  IndexedAttributes a;
  a.all = std::find(names.begin(), names.end(), "*") != names.end();
  if (!a.all) a.names = std::move(names);
  return a;
}

bool IndexedAttributes::covers(std::string_view iri) const {
  if (all) return true;
  size_t cut = iri.find_last_of("/#");
  std::string_view last =
      cut == std::string_view::npos ? iri : iri.substr(cut + 1);
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) {
    return n == iri || n == last;
  });
}

}  // namespace cocity::store
