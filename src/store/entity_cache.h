// A bounded cache of decoded entities for a tenant's writer thread.
//
// Every update reads the entity's current state before changing it.
// Decoding the stored form costs about as much as the rest of the
// update together, and city data is written by a working set of sensors
// that report again and again, so the writer keeps recently written
// entities decoded. The cache holds only committed states: the writer takes
// an entity out while a transaction works on it and puts the new state back
// after the commit is durable, so a failed commit leaves nothing stale.
//
// Memory is bounded by an estimate: each entry is charged the length of its
// compact JSON text (as encode_entity estimates it) times a factor for the
// decoded form, plus a fixed overhead. Least recently used entries go first.
//
// Not thread-safe: owned and used by one writer thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "ngsi/entity.h"

namespace cocity::store {

class EntityCache {
 public:
  // `budget_bytes` 0 disables the cache.
  explicit EntityCache(size_t budget_bytes) : budget_(budget_bytes) {}
  EntityCache(const EntityCache&) = delete;
  EntityCache& operator=(const EntityCache&) = delete;

  struct Cached {
    ngsi::Entity entity;
    size_t text_size = 0;
  };

  // Removes and returns the entity `id`, or nullopt if it is not cached.
  std::optional<Cached> take(std::string_view id);

  // Caches the committed state of `entity`, whose compact JSON text takes
  // about `text_size` bytes, replacing any entry of the same id; evicts the
  // least recently used entries while over budget. Evicted states (and
  // `entity`, when it alone is over budget) go to `*evicted` when given,
  // for the caller to free elsewhere, instead of being destroyed here.
  void put(ngsi::Entity entity, size_t text_size,
           std::vector<ngsi::Entity>* evicted = nullptr);

  // Like put, for the state of an entity that was not cached (read from
  // the database, or new). While the budget has room it is cached; once
  // the cache is full, one offer in kAdmitEvery is. A fleet of sensors
  // larger than the cache, each reporting in turn, would otherwise evict
  // every entry just before its next use, and no update would hit: with
  // admission, most of the cached part of the fleet stays.
  void offer(ngsi::Entity entity, size_t text_size,
             std::vector<ngsi::Entity>* evicted = nullptr);
  static constexpr uint64_t kAdmitEvery = 16;

  // Drops the entry of `id` (the entity was deleted).
  void erase(std::string_view id);

  size_t size() const { return entries_.size(); }
  size_t charged_bytes() const { return charged_; }

  // The estimated memory of one entry, for tests and sizing.
  static size_t charge(size_t text_size);

 private:
  struct Entry {
    ngsi::Entity entity;
    size_t text_size = 0;
    size_t charge = 0;
  };
  using Lru = std::list<Entry>;  // most recently used at the front

  void evict_to_budget(std::vector<ngsi::Entity>* evicted);

  size_t budget_;
  size_t charged_ = 0;
  uint64_t offers_when_full_ = 0;
  Lru lru_;
  // Keys view the id inside the list entry, which never moves.
  boost::unordered_flat_map<std::string_view, Lru::iterator,
                            std::hash<std::string_view>>
      entries_;
};

}  // namespace cocity::store
