// The in-memory index of one tenant's live entities: id -> row key, type ->
// ids, location box -> entities (R-tree), (attribute, value) -> entities
// (ValueIndex). It holds no entity bodies (those stay in the database): ids,
// types, the location's box (and its exact shape unless it is a single
// Point, whose box is exact) and the indexed values; see bench/README.md
// "Queries" for the measured bytes per entity.
//
// Each entity has a slot (a small integer, reused after removal); the
// R-tree and the value index hold slot numbers, so a candidate from them is
// tested without a lookup by id. Ids are kept once, as the keys of an
// ordered map; the per-type sets hold (id pointer, slot) in id order.
//
// select() plans each query: it takes the smallest candidate set among the
// listed ids, the members of the wanted types, the R-tree hits of the geo
// query's search box and the value-index hits of q's top-level AND terms
// (each computed only up to the size of the best so far), then tests every
// condition of the selector on each candidate (exact geo test included,
// with the query's prepared area for points) and returns the page in id
// order. When the candidates come in id order (one type, or no condition)
// it walks them and, unless the selector asks for the count, stops after
// the page; otherwise it tests every candidate and selects the page with a
// partial sort.
//
// Row keys are the database's integer keys (the rowid of the entity's row).
// Type IRIs are interned to small integers.
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

#include <boost/unordered/unordered_flat_map.hpp>

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
  // the R-tree alone (load_entity() also queues the indexed values);
  // finish_load() then builds the R-tree from all boxes and the value
  // index from the sorted queue, each in one pass. Queries between the
  // first load and finish_load() miss entities. REQUIRES: `id` is not in
  // the index yet.
  void load(std::string_view id, int64_t key,
            const std::vector<std::string>& types, std::optional<Box> box);
  void load_entity(std::string_view id, int64_t key, const ngsi::Entity& entity,
                   std::optional<Box> box);
  void finish_load();

  // Removes `id`; no effect if absent.
  void remove(std::string_view id);

  // The row key of `id`, or nullopt.
  std::optional<int64_t> key_of(std::string_view id) const;

  // What the value index covers. REQUIRES: the index is empty.
  void set_indexed_attributes(IndexedAttributes attributes) {
    values_.set_attributes(std::move(attributes));
  }
  const IndexedAttributes& indexed_attributes() const {
    return values_.attributes();
  }

  // The ids matching `selector`, ordered by id, from `offset`, at most
  // `limit`, with their row keys; `*total` receives the number of matches
  // (with selector.count false, it may stop at offset + limit + 1).
  std::vector<std::pair<std::string, int64_t>> select(
      const EntitySelector& selector, uint64_t offset, uint64_t limit,
      uint64_t* total) const;

  // Every type IRI with at least one entity, sorted.
  std::vector<std::string> types() const;

  size_t size() const { return by_id_.size(); }
  // Entries held by the value index.
  size_t value_entries() const { return values_.size(); }

 private:
  using SlotId = uint32_t;
  struct Slot {
    const std::string* id = nullptr;  // the key in by_id_; null when free
    int64_t key = 0;
    std::vector<uint32_t> types;  // interned, see type_names_
    std::optional<Box> box;
    // The location's geometry; null when it is one Point (then `box` is
    // exact) or when there is no valid location.
    std::shared_ptr<const ngsi::GeoShape> shape;
    ValueIndex::Entries values;
  };
  struct Plan;
  using ById = std::map<std::string, SlotId, std::less<>>;
  struct Member {
    const std::string* id;
    SlotId slot;
  };
  struct MemberLess {
    bool operator()(const Member& a, const Member& b) const {
      return *a.id < *b.id;
    }
  };
  using MemberSet = std::set<Member, MemberLess>;
  using Page = std::vector<std::pair<std::string, int64_t>>;

  uint32_t intern_type(const std::string& type);
  SlotId slot_for(std::string_view id, bool known_new);
  SlotId put_slot(std::string_view id, int64_t key,
                  const std::vector<std::string>& types,
                  std::optional<Box> box);
  SlotId load_slot(std::string_view id, int64_t key,
                   const std::vector<std::string>& types,
                   std::optional<Box> box);
  void set_types(SlotId slot, const std::vector<std::string>& types);
  void set_box(SlotId slot, std::optional<Box> box);
  void set_entity(SlotId slot, const ngsi::Entity& entity);
  bool matches(const Slot& slot, const EntitySelector& selector,
               const Plan& plan) const;
  bool geo_matches(const Slot& slot, const ngsi::GeoQuery& geo) const;
  std::vector<uint32_t> wanted_types(const EntitySelector& selector) const;
  std::vector<std::vector<uint32_t>> wanted_clauses(
      const EntitySelector& selector) const;
  size_t type_candidate_count(const EntitySelector& selector,
                              const Plan& plan) const;
  std::vector<SlotId> type_candidates(const EntitySelector& selector,
                                      const Plan& plan) const;
  const MemberSet* ordered_source(const EntitySelector& selector,
                                  const Plan& plan) const;
  bool unordered_candidates(const EntitySelector& selector, const Plan& plan,
                            std::vector<SlotId>* out) const;
  template <typename It, typename SlotOf>
  Page walk_ordered(const EntitySelector& selector, const Plan& plan, It it,
                    It last, size_t size, SlotOf slot_of, uint64_t offset,
                    uint64_t limit, uint64_t* total) const;
  Page select_ordered(const EntitySelector& selector, const Plan& plan,
                      const MemberSet* members, uint64_t offset, uint64_t limit,
                      uint64_t* total) const;
  Page select_unordered(const EntitySelector& selector, const Plan& plan,
                        std::vector<SlotId> candidates, uint64_t offset,
                        uint64_t limit, uint64_t* total) const;

  ById by_id_;  // id order, for paging
  // The same ids hashed (views of by_id_'s keys): the writer looks up every
  // entity it changes, and ids share long prefixes ("urn:ngsi-ld:Type:"),
  // which made each of the map's ~20 comparisons at 1M ids a long memcmp.
  // Open addressing: a lookup reads one group of slots, where a node-based
  // map's walked a bucket chain, a cache miss per node (12 % of the
  // writer's time under PATCH).
  boost::unordered_flat_map<std::string_view, SlotId,
                            std::hash<std::string_view>>
      by_hash_;
  std::vector<Slot> slots_;
  std::vector<SlotId> free_slots_;
  std::vector<std::string> type_names_;  // interned id -> IRI
  std::unordered_map<std::string, uint32_t> type_ids_;
  std::vector<MemberSet> members_;  // interned type id -> its entities
  GeoIndex geo_;
  ValueIndex values_;
};

}  // namespace cocity::store
