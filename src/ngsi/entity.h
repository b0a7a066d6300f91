// The NGSI-LD entity as cocity holds it in memory and in the store.
//
// Invariants (established by the parser, kept by every operation):
// - `id` is an absolute URI; `types` holds expanded type IRIs, sorted and
//   unique, never empty for a stored entity.
// - `attrs` maps an expanded attribute IRI to a JSON array of instances.
//   Every instance is an object in normalized form: "type" is one of the
//   attribute kinds (Property, Relationship, GeoProperty, LanguageProperty,
//   VocabProperty, ListProperty, ListRelationship, JsonProperty), the kind's
//   value member is present ("value", "object", "languageMap", "vocab",
//   "valueList", "objectList", "json"), sub-attribute names are expanded IRIs
//   whose values are again instance objects, and "createdAt"/"modifiedAt" hold
//   the system times as ISO strings. At most one instance has no "datasetId";
//   the others have distinct ones. The array is never empty.
// - `scope` holds the entity's scopes ("/Madrid/Gardens"); may be empty.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/time.h"

namespace cocity::ngsi {

// Attributes whose IRI starts with this prefix belong to cocity itself (a
// device's key hash, for example). They are stored with the entity but are
// never rendered, never queried and never written by clients, and changes
// to them leave no history.
inline constexpr std::string_view kPrivateAttrPrefix = "urn:cocity:private:";
inline bool is_private_attr(std::string_view iri) {
  return iri.starts_with(kPrivateAttrPrefix);
}

struct Entity {
  std::string id;
  std::vector<std::string> types;
  std::vector<std::string> scope;
  json::object attrs;
  TimePoint created_at{};
  TimePoint modified_at{};
};

// The attribute kinds of NGSI-LD v1.8 and the member that carries each
// kind's value (value_member in entity_parser.h).
enum class AttrKind {
  kProperty,
  kRelationship,
  kGeoProperty,
  kLanguageProperty,
  kVocabProperty,
  kListProperty,
  kListRelationship,
  kJsonProperty,
};

}  // namespace cocity::ngsi
