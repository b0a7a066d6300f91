// Evaluating a parsed `q` (ngsi/query.h) against a stored entity.
//
// Semantics (ETSI GS CIM 009 v1.8, 4.9), for each term:
// - The term holds if any instance of the attribute (any datasetId)
//   satisfies it. A missing attribute, sub-attribute, metadata member or
//   compound member makes the term false, for != and !~= too.
// - The compared value is the instance's "value" (Property, GeoProperty),
//   "object" (Relationship), "vocab", "valueList", "objectList", any
//   language's string of a LanguageProperty's "languageMap", or the named
//   metadata member; then the [compound] members are followed. A
//   VocabProperty's value is an expanded IRI and is compared with the
//   constant expanded by the query's Context.
// - Comparisons only happen between compatible kinds: number with number,
//   string or URI with string, true/false with boolean, date/date-time with
//   a string that parses as an ISO date-time or date, time with a string
//   that parses as a time of day. An incompatible value never matches
//   (neither == nor !=). JSON-LD value objects {"@value": ...} are unwrapped.
// - When the value is an array, == and the ordering ops and ~= hold if any
//   element satisfies them; != and !~= hold if some element is comparable
//   and no element equals (matches).
// - A value list means "equal to any of them"; a range low..high includes
//   both ends.
//
// Pure functions: thread-safe for concurrent calls on shared arguments.
#pragma once

#include "ngsi/entity.h"
#include "ngsi/query.h"

namespace cocity::ngsi {

// Whether `entity` satisfies `query`.
bool evaluate(const Query& query, const Entity& entity);

// Whether `entity` satisfies one node (a subtree) or one term; for callers
// that already used an index for some of the top-level terms.
bool evaluate(const Node& node, const Entity& entity);
bool evaluate(const Term& term, const Entity& entity);

}  // namespace cocity::ngsi
