// The stored text form of an entity: one compact JSON document per entity
//
//   {"id":"urn:...","types":["https://..."],"scope":["/a/b"],
//    "attrs":{<expanded IRI>:[<instance>, ...]},
//    "createdAt":<microseconds>,"modifiedAt":<microseconds>}
//
// Times are integer microseconds since the Unix epoch (UTC) so that a round
// trip is exact. The store treats `attrs` as opaque JSON; the only part it
// looks into is the location attribute (geo_index.h).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "ngsi/entity.h"

namespace cocity::store {

// Appends the stored form of `entity` to `*out`.
void encode_entity(const ngsi::Entity& entity, std::string* out);
std::string encode_entity(const ngsi::Entity& entity);

// Parses the stored form. A document that does not have the shape above is
// kInternal ("stored entity is corrupt: ..."): it can only come from a bug
// or a damaged database, never from a client.
Result<ngsi::Entity> decode_entity(std::string_view text);

}  // namespace cocity::store
