#include "ingest/reading_fragment.h"

#include "ngsi/context.h"

namespace cocity::ingest {

Result<ngsi::Fragment> make_reading_fragment(const Device& device,
                                             const Measurements& values,
                                             TimePoint observed_at,
                                             TimePoint now) {
  json::object doc;
  doc["id"] = device.entity_id;
  doc["type"] = device.entity_type;
  std::string observed = format_iso_time(observed_at);
  for (const auto& m : values) {
    json::object a;
    a["type"] = m.geo ? "GeoProperty" : "Property";
    a["value"] = m.value;
    a["observedAt"] = observed;
    if (!m.unit_code.empty()) a["unitCode"] = m.unit_code;
    doc[m.name] = std::move(a);
  }
  return ngsi::parse_fragment(json::value(std::move(doc)),
                              *ngsi::Context::core(), now, false);
}

Result<ngsi::Fragment> make_announce_fragment(const Device& device,
                                              TimePoint now) {
  json::object doc;
  doc["id"] = device.entity_id;
  doc["type"] = device.entity_type;
  json::object ref;
  ref["type"] = "Relationship";
  ref["object"] = device_entity_id(device.id);
  doc["refDevice"] = std::move(ref);
  if (!device.location.is_null()) {
    json::object g;
    g["type"] = "GeoProperty";
    g["value"] = device.location;
    doc["location"] = std::move(g);
  }
  return ngsi::parse_fragment(json::value(std::move(doc)),
                              *ngsi::Context::core(), now, false);
}

}  // namespace cocity::ingest
