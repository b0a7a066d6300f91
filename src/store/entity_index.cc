#include "store/entity_index.h"

#include <algorithm>

namespace cocity::store {

namespace {

bool boxes_intersect(const Box& a, const Box& b) {
  return a.min_lon <= b.max_lon && b.min_lon <= a.max_lon &&
         a.min_lat <= b.max_lat && b.min_lat <= a.max_lat;
}

bool by_value(const std::string* a, const std::string* b) { return *a < *b; }

}  // namespace

uint32_t EntityIndex::intern_type(const std::string& type) {
  auto it = type_ids_.find(type);
  if (it != type_ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(type_names_.size());
  type_names_.push_back(type);
  type_ids_.emplace(type, id);
  members_.emplace_back();
  return id;
}

void EntityIndex::put(std::string_view id, int64_t key,
                      const std::vector<std::string>& types,
                      std::optional<Box> box) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    it = by_id_.emplace(std::string(id), Slot{}).first;
  }
  const std::string* stable_id = &it->first;
  Slot& slot = it->second;
  slot.key = key;
  set_types(stable_id, types, &slot);
  set_box(stable_id, box, &slot);
}

void EntityIndex::load(std::string_view id, int64_t key,
                       const std::vector<std::string>& types,
                       std::optional<Box> box) {
  auto it = by_id_.emplace_hint(by_id_.end(), std::string(id), Slot{});
  it->second.key = key;
  it->second.box = box;
  set_types(&it->first, types, &it->second);
}

void EntityIndex::finish_load() {
  std::vector<std::pair<Box, const std::string*>> entries;
  for (const auto& [id, slot] : by_id_) {
    if (slot.box) entries.emplace_back(*slot.box, &id);
  }
  geo_.assign(entries);
}

// Most updates change neither types nor location; both setters return
// early then, so an update costs one map lookup.
void EntityIndex::set_types(const std::string* id,
                            const std::vector<std::string>& types, Slot* slot) {
  std::vector<uint32_t> interned;
  interned.reserve(types.size());
  for (const auto& type : types) interned.push_back(intern_type(type));
  if (interned == slot->types) return;
  for (uint32_t t : slot->types) members_[t].erase(id);
  for (uint32_t t : interned) members_[t].insert(id);
  slot->types = std::move(interned);
}

void EntityIndex::set_box(const std::string* id, std::optional<Box> box,
                          Slot* slot) {
  if (same_box(box, slot->box)) return;
  if (slot->box) geo_.remove(*slot->box, id);
  if (box) geo_.insert(*box, id);
  slot->box = box;
}

void EntityIndex::remove(std::string_view id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  const std::string* stable_id = &it->first;
  for (uint32_t t : it->second.types) members_[t].erase(stable_id);
  if (it->second.box) geo_.remove(*it->second.box, stable_id);
  by_id_.erase(it);
}

std::optional<int64_t> EntityIndex::key_of(std::string_view id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second.key;
}

std::vector<uint32_t> EntityIndex::wanted_types(
    const EntitySelector& selector) const {
  std::vector<uint32_t> wanted;
  for (const auto& type : selector.types) {
    auto it = type_ids_.find(type);
    if (it != type_ids_.end()) wanted.push_back(it->second);
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  return wanted;
}

bool EntityIndex::matches(const Slot& slot, const EntitySelector& selector,
                          const std::vector<uint32_t>& wanted) const {
  if (!selector.types.empty()) {
    bool any =
        std::any_of(slot.types.begin(), slot.types.end(), [&](uint32_t t) {
          return std::binary_search(wanted.begin(), wanted.end(), t);
        });
    if (!any) return false;
  }
  if (selector.bbox) {
    if (!slot.box || !boxes_intersect(*slot.box, *selector.bbox)) return false;
  }
  return true;
}

// The smallest obvious candidate set, sorted by id; matches() filters it.
std::vector<const std::string*> EntityIndex::candidates(
    const EntitySelector& selector, const std::vector<uint32_t>& wanted) const {
  std::vector<const std::string*> out;
  if (!selector.ids.empty()) {
    for (const auto& id : selector.ids) {
      auto it = by_id_.find(id);
      if (it != by_id_.end()) out.push_back(&it->first);
    }
  } else if (!selector.types.empty()) {
    for (uint32_t t : wanted)
      out.insert(out.end(), members_[t].begin(), members_[t].end());
  } else if (selector.bbox) {
    out = geo_.query(*selector.bbox);
  } else {
    out.reserve(by_id_.size());
    for (const auto& kv : by_id_) out.push_back(&kv.first);
    return out;  // already ordered and unique
  }
  std::sort(out.begin(), out.end(), by_value);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::pair<std::string, int64_t>> EntityIndex::select(
    const EntitySelector& selector, uint64_t offset, uint64_t limit,
    uint64_t* total) const {
  std::vector<uint32_t> wanted = wanted_types(selector);
  std::vector<std::pair<std::string, int64_t>> page;
  *total = 0;
  if (!selector.types.empty() && wanted.empty()) return page;
  if (selector.ids.empty() && !selector.bbox && selector.types.size() <= 1) {
    return select_fast(selector, wanted, offset, limit, total);
  }
  for (const std::string* id : candidates(selector, wanted)) {
    const Slot& slot = by_id_.find(*id)->second;
    if (!matches(slot, selector, wanted)) continue;
    uint64_t position = (*total)++;
    if (position >= offset && page.size() < limit)
      page.emplace_back(*id, slot.key);
  }
  return page;
}

// No condition, or one type and nothing else: every member of the ordered
// set matches, so the page is a walk from `offset`.
std::vector<std::pair<std::string, int64_t>> EntityIndex::select_fast(
    const EntitySelector& selector, const std::vector<uint32_t>& wanted,
    uint64_t offset, uint64_t limit, uint64_t* total) const {
  std::vector<std::pair<std::string, int64_t>> page;
  if (selector.types.empty()) {
    *total = by_id_.size();
    if (offset >= by_id_.size()) return page;
    auto it = std::next(by_id_.begin(), static_cast<ptrdiff_t>(offset));
    for (; it != by_id_.end() && page.size() < limit; ++it) {
      page.emplace_back(it->first, it->second.key);
    }
    return page;
  }
  const IdSet& members = members_[wanted.front()];
  *total = members.size();
  if (offset >= members.size()) return page;
  auto it = std::next(members.begin(), static_cast<ptrdiff_t>(offset));
  for (; it != members.end() && page.size() < limit; ++it) {
    page.emplace_back(**it, by_id_.find(**it)->second.key);
  }
  return page;
}

std::vector<std::string> EntityIndex::types() const {
  std::vector<std::string> out;
  for (size_t t = 0; t < type_names_.size(); ++t) {
    if (!members_[t].empty()) out.push_back(type_names_[t]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace cocity::store
