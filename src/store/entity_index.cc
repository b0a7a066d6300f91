#include "store/entity_index.h"

#include <re2/re2.h>

#include <algorithm>
#include <limits>

#include "ngsi/geo_query.h"
#include "ngsi/query.h"
#include "ngsi/type_expression.h"

namespace cocity::store {

namespace {

bool boxes_intersect(const Box& a, const Box& b) {
  return a.min_lon <= b.max_lon && b.min_lon <= a.max_lon &&
         a.min_lat <= b.max_lat && b.min_lat <= a.max_lat;
}

bool is_point(const Box& b) {
  return b.min_lon == b.max_lon && b.min_lat == b.max_lat;
}

// The location's exact shape, or null when `box` already says it all.
std::shared_ptr<const ngsi::GeoShape> location_shape(
    const ngsi::Entity& entity, const std::optional<Box>& box) {
  auto shape = ngsi::attribute_shape(entity.attrs, kLocationAttr);
  if (!shape || !box) return nullptr;
  if (shape->parts.size() == 1 &&
      std::holds_alternative<ngsi::geo::Point>(shape->parts.front()) &&
      is_point(*box)) {
    return nullptr;
  }
  return shape;
}

// offset + limit without overflow.
uint64_t page_end(uint64_t offset, uint64_t limit) {
  return limit > std::numeric_limits<uint64_t>::max() - offset
             ? std::numeric_limits<uint64_t>::max()
             : offset + limit;
}

void sort_unique(std::vector<uint32_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

// What select() derived from the selector once: interned wanted types.
struct EntityIndex::Plan {
  std::vector<uint32_t> wanted;                // any of these (sorted)
  std::vector<std::vector<uint32_t>> clauses;  // type_expr, interned
};

uint32_t EntityIndex::intern_type(const std::string& type) {
  auto it = type_ids_.find(type);
  if (it != type_ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(type_names_.size());
  type_names_.push_back(type);
  type_ids_.emplace(type, id);
  members_.emplace_back();
  return id;
}

// The slot of `id`, allocated when it is new. `known_new` skips the lookup
// (bulk loading).
EntityIndex::SlotId EntityIndex::slot_for(std::string_view id, bool known_new) {
  if (!known_new) {
    auto it = by_hash_.find(id);
    if (it != by_hash_.end()) return it->second;
  }
  SlotId slot = 0;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<SlotId>(slots_.size());
    slots_.emplace_back();
  }
  auto it = by_id_.emplace_hint(by_id_.end(), std::string(id), slot);
  slots_[slot].id = &it->first;
  by_hash_.emplace(it->first, slot);
  return slot;
}

EntityIndex::SlotId EntityIndex::put_slot(std::string_view id, int64_t key,
                                          const std::vector<std::string>& types,
                                          std::optional<Box> box) {
  SlotId slot = slot_for(id, false);
  slots_[slot].key = key;
  set_types(slot, types);
  set_box(slot, box);
  return slot;
}

void EntityIndex::put(std::string_view id, int64_t key,
                      const std::vector<std::string>& types,
                      std::optional<Box> box) {
  put_slot(id, key, types, box);
}

void EntityIndex::load(std::string_view id, int64_t key,
                       const std::vector<std::string>& types,
                       std::optional<Box> box) {
  load_slot(id, key, types, box);
}

EntityIndex::SlotId EntityIndex::load_slot(
    std::string_view id, int64_t key, const std::vector<std::string>& types,
    std::optional<Box> box) {
  SlotId slot = slot_for(id, true);
  slots_[slot].key = key;
  slots_[slot].box = box;
  set_types(slot, types);
  return slot;
}

void EntityIndex::put_entity(std::string_view id, int64_t key,
                             const ngsi::Entity& entity,
                             std::optional<Box> box) {
  set_entity(put_slot(id, key, entity.types, box), entity);
}

void EntityIndex::load_entity(std::string_view id, int64_t key,
                              const ngsi::Entity& entity,
                              std::optional<Box> box) {
  SlotId slot = load_slot(id, key, entity.types, box);
  Slot& s = slots_[slot];
  s.shape = location_shape(entity, s.box);
  values_.load(slot, entity, &s.values);
}

void EntityIndex::set_entity(SlotId slot, const ngsi::Entity& entity) {
  Slot& s = slots_[slot];
  s.shape = location_shape(entity, s.box);
  values_.set(slot, entity, &s.values);
}

void EntityIndex::finish_load() {
  std::vector<std::pair<Box, GeoIndex::Ref>> entries;
  entries.reserve(by_id_.size());
  for (SlotId s = 0; s < slots_.size(); ++s) {
    if (slots_[s].id && slots_[s].box) entries.emplace_back(*slots_[s].box, s);
  }
  geo_.assign(entries);
  values_.finish_load();
}

// Most updates change neither types nor location; both setters return
// early then, so an update costs one map lookup.
void EntityIndex::set_types(SlotId slot,
                            const std::vector<std::string>& types) {
  std::vector<uint32_t> interned;
  interned.reserve(types.size());
  for (const auto& type : types) interned.push_back(intern_type(type));
  Slot& s = slots_[slot];
  if (interned == s.types) return;
  for (uint32_t t : s.types) members_[t].erase(Member{s.id, slot});
  for (uint32_t t : interned) members_[t].insert(Member{s.id, slot});
  s.types = std::move(interned);
}

void EntityIndex::set_box(SlotId slot, std::optional<Box> box) {
  Slot& s = slots_[slot];
  if (same_box(box, s.box)) return;
  if (s.box) geo_.remove(*s.box, slot);
  if (box) geo_.insert(*box, slot);
  s.box = box;
}

void EntityIndex::remove(std::string_view id) {
  auto found = by_hash_.find(id);
  if (found == by_hash_.end()) return;
  SlotId slot = found->second;
  by_hash_.erase(found);
  auto it = by_id_.find(id);
  Slot& s = slots_[slot];
  for (uint32_t t : s.types) members_[t].erase(Member{s.id, slot});
  if (s.box) geo_.remove(*s.box, slot);
  values_.clear(slot, &s.values);
  s = Slot{};
  free_slots_.push_back(slot);
  by_id_.erase(it);
}

std::optional<int64_t> EntityIndex::key_of(std::string_view id) const {
  auto it = by_hash_.find(id);
  if (it == by_hash_.end()) return std::nullopt;
  return slots_[it->second].key;
}

std::vector<uint32_t> EntityIndex::wanted_types(
    const EntitySelector& selector) const {
  std::vector<uint32_t> wanted;
  for (const auto& type : selector.types) {
    auto it = type_ids_.find(type);
    if (it != type_ids_.end()) wanted.push_back(it->second);
  }
  sort_unique(&wanted);
  return wanted;
}

// The type expression's clauses with interned ids; a clause naming a type
// no entity has can never hold and is dropped.
std::vector<std::vector<uint32_t>> EntityIndex::wanted_clauses(
    const EntitySelector& selector) const {
  std::vector<std::vector<uint32_t>> out;
  for (const auto& clause : selector.type_expr->clauses) {
    std::vector<uint32_t> ids;
    for (const auto& type : clause) {
      auto it = type_ids_.find(type);
      if (it == type_ids_.end()) break;
      ids.push_back(it->second);
    }
    if (ids.size() == clause.size()) out.push_back(std::move(ids));
  }
  return out;
}

bool EntityIndex::geo_matches(const Slot& slot,
                              const ngsi::GeoQuery& geo) const {
  if (slot.shape) return ngsi::geo_matches(geo, *slot.shape);
  if (!slot.box || !is_point(*slot.box)) return false;
  return ngsi::point_matches(geo, slot.box->min_lon, slot.box->min_lat);
}

bool EntityIndex::matches(const Slot& slot, const EntitySelector& selector,
                          const Plan& plan) const {
  auto has = [&](uint32_t t) {
    return std::find(slot.types.begin(), slot.types.end(), t) !=
           slot.types.end();
  };
  if (!selector.types.empty()) {
    bool any =
        std::any_of(slot.types.begin(), slot.types.end(), [&](uint32_t t) {
          return std::binary_search(plan.wanted.begin(), plan.wanted.end(), t);
        });
    if (!any) return false;
  }
  if (selector.type_expr) {
    bool any = std::any_of(
        plan.clauses.begin(), plan.clauses.end(), [&](const auto& clause) {
          return std::all_of(clause.begin(), clause.end(), has);
        });
    if (!any) return false;
  }
  if (selector.bbox) {
    if (!slot.box || !boxes_intersect(*slot.box, *selector.bbox)) return false;
  }
  if (selector.geo && !geo_matches(slot, *selector.geo)) return false;
  return !selector.id_pattern ||
         RE2::PartialMatch(re2::StringPiece(slot.id->data(), slot.id->size()),
                           *selector.id_pattern);
}

size_t EntityIndex::type_candidate_count(const EntitySelector& selector,
                                         const Plan& plan) const {
  size_t n = 0;
  if (selector.type_expr) {
    for (const auto& clause : plan.clauses) {
      size_t smallest = by_id_.size();
      for (uint32_t t : clause)
        smallest = std::min(smallest, members_[t].size());
      n += smallest;
    }
    return n;
  }
  if (selector.types.empty()) return by_id_.size();
  for (uint32_t t : plan.wanted) n += members_[t].size();
  return n;
}

// The members of the wanted types: of each clause's smallest type for a
// type expression, else of every listed type. Unordered, unique.
std::vector<EntityIndex::SlotId> EntityIndex::type_candidates(
    const EntitySelector& selector, const Plan& plan) const {
  std::vector<SlotId> out;
  auto add = [&](uint32_t t) {
    for (const Member& m : members_[t]) out.push_back(m.slot);
  };
  if (selector.type_expr) {
    for (const auto& clause : plan.clauses) {
      uint32_t best = clause.front();
      for (uint32_t t : clause) {
        if (members_[t].size() < members_[best].size()) best = t;
      }
      add(best);
    }
  } else {
    for (uint32_t t : plan.wanted) add(t);
  }
  sort_unique(&out);
  return out;
}

// The set to walk in id order when the candidates are the members of one
// type; null for "every entity" (by_id_). REQUIRES: no type expression and
// at most one wanted type.
const EntityIndex::MemberSet* EntityIndex::ordered_source(
    const EntitySelector& selector, const Plan& plan) const {
  if (selector.types.empty()) return nullptr;
  return &members_[plan.wanted.front()];
}

// Fills *out with the smallest unordered candidate set (unique) and returns
// true, or returns false when the best source is the ordered walk (no type
// or one type, and neither the R-tree nor the value index is smaller).
bool EntityIndex::unordered_candidates(const EntitySelector& selector,
                                       const Plan& plan,
                                       std::vector<SlotId>* out) const {
  if (!selector.ids.empty()) {
    for (const auto& id : selector.ids) {
      auto it = by_hash_.find(id);
      if (it != by_hash_.end()) out->push_back(it->second);
    }
    sort_unique(out);
    return true;
  }
  size_t best = type_candidate_count(selector, plan);
  bool chosen = false;
  std::optional<Box> box = selector.bbox;
  if (selector.geo && selector.geo->search_box) {
    const auto& b = *selector.geo->search_box;
    box = Box{b.min_lon, b.min_lat, b.max_lon, b.max_lat};
  }
  if (box && geo_.query(*box, best + 1, out)) {
    best = out->size();
    chosen = true;
  }
  if (selector.q_hint) {
    for (const ngsi::Term* term : ngsi::top_level_terms(*selector.q_hint)) {
      auto hits = values_.candidates(*term, chosen ? best : best + 1);
      if (hits && (!chosen || hits->size() < best)) {
        *out = std::move(*hits);
        best = out->size();
        chosen = true;
        sort_unique(out);  // an entity may have several matching values
      }
    }
  }
  if (chosen) return true;
  if (!selector.type_expr && plan.wanted.size() <= 1) return false;
  *out = type_candidates(selector, plan);
  return true;
}

// Walks [it, last) in id order. Without other conditions every member
// matches, so the page is `offset` steps in and the total is the length
// (computed only when counted); else each member is tested and, without
// count, the walk stops one match after the page.
template <typename It, typename SlotOf>
EntityIndex::Page EntityIndex::walk_ordered(const EntitySelector& selector,
                                            const Plan& plan, It it, It last,
                                            size_t size, SlotOf slot_of,
                                            uint64_t offset, uint64_t limit,
                                            uint64_t* total) const {
  Page page;
  uint64_t end = page_end(offset, limit);
  bool filtered = selector.bbox || selector.id_pattern || selector.geo;
  if (!filtered) {
    bool from_start = selector.after_id.empty();
    if (from_start && offset >= size) {
      *total = size;
      return page;
    }
    uint64_t skipped = 0;
    for (; skipped < offset && it != last; ++skipped) ++it;
    for (; it != last && page.size() < limit; ++it) {
      const Slot& slot = slots_[slot_of(*it)];
      page.emplace_back(*slot.id, slot.key);
    }
    if (from_start && selector.count) {
      *total = size;
    } else if (selector.count) {
      *total = skipped + page.size() +
               static_cast<uint64_t>(std::distance(it, last));
    } else {
      *total = skipped + page.size() + (it != last ? 1 : 0);
    }
    return page;
  }
  for (; it != last; ++it) {
    const Slot& slot = slots_[slot_of(*it)];
    if (!matches(slot, selector, plan)) continue;
    uint64_t position = (*total)++;
    if (position >= offset && position < end)
      page.emplace_back(*slot.id, slot.key);
    if (!selector.count && *total > end) break;
  }
  return page;
}

EntityIndex::Page EntityIndex::select_ordered(const EntitySelector& selector,
                                              const Plan& plan,
                                              const MemberSet* members,
                                              uint64_t offset, uint64_t limit,
                                              uint64_t* total) const {
  bool from_start = selector.after_id.empty();
  if (members == nullptr) {
    auto first =
        from_start ? by_id_.begin() : by_id_.upper_bound(selector.after_id);
    return walk_ordered(
        selector, plan, first, by_id_.end(), by_id_.size(),
        [](const auto& kv) { return kv.second; }, offset, limit, total);
  }
  auto first = from_start ? members->begin()
                          : members->upper_bound(Member{&selector.after_id, 0});
  return walk_ordered(
      selector, plan, first, members->end(), members->size(),
      [](const Member& m) { return m.slot; }, offset, limit, total);
}

EntityIndex::Page EntityIndex::select_unordered(const EntitySelector& selector,
                                                const Plan& plan,
                                                std::vector<SlotId> candidates,
                                                uint64_t offset, uint64_t limit,
                                                uint64_t* total) const {
  const std::string& after = selector.after_id;
  auto kept =
      std::remove_if(candidates.begin(), candidates.end(), [&](SlotId s) {
        return (!after.empty() && *slots_[s].id <= after) ||
               !matches(slots_[s], selector, plan);
      });
  candidates.erase(kept, candidates.end());
  *total = candidates.size();
  Page page;
  if (offset >= candidates.size()) return page;
  uint64_t end = std::min<uint64_t>(page_end(offset, limit), candidates.size());
  auto by_id = [this](SlotId a, SlotId b) {
    return *slots_[a].id < *slots_[b].id;
  };
  auto last = candidates.begin() + static_cast<ptrdiff_t>(end);
  std::partial_sort(candidates.begin(), last, candidates.end(), by_id);
  for (auto it = candidates.begin() + static_cast<ptrdiff_t>(offset);
       it != last; ++it) {
    page.emplace_back(*slots_[*it].id, slots_[*it].key);
  }
  return page;
}

std::vector<std::pair<std::string, int64_t>> EntityIndex::select(
    const EntitySelector& selector, uint64_t offset, uint64_t limit,
    uint64_t* total) const {
  Plan plan;
  plan.wanted = wanted_types(selector);
  *total = 0;
  if (!selector.types.empty() && plan.wanted.empty()) return {};
  if (selector.type_expr) {
    plan.clauses = wanted_clauses(selector);
    if (plan.clauses.empty()) return {};
  }
  std::vector<SlotId> candidates;
  if (unordered_candidates(selector, plan, &candidates)) {
    return select_unordered(selector, plan, std::move(candidates), offset,
                            limit, total);
  }
  return select_ordered(selector, plan, ordered_source(selector, plan), offset,
                        limit, total);
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
