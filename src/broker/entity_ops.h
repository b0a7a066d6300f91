// The NGSI-LD update semantics, as pure functions on entities.
//
// Each operation takes the entity's current state (null when it does not
// exist) and the parsed request, and returns the store::Change to commit:
// the new state plus one history entry per attribute instance written or
// deleted. They run inside the store's writer (see store::Mutation), so
// what they see is the latest committed-or-pending state. They never block.
//
// Operations that change an existing entity take `current` as a mutable
// pointer (see store::Mutation): they move the entity out of it when they
// return a kPut change and leave it as it was on an error or kNone. A caller
// that still needs the old state passes a copy.
//
// Errors: kNotFound when the entity (or attribute) must exist and does not,
// kAlreadyExists on create of an existing id, kBadRequestData for requests
// that contradict the stored entity.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "ngsi/entity.h"
#include "ngsi/entity_parser.h"
#include "store/store.h"

namespace cocity::broker {

// Per-attribute outcome of append and update (the 207 body of the API).
struct UpdateReport {
  std::vector<std::string> updated;  // expanded names
  struct NotUpdated {
    std::string attr;  // expanded name
    std::string reason;
  };
  std::vector<NotUpdated> not_updated;
};

// `incoming` is taken by value: callers that own it move it in (a mutation
// runs once), saving a copy of every attribute on the writer thread.
Result<store::Change> create_entity(const ngsi::Entity* current,
                                    ngsi::Entity incoming);

// PUT /entities/{id} and upsert with replace: the new content replaces the
// old; createdAt of the entity is kept. The new state is made in the
// current one's storage (the heap), whatever storage `incoming` lives in.
Result<store::Change> replace_entity(ngsi::Entity* current,
                                     const ngsi::Entity& incoming);

// Merge (PATCH /entities/{id}, batch merge, upsert with update): attributes
// in the fragment replace the instances with the same datasetId, others
// stay; null deletes; types are added. `must_exist` false creates the
// entity when absent (upsert), which then needs types.
Result<store::Change> merge_entity(ngsi::Entity* current,
                                   const ngsi::Fragment& fragment,
                                   TimePoint now, bool must_exist);

// POST /entities/{id}/attrs: adds attributes and types; with no_overwrite,
// existing instances are kept and reported as not updated. A scope in the
// fragment replaces the entity's, or with no_overwrite is added to it.
Result<store::Change> append_attributes(ngsi::Entity* current,
                                        const ngsi::Fragment& fragment,
                                        TimePoint now, bool no_overwrite,
                                        UpdateReport* report);

// PATCH /entities/{id}/attrs (and batch update): only attributes (and
// datasetIds) that exist are replaced; the rest are reported. Types are
// added; a scope replaces the entity's, if it has one.
Result<store::Change> update_attributes(ngsi::Entity* current,
                                        const ngsi::Fragment& fragment,
                                        TimePoint now, UpdateReport* report);

// PATCH /entities/{id}/attrs/{attr}: the fragment's members are merged into
// the existing instance (selected by the fragment's datasetId).
Result<store::Change> partial_update_attribute(ngsi::Entity* current,
                                               const std::string& attr,
                                               const json::object& fragment,
                                               const ngsi::Context& ctx,
                                               TimePoint now);

// DELETE /entities/{id}/attrs/scope: the entity's scope goes (4.18);
// kNotFound when it has none. `id` names the entity in errors.
Result<store::Change> delete_scope(ngsi::Entity* current, const std::string& id,
                                   TimePoint now);

// PUT /entities/{id}/attrs/{attr}: replaces the instance with the same
// datasetId; the attribute must exist.
Result<store::Change> replace_attribute(ngsi::Entity* current,
                                        const std::string& attr,
                                        const json::array& instances,
                                        TimePoint now);

// DELETE /entities/{id}/attrs/{attr}[?datasetId=..|deleteAll=true].
Result<store::Change> delete_attribute(ngsi::Entity* current,
                                       const std::string& attr,
                                       const std::string& dataset_id,
                                       bool delete_all, TimePoint now);

Result<store::Change> delete_entity(const ngsi::Entity* current, TimePoint now);

}  // namespace cocity::broker
