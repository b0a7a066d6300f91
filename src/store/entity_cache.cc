#include "store/entity_cache.h"

#include <utility>

namespace cocity::store {

namespace {

// A decoded entity (Boost.JSON trees, strings, vectors) takes about three
// times its compact JSON text; the fixed part covers the list node, the
// hash entry and the Entity's own members.
constexpr size_t kDecodedFactor = 3;
constexpr size_t kEntryOverhead = 256;

}  // namespace

size_t EntityCache::charge(size_t text_size) {
  return text_size * kDecodedFactor + kEntryOverhead;
}

std::optional<EntityCache::Cached> EntityCache::take(std::string_view id) {
  auto found = entries_.find(id);
  if (found == entries_.end()) return std::nullopt;
  Lru::iterator it = found->second;
  entries_.erase(found);
  charged_ -= it->charge;
  std::optional<Cached> out(Cached{std::move(it->entity), it->text_size});
  lru_.erase(it);
  return out;
}

void EntityCache::put(ngsi::Entity entity, size_t text_size,
                      std::vector<ngsi::Entity>* evicted) {
  erase(entity.id);
  size_t cost = charge(text_size);
  if (cost > budget_) {  // also when the cache is disabled
    if (evicted) evicted->push_back(std::move(entity));
    return;
  }
  lru_.push_front(Entry{std::move(entity), text_size, cost});
  charged_ += cost;
  entries_.emplace(lru_.front().entity.id, lru_.begin());
  evict_to_budget(evicted);
}

void EntityCache::offer(ngsi::Entity entity, size_t text_size,
                        std::vector<ngsi::Entity>* evicted) {
  bool full = charged_ + charge(text_size) > budget_;
  if (full && offers_when_full_++ % kAdmitEvery != 0) {
    erase(entity.id);
    if (evicted) evicted->push_back(std::move(entity));
    return;
  }
  put(std::move(entity), text_size, evicted);
}

void EntityCache::erase(std::string_view id) {
  auto found = entries_.find(id);
  if (found == entries_.end()) return;
  charged_ -= found->second->charge;
  lru_.erase(found->second);
  entries_.erase(found);
}

void EntityCache::evict_to_budget(std::vector<ngsi::Entity>* evicted) {
  while (charged_ > budget_ && !lru_.empty()) {
    Entry& last = lru_.back();
    charged_ -= last.charge;
    entries_.erase(last.entity.id);
    if (evicted) evicted->push_back(std::move(last.entity));
    lru_.pop_back();
  }
}

}  // namespace cocity::store
