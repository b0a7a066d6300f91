// The value index of one tenant: (attribute, value) -> entity ids, for the
// `q` terms a query planner can answer from it.
//
// What is indexed: for every indexed attribute (IndexedAttributes below;
// by default a list of the apps' frequently queried attributes) of every
// entity, every instance's value member ("value", "object", "vocab", the
// strings of a "languageMap", ...), and when that is an array its elements,
// unwrapped from {"@value": x}: numbers by value, strings by a 64-bit hash.
// These are exactly the values a q term on a plain attribute path (no
// sub-attribute, metadata or [compound] part) compares numbers and strings with
// (ngsi/query_eval.h). An attribute of one entity with more than
// kMaxValuesPerAttr such values is not itemised: the entity is then listed
// as "always a candidate" for that attribute.
//
// So candidates() returns a superset of the entities that satisfy the term
// (hash collisions and overflow add, never remove); callers still evaluate
// q. A term on an attribute that is not indexed gets nullopt: the planner
// then takes its candidates from other sources (types, ids, geo) and q is
// evaluated on each of their bodies. Memory: about 80 bytes per indexed
// value (tree node and the entity's own list), see bench/README.md
// "Queries".
//
// Not thread-safe: the owner (EntityIndex) serializes access.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ngsi/entity.h"
#include "ngsi/query.h"
#include "store/indexed_attributes.h"

namespace cocity::store {

inline constexpr size_t kMaxValuesPerAttr = 32;

class ValueIndex {
 public:
  // The owner's number for an entity (EntityIndex: its slot).
  using Id = uint32_t;

  // Sets what is indexed. REQUIRES: the index is empty (call before
  // loading).
  void set_attributes(IndexedAttributes attributes);
  const IndexedAttributes& attributes() const { return policy_; }

  // One indexed value of an entity, kept by the owner for removal.
  struct Entry {
    uint32_t attr = 0;
    uint32_t kind = 0;  // kNumber, kText or kOverflow
    double number = 0;  // kNumber
    uint64_t hash = 0;  // kText
  };
  using Entries = std::vector<Entry>;

  // Replaces the values of `id` (listed in *entries) with those of
  // `entity`; *entries receives the new list.
  void set(Id id, const ngsi::Entity& entity, Entries* entries);
  // Bulk loading at start-up: load() lists the values of a new `id` in
  // *entries but only queues them; finish_load() then sorts the queue and
  // builds the trees in order (inserting 1M values one by one in random
  // order was a fifth of a 1M-entity tenant's start-up). Candidates are
  // incomplete until finish_load().
  void load(Id id, const ngsi::Entity& entity, Entries* entries);
  void finish_load();

  // Removes every value in *entries and clears it.
  void clear(Id id, Entries* entries);

  // The ids that may satisfy `term` (unordered, possibly repeated), or
  // nullopt when the index cannot answer the term (a path into
  // sub-attributes, metadata or compounds; != and patterns; booleans and
  // times; string ranges) or when more than `cap` ids would come back.
  std::optional<std::vector<Id>> candidates(const ngsi::Term& term,
                                            size_t cap) const;

  // Whether a term on attribute `iri` can be answered from the index.
  bool indexes(std::string_view iri) const { return policy_.covers(iri); }

  // Number of (attribute, value) entries held.
  size_t size() const { return size_; }

 private:
  struct PerAttr {
    std::set<std::pair<double, Id>> numbers;
    std::set<std::pair<uint64_t, Id>> texts;
    std::set<Id> overflow;
  };

  static constexpr uint32_t kNotIndexed = UINT32_MAX;
  // The attribute's number, or kNotIndexed when the policy skips it.
  uint32_t intern(std::string_view attr);
  Entries entries_of(const ngsi::Entity& entity);
  void insert(Id id, const Entry& e);
  void erase(Id id, const Entry& e);

  std::vector<std::pair<Id, Entry>> pending_;  // load() until finish_load()
  IndexedAttributes policy_ = IndexedAttributes::defaults();
  std::unordered_map<std::string, uint32_t> attr_ids_;  // incl. kNotIndexed
  std::vector<PerAttr> attrs_;
  size_t size_ = 0;
};

}  // namespace cocity::store
