#include "store/entity_index.h"

#include <re2/re2.h>

#include <algorithm>

#include "ngsi/geo_query.h"
#include "ngsi/query.h"
#include "ngsi/type_expression.h"

namespace cocity::store {

namespace {

bool boxes_intersect(const Box& a, const Box& b) {
  return a.min_lon <= b.max_lon && b.min_lon <= a.max_lon &&
         a.min_lat <= b.max_lat && b.min_lat <= a.max_lat;
}

bool by_value(const std::string* a, const std::string* b) { return *a < *b; }

bool same_pointee(const std::string* a, const std::string* b) { return a == b; }

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

void EntityIndex::put_entity(std::string_view id, int64_t key,
                             const ngsi::Entity& entity,
                             std::optional<Box> box) {
  put(id, key, entity.types, box);
  set_entity(by_id_.find(id), entity);
}

void EntityIndex::load_entity(std::string_view id, int64_t key,
                              const ngsi::Entity& entity,
                              std::optional<Box> box) {
  load(id, key, entity.types, box);
  set_entity(by_id_.find(id), entity);
}

void EntityIndex::set_entity(ById::iterator it, const ngsi::Entity& entity) {
  Slot& slot = it->second;
  slot.shape = location_shape(entity, slot.box);
  values_.set(&it->first, entity, &slot.values);
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
  values_.clear(stable_id, &it->second.values);
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

bool EntityIndex::matches(const std::string& id, const Slot& slot,
                          const EntitySelector& selector,
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
  if (selector.id_pattern &&
      !RE2::PartialMatch(re2::StringPiece(id.data(), id.size()),
                         *selector.id_pattern)) {
    return false;
  }
  if (selector.geo) {
    if (slot.shape) return ngsi::geo_matches(*selector.geo, *slot.shape);
    if (!slot.box || !is_point(*slot.box)) return false;
    return ngsi::geo_matches(*selector.geo,
                             ngsi::geo::Geometry(ngsi::geo::Point(
                                 slot.box->min_lon, slot.box->min_lat)));
  }
  return true;
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
// type expression, else of every listed type. Unordered.
std::vector<const std::string*> EntityIndex::type_candidates(
    const EntitySelector& selector, const Plan& plan) const {
  std::vector<const std::string*> out;
  if (selector.type_expr) {
    for (const auto& clause : plan.clauses) {
      uint32_t best = clause.front();
      for (uint32_t t : clause) {
        if (members_[t].size() < members_[best].size()) best = t;
      }
      out.insert(out.end(), members_[best].begin(), members_[best].end());
    }
    return out;
  }
  for (uint32_t t : plan.wanted)
    out.insert(out.end(), members_[t].begin(), members_[t].end());
  return out;
}

// The smallest candidate set found, sorted by id and unique; matches()
// filters it. Each further source is only computed up to the size of the
// best one so far.
std::vector<const std::string*> EntityIndex::candidates(
    const EntitySelector& selector, const Plan& plan) const {
  std::vector<const std::string*> out;
  if (!selector.ids.empty()) {
    for (const auto& id : selector.ids) {
      auto it = by_id_.find(id);
      if (it != by_id_.end()) out.push_back(&it->first);
    }
  } else {
    bool typed = selector.type_expr || !selector.types.empty();
    size_t best = type_candidate_count(selector, plan);
    bool chosen = false;
    std::optional<Box> box = selector.bbox;
    if (selector.geo && selector.geo->search_box) {
      const auto& b = *selector.geo->search_box;
      box = Box{b.min_lon, b.min_lat, b.max_lon, b.max_lat};
    }
    if (box && geo_.query(*box, best + 1, &out)) {
      best = out.size();
      chosen = true;
    }
    if (selector.q_hint) {
      for (const ngsi::Term* term : ngsi::top_level_terms(*selector.q_hint)) {
        auto hits = values_.candidates(*term, chosen ? best : best + 1);
        if (hits && (!chosen || hits->size() < best)) {
          out = std::move(*hits);
          best = out.size();
          chosen = true;
        }
      }
    }
    if (!chosen && !typed) {
      out.clear();
      out.reserve(by_id_.size());
      for (const auto& kv : by_id_) out.push_back(&kv.first);
      return out;  // already ordered and unique
    }
    if (!chosen) out = type_candidates(selector, plan);
  }
  std::sort(out.begin(), out.end(), by_value);
  out.erase(std::unique(out.begin(), out.end(), same_pointee), out.end());
  return out;
}

std::vector<std::pair<std::string, int64_t>> EntityIndex::select(
    const EntitySelector& selector, uint64_t offset, uint64_t limit,
    uint64_t* total) const {
  Plan plan;
  plan.wanted = wanted_types(selector);
  std::vector<std::pair<std::string, int64_t>> page;
  *total = 0;
  if (!selector.types.empty() && plan.wanted.empty()) return page;
  if (selector.type_expr) {
    plan.clauses = wanted_clauses(selector);
    if (plan.clauses.empty()) return page;
  }
  bool simple = selector.ids.empty() && !selector.bbox && !selector.type_expr &&
                !selector.id_pattern && !selector.geo && !selector.q_hint &&
                selector.types.size() <= 1;
  if (simple) return select_fast(selector, plan.wanted, offset, limit, total);
  for (const std::string* id : candidates(selector, plan)) {
    const Slot& slot = by_id_.find(*id)->second;
    if (!matches(*id, slot, selector, plan)) continue;
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
