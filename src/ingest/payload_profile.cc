#include "ingest/payload_profile.h"

#include <array>
#include <string>

#include "ingest/air_quality_node.h"
#include "ingest/cayenne_lpp.h"
#include "ingest/fill_level_sensor.h"
#include "ingest/traffic_counter.h"
#include "ngsi/entity_parser.h"

namespace cocity::ingest {

namespace {

constexpr size_t kMaxJsonMeasurements = 100;

const std::array<PayloadProfile, 5> kProfiles = {{
    {"cayenne-lpp", "Cayenne LPP node", "Device", &decode_cayenne_lpp},
    {"milesight-em500-udl", "Milesight EM500-UDL ultrasonic fill level",
     "WasteContainer", &decode_fill_level},
    {"decentlab-dl-pm", "Decentlab DL-PM particulate matter",
     "AirQualityObserved", &decode_air_quality},
    {"parametric-tcr", "Parametric TCR radar traffic counter",
     "TrafficFlowObserved", &decode_traffic_counter},
    {"json", "plain JSON measurements", "", nullptr},
}};

bool is_geometry(const json::value& v) {
  if (!v.is_object()) return false;
  const auto* t = v.get_object().if_contains("type");
  return t != nullptr && t->is_string() &&
         v.get_object().contains("coordinates");
}

}  // namespace

std::span<const PayloadProfile> payload_profiles() { return kProfiles; }

const PayloadProfile* find_profile(std::string_view name) {
  for (const auto& p : kProfiles) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Result<Measurements> decode_json_measurements(const json::value& doc) {
  if (!doc.is_object()) {
    return fail(Code::kBadRequestData,
                std::string("measurements must be a JSON object, not ") +
                    std::string(json_kind_name(doc)));
  }
  const auto& obj = doc.get_object();
  if (obj.size() > kMaxJsonMeasurements) {
    return fail(Code::kBadRequestData,
                "more than 100 measurements in one message");
  }
  Measurements out;
  for (const auto& [key, value] : obj) {
    if (key == "id" || key == "type" || key == "@context" ||
        key == "observedAt") {
      continue;
    }
    if (!ngsi::valid_name(key)) {
      return fail(Code::kBadRequestData,
                  "measurement name '" + std::string(key) + "' is not valid");
    }
    if (value.is_null()) {
      return fail(Code::kBadRequestData,
                  "measurement '" + std::string(key) + "' is null");
    }
    bool geo = key == "location" && is_geometry(value);
    out.push_back(Measurement{std::string(key), value, "", geo});
  }
  return out;
}

}  // namespace cocity::ingest
