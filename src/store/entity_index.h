// The in-memory index of one tenant's live entities: id -> row key, type ->
// ids, location box -> ids (R-tree), (attribute, value) -> ids (ValueIndex).
// It holds no entity bodies (those stay in the database): ids, types, the
// location's box (and its exact shape unless it is a single Point, whose box
// is exact) and the indexed values; see bench/README.md "Queries" for the
// measured bytes per entity.
//
// select() plans each query: it takes the smallest candidate set among the
// listed ids, the members of the wanted types, the R-tree hits of the geo
// query's search box and the value-index hits of q's top-level AND terms
// (each computed only up to the size of the best so far), then tests every
// condition of the selector on each candidate (exact geo test included) and
// returns the page in id order.
//
// Row keys are the database's integer keys (the rowid of the entity's row).
// Type IRIs are interned to small integers. Ids are kept once, as the keys of
// an ordered map; the type sets and the R-tree point at those keys.
//
// Not thread-safe: the owner serializes access (the SQLite tenant store
// holds a shared_mutex; only its writer thread mutates).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ngsi/geo_shape.h"
#include "store/geo_index.h"
#include "store/store.h"
#include "store/value_index.h"

namespace cocity::store {

class EntityIndex {
 public:
  // Adds or replaces the entry of `id`.
  // The first form indexes types and box only (no location shape, no
  // values); the second indexes all of `entity`. `box` is the location's box
  // (location_box of the entity's attributes).
  void put(std::string_view id, int64_t key,
           const std::vector<std::string>& types, std::optional<Box> box);
  void put_entity(std::string_view id, int64_t key, const ngsi::Entity& entity,
                  std::optional<Box> box);
  // Bulk loading at start-up: load() adds a new id like put() but leaves
  // the R-tree alone; finish_load() then builds the R-tree from all boxes in
  // one pass. REQUIRES: `id` is not in the index yet.
  void load(std::string_view id, int64_t key,
            const std::vector<std::string>& types, std::optional<Box> box);
  void load_entity(std::string_view id, int64_t key, const ngsi::Entity& entity,
                   std::optional<Box> box);
  void finish_load();

  // Removes `id`; no effect if absent.
  void remove(std::string_view id);

  // The row key of `id`, or nullopt.
  std::optional<int64_t> key_of(std::string_view id) const;

  // The ids matching `selector`, ordered by id, from `offset`, at most
  // `limit`, with their row keys; `*total` receives the number of matches.
  std::vector<std::pair<std::string, int64_t>> select(
      const EntitySelector& selector, uint64_t offset, uint64_t limit,
      uint64_t* total) const;

  // Every type IRI with at least one entity, sorted.
  std::vector<std::string> types() const;

  size_t size() const { return by_id_.size(); }
  // Entries held by the value index.
  size_t value_entries() const { return values_.size(); }

 private:
  struct Slot {
    int64_t key = 0;
    std::vector<uint32_t> types;  // interned, see type_names_
    std::optional<Box> box;
    // The location's geometry; null when it is one Point (then `box` is
    // exact) or when there is no valid location.
    std::shared_ptr<const ngsi::GeoShape> shape;
    ValueIndex::Entries values;
  };
  struct Plan;
  using ById = std::map<std::string, Slot, std::less<>>;
  struct IdLess {
    bool operator()(const std::string* a, const std::string* b) const {
      return *a < *b;
    }
  };
  using IdSet = std::set<const std::string*, IdLess>;

  uint32_t intern_type(const std::string& type);
  void set_types(const std::string* id, const std::vector<std::string>& types,
                 Slot* slot);
  void set_box(const std::string* id, std::optional<Box> box, Slot* slot);
  void set_entity(ById::iterator it, const ngsi::Entity& entity);
  bool matches(const std::string& id, const Slot& slot,
               const EntitySelector& selector, const Plan& plan) const;
  std::vector<uint32_t> wanted_types(const EntitySelector& selector) const;
  std::vector<std::vector<uint32_t>> wanted_clauses(
      const EntitySelector& selector) const;
  std::vector<std::pair<std::string, int64_t>> select_fast(
      const EntitySelector& selector, const std::vector<uint32_t>& wanted,
      uint64_t offset, uint64_t limit, uint64_t* total) const;
  std::vector<const std::string*> candidates(const EntitySelector& selector,
                                             const Plan& plan) const;
  size_t type_candidate_count(const EntitySelector& selector,
                              const Plan& plan) const;
  std::vector<const std::string*> type_candidates(
      const EntitySelector& selector, const Plan& plan) const;

  ById by_id_;
  std::vector<std::string> type_names_;  // interned id -> IRI
  std::unordered_map<std::string, uint32_t> type_ids_;
  std::vector<IdSet> members_;  // interned type id -> ids of that type
  GeoIndex geo_;
  ValueIndex values_;
};

}  // namespace cocity::store
