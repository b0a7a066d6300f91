// Parsing and validating NGSI-LD entities and attributes from JSON.
//
// Accepts the normalized and the concise representation (ETSI GS CIM 009
// v1.8, 4.5), inferring attribute kinds where the concise form leaves
// "type" out, and produces the stored form described in ngsi/entity.h:
// expanded names, every attribute an array of instances, system times set
// to `now`. Every rule broken is a kBadRequestData error whose detail names
// the entity member or attribute and the rule.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "core/time.h"
#include "ngsi/context.h"
#include "ngsi/entity.h"

namespace cocity::ngsi {

// A whole entity (create, replace, batch create/upsert): "id" and "type"
// are required. "@context" members are ignored here (the API resolves the
// context before parsing). The values of `doc` are moved into the result:
// pass an rvalue when the document is not needed afterwards.
//
// The result's JSON lives in `sp` (the heap by default). With the storage
// of `doc`, values move over without a copy; the batch handler parses a
// request into one arena this way, which must then outlive the entities.
Result<Entity> parse_entity(json::value doc, const Context& ctx, TimePoint now,
                            json::storage_ptr sp = {});

// An entity fragment for merge and update: id and type may be absent.
// With allow_null, NGSI-LD Null deletes instead of writing (ETSI GS CIM 009
// 4.5.0): an attribute whose value is null or "urn:ngsi-ld:null" is listed
// in `deleted`; an instance whose value member is the null marker (see
// is_null_instance) is listed in `deleted_instances`.
struct Fragment {
  std::string id;                  // "" when absent
  std::vector<std::string> types;  // expanded; empty when absent
  std::vector<std::string> scope;
  bool has_scope = false;
  json::object attrs;                // expanded name -> array of instances
  std::vector<std::string> deleted;  // expanded names set to null
  struct DeletedInstance {
    std::string attr;        // expanded name
    std::string dataset_id;  // "" for the default instance
  };
  std::vector<DeletedInstance> deleted_instances;
};
Result<Fragment> parse_fragment(json::value doc, const Context& ctx,
                                TimePoint now, bool allow_null,
                                json::storage_ptr sp = {});

// One attribute's value in normalized or concise form -> its instances.
// `name` is the name as the client wrote it, for messages.
Result<json::array> parse_attribute(std::string_view name, json::value value,
                                    const Context& ctx, TimePoint now);

// Whether `instance` (normalized) is NGSI-LD Null: its value member is
// "urn:ngsi-ld:null" ("value", "object", "vocab"), {"@none":
// "urn:ngsi-ld:null"} ("languageMap"), or ["urn:ngsi-ld:null"]
// ("valueList", "objectList"). A JSON null there is no Null but an error.
bool is_null_instance(const json::object& instance);

// Whether `name` may be used as an attribute or type name: non-empty, no
// whitespace, control characters or any of  < > " ' = ; ( ) .
bool valid_name(std::string_view name);

// The member of an instance that carries its value for each kind:
// "value", "object", "languageMap", "vocab", "valueList", "objectList",
// "json".
std::string_view value_member(std::string_view attr_type);

}  // namespace cocity::ngsi
