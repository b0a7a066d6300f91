// The value index of one tenant: (attribute, value) -> entity ids, for the
// `q` terms a query planner can answer from it.
//
// What is indexed: for every attribute of every entity, every instance's
// value member ("value", "object", "vocab", the strings of a
// "languageMap", ...), and when that is an array its elements, unwrapped
// from {"@value": x}: numbers by value, strings by a 64-bit hash. These are
// exactly the values a q term on a plain attribute path (no sub-attribute,
// metadata or [compound] part) compares numbers and strings with
// (ngsi/query_eval.h). An attribute of one entity with more than
// kMaxValuesPerAttr such values is not itemised: the entity is then listed
// as "always a candidate" for that attribute.
//
// So candidates() returns a superset of the entities that satisfy the term
// (hash collisions and overflow add, never remove); callers still evaluate
// q. Memory: about 80 bytes per indexed value (tree node and the entity's
// own list), see bench/README.md "Queries".
//
// Not thread-safe: the owner (EntityIndex) serializes access.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ngsi/entity.h"
#include "ngsi/query.h"

namespace cocity::store {

inline constexpr size_t kMaxValuesPerAttr = 32;

class ValueIndex {
 public:
  using Id = const std::string*;

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
  // Removes every value in *entries and clears it.
  void clear(Id id, Entries* entries);

  // The ids that may satisfy `term` (unordered, possibly repeated), or
  // nullopt when the index cannot answer the term (a path into
  // sub-attributes, metadata or compounds; != and patterns; booleans and
  // times; string ranges) or when more than `cap` ids would come back.
  std::optional<std::vector<Id>> candidates(const ngsi::Term& term,
                                            size_t cap) const;

  // Number of (attribute, value) entries held.
  size_t size() const { return size_; }

 private:
  struct PerAttr {
    std::set<std::pair<double, Id>> numbers;
    std::set<std::pair<uint64_t, Id>> texts;
    std::set<Id> overflow;
  };

  uint32_t intern(const std::string& attr);
  Entries entries_of(const ngsi::Entity& entity);
  void insert(Id id, const Entry& e);
  void erase(Id id, const Entry& e);

  std::unordered_map<std::string, uint32_t> attr_ids_;
  std::vector<PerAttr> attrs_;
  size_t size_ = 0;
};

}  // namespace cocity::store
