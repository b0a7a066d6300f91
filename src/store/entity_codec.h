// The stored form of an entity: one binary record per entity.
//
//   0x01                      (the form; a JSON text form starts with '{')
//   bytes id, varint n + bytes types..., varint n + bytes scope...
//   zz createdAt, zz (modifiedAt - createdAt)          microseconds, UTC
//   varint attribute count, then per attribute:
//     bytes IRI, varint instance count, instances
//
// An instance is a head byte, then:
//   - head bits 0-1 = 0: bytes of its compact JSON text;
//   - head bits 0-1 = 1, a plain Property: {"type":"Property"}, then 1 to 4
//     members among "value" (a JSON integer or double), "observedAt",
//     "unitCode" and "datasetId", then "createdAt" and "modifiedAt", with
//     every time as format_iso_time writes it. Head bits 2-4 hold the
//     member count, bits 5-6 the value's kind (0 integer, 1 double); one
//     byte lists the members in their order, two bits each from bit 0 (0
//     value, 1 observedAt, 2 unitCode, 3 datasetId); then each member
//     (value: zz or 8 bytes little endian; observedAt: zz microseconds;
//     strings: bytes), zz createdAt, zz (modifiedAt - createdAt).
// (varint = LEB128, zz = zigzag varint, bytes = varint length + bytes.)
//
// The plain form is what sensors write again and again: it keeps times as
// numbers and names no member, so that an air-quality reading takes ~25
// bytes instead of ~150, and a write encodes it without escaping text. Its
// decoding gives back the same members in the same order: a round trip is
// exact, also for the kinds of numbers.
//
// Bodies written before this form existed are JSON text,
//   {"id":..,"types":[..],"scope":[..],"attrs":{<IRI>:[<instance>..]},
//    "createdAt":<microseconds>,"modifiedAt":<microseconds>}
// and are still read; the next write of the entity stores the binary form.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "ngsi/entity.h"

namespace cocity::store {

// Appends the stored form of `entity` to `*out`. Returns the length of the
// entity's compact JSON text, estimated: the measure of its decoded size
// that the entity cache charges (entity_cache.h).
size_t encode_entity(const ngsi::Entity& entity, std::string* out);
std::string encode_entity(const ngsi::Entity& entity);

// Parses either stored form; sets `*text_size`, when given, as
// encode_entity() returns it. Bytes that do not have the shape above are
// kInternal ("stored entity is corrupt: ..."): they can only come from a
// bug or a damaged database, never from a client.
Result<ngsi::Entity> decode_entity(std::string_view stored,
                                   size_t* text_size = nullptr);

}  // namespace cocity::store
