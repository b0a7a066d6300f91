// Discovery data of one tenant: which entity types exist, how many entities
// each has, and which attributes (with their kinds) occur, for GET /types
// and /attributes (NGSI-LD 5.7.5-5.7.8) without a scan per request.
//
// Every live entity is summarized by its "shape": its sorted type ids and
// its attribute ids with the kinds their instances have. Shapes are
// interned and counted, so the catalog holds 4 bytes per entity (its shape
// id, indexed by the entity's row key) plus the distinct shapes, and a
// summary aggregates over shapes, not entities.
//
// The catalog is built lazily: it costs nothing until discovery is first
// asked for. ensure_built() then scans the tenant once while put()/remove()
// keep arriving from the writer: a key touched by the writer during the
// build wins over what the scan reads for it (the scan started after the
// build began, so a commit it misses is one the writer reports). After
// that, put()/remove() keep it exact.
//
// Thread-safe: put()/remove() come from the writer thread, summary() and
// ensure_built() from readers.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "ngsi/entity.h"

namespace cocity::store {

// One entity type: its IRI, how many entities have it, and the attributes
// those entities carry (IRI and the kinds of their instances, e.g.
// "Property"), sorted by IRI.
struct TypeSummary {
  std::string type;
  uint64_t entity_count = 0;
  struct Attribute {
    std::string name;
    std::vector<std::string> kinds;
  };
  std::vector<Attribute> attributes;
};

// One attribute IRI: how many entities carry it, with which kinds, on
// which entity types (IRIs, sorted).
struct AttributeSummary {
  std::string name;
  uint64_t entity_count = 0;
  std::vector<std::string> kinds;
  std::vector<std::string> types;
};

struct CatalogSummary {
  std::vector<TypeSummary> types;            // sorted by type IRI
  std::vector<AttributeSummary> attributes;  // sorted by attribute IRI
};

class AttributeCatalog {
 public:
  // Called for every entity whose committed state changed (row key `key`).
  // No effect before ensure_built() began.
  void put(int64_t key, const ngsi::Entity& entity);
  void remove(int64_t key);

  // Feeds every stored entity to `load` (the caller's scan) unless the
  // catalog is built already; concurrent callers wait for one build. A
  // failed scan leaves the catalog unbuilt (the next call retries).
  using Visit = std::function<void(int64_t key, const ngsi::Entity& entity)>;
  Status ensure_built(const std::function<Status(const Visit&)>& scan);

  CatalogSummary summary() const;

 private:
  struct Shape {
    std::vector<uint32_t> types;                      // name ids, sorted
    std::vector<std::pair<uint32_t, uint8_t>> attrs;  // name id, kind mask
    uint64_t count = 0;
  };
  enum class State { kNone, kBuilding, kReady };

  // REQUIRES: mutex_ held.
  uint32_t intern_name(const std::string& name);
  uint32_t shape_of(const ngsi::Entity& entity);
  void set_locked(int64_t key, uint32_t shape_plus_one);
  void reset_locked();

  std::atomic<State> state_{State::kNone};
  std::mutex build_mutex_;  // serializes ensure_built()
  mutable std::mutex mutex_;
  std::vector<std::string> names_;                       // guarded: id -> IRI
  std::unordered_map<std::string, uint32_t> name_ids_;   // guarded
  std::vector<Shape> shapes_;                            // guarded
  std::unordered_map<std::string, uint32_t> shape_ids_;  // guarded
  // Row key -> shape id + 1 (0: no entity). Guarded.
  std::vector<uint32_t> by_key_;
  std::unordered_map<int64_t, uint32_t> by_large_key_;  // keys >= kDenseKeys
  // Keys the writer set while building (they win over the scan). Guarded.
  std::unordered_set<int64_t> live_keys_;
};

}  // namespace cocity::store
