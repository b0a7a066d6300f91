// Feeds arbitrary bytes to the q parser and evaluates whatever is accepted
// against a fixed entity that has every attribute kind, sub-attributes,
// metadata, compound values and several instances.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ngsi/entity_parser.h"
#include "ngsi/query_eval.h"
#include "ngsi/query_parser.h"

using namespace cocity;

namespace {

const ngsi::Entity& fixed_entity() {
  static const ngsi::Entity entity = [] {
    auto doc = parse_json(R"({
      "id": "urn:ngsi-ld:Thing:1", "type": "Thing",
      "a": [{"type": "Property", "value": 1.5, "unitCode": "CEL",
             "observedAt": "2026-11-25T09:00:00Z",
             "b": {"type": "Property", "value": "x",
                   "c": {"type": "Property", "value": [1, "y", true]}}},
            {"type": "Property", "value": "2026-11-25", "datasetId": "urn:d:1"}],
      "r": {"type": "Relationship", "object": "urn:ngsi-ld:Device:1"},
      "l": {"type": "LanguageProperty", "languageMap": {"de": "eins", "en": "one"}},
      "v": {"type": "VocabProperty", "vocab": "Open"},
      "lp": {"type": "ListProperty", "valueList": [1, 2, "10:00:00Z"]},
      "lr": {"type": "ListRelationship", "objectList": [{"object": "urn:x:1"}]},
      "t": {"type": "Property", "value": true},
      "d": {"type": "Property", "value": {"@type": "DateTime",
                                          "@value": "2026-01-01T00:00:00Z"}},
      "j": {"type": "Property", "value": {"k": {"m": [1, {"n": null}]}}},
      "location": {"type": "GeoProperty",
                   "value": {"type": "Point", "coordinates": [7.7, 49.4]}}
    })");
    if (!doc) __builtin_trap();
    auto e = ngsi::parse_entity(*doc, *ngsi::Context::core(),
                                from_micros(1'764'000'000'000'000));
    if (!e) __builtin_trap();  // the fixture itself must be valid
    return std::move(*e);
  }();
  return entity;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto query = ngsi::parse_query(text, *ngsi::Context::core());
  if (!query) return 0;
  (void)ngsi::evaluate(*query, fixed_entity());
  for (const ngsi::Term* term : ngsi::top_level_terms(*query)) {
    (void)ngsi::evaluate(*term, fixed_entity());
  }
  return 0;
}
