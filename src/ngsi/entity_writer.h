// Rendering stored entities in the NGSI-LD representations.
//
// normalized: every attribute an object with its "type" and value member;
// concise: kinds left implicit, a Property without metadata is its bare
// value; keyValues: only the values. GeoJSON (application/geo+json) wraps
// the chosen representation in a Feature whose geometry is a GeoProperty.
// Names are compacted with the request's context.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>

#include "core/json.h"
#include "ngsi/context.h"
#include "ngsi/entity.h"

namespace cocity::ngsi {

enum class Format { kNormalized, kConcise, kKeyValues };

struct RenderOptions {
  Format format = Format::kNormalized;
  bool sys_attrs = false;  // createdAt/modifiedAt of entity and attributes
  // Attributes to include (expanded IRIs); nullopt: all. From attrs= and
  // pick=.
  std::optional<std::unordered_set<std::string>> only;
  std::unordered_set<std::string> omit;  // expanded IRIs, from omit=
  bool with_id = true;                   // pick/omit may drop id and type
  bool with_type = true;
  std::string lang;  // LanguageProperty: the language to pick, "" for all
  // From datasetId=: only attribute instances with one of these datasetIds
  // ("@none": the default instance); an attribute left without instances is
  // not shown. nullopt: every instance.
  std::optional<std::unordered_set<std::string>> dataset_ids;
};

// The key of `language_map` that the `lang` parameter (4.15) picks:
// a list of language ranges with optional weights, as in Accept-Language
// ("fr-CH,fr;q=0.9,*;q=0.5"). Ranges are tried by weight; a range matches
// a tag equal to it or one of its subtags ("en" matches "en-US"), ignoring
// case, and is then shortened ("nl-BE" tries "nl"); "*" matches any tag.
// Failing all, "@none" if present, else the map's first key. "" only for
// an empty map.
std::string pick_language(const json::object& language_map,
                          std::string_view lang);

// `ctx` compacts names; must not be null.
json::object render_entity(const Entity& entity, const RenderOptions& options,
                           const Context& ctx);

// A GeoJSON Feature: "id", "type": "Feature", "geometry" (the value of the
// GeoProperty `geoproperty_iri`, or null) and "properties" (the entity's
// type and attributes in the chosen format).
json::object render_feature(const Entity& entity, const RenderOptions& options,
                            const Context& ctx,
                            std::string_view geoproperty_iri);

// Compacted type(s): a string for one type, an array for several.
json::value render_types(const Entity& entity, const Context& ctx);

}  // namespace cocity::ngsi
