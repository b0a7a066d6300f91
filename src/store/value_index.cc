#include "store/value_index.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <tuple>

#include "ngsi/entity_parser.h"

namespace cocity::store {
namespace {

enum : uint32_t { kNumber = 0, kText = 1, kOverflow = 2 };

uint64_t hash_text(std::string_view s) {
  return std::hash<std::string_view>{}(s);
}

const json::value& unwrap(const json::value& v) {
  if (const auto* o = v.if_object()) {
    if (const auto* inner = o->if_contains("@value")) return *inner;
  }
  return v;
}

// Adds the comparable scalars of `v` (an array's elements, or v itself).
void add_targets(const json::value& v, uint32_t attr,
                 ValueIndex::Entries* out) {
  auto add = [&](const json::value& raw) {
    const json::value& x = unwrap(raw);
    if (x.is_number()) {
      double d = x.to_number<double>();
      out->push_back({attr, kNumber, d == 0 ? 0.0 : d, 0});
    } else if (x.is_string()) {
      out->push_back({attr, kText, 0, hash_text(x.get_string())});
    }
  };
  if (const auto* a = v.if_array()) {
    for (const auto& e : *a) add(e);
  } else {
    add(v);
  }
}

void add_instance(const json::object& inst, uint32_t attr,
                  ValueIndex::Entries* out) {
  std::string_view type;
  if (const auto* t = inst.if_contains("type"); t && t->is_string()) {
    type = t->get_string();
  }
  std::string_view member = ngsi::value_member(type);
  const json::value* v = inst.if_contains(member);
  if (v == nullptr) return;
  if (member == "languageMap") {
    if (const auto* o = v->if_object()) {
      for (const auto& m : *o) add_targets(m.value(), attr, out);
    }
    return;
  }
  add_targets(*v, attr, out);
}

// Number ranges and text hashes one term may match.
struct Lookup {
  std::vector<std::pair<double, double>> ranges;  // inclusive
  std::vector<uint64_t> hashes;
};

constexpr double kInf = std::numeric_limits<double>::infinity();

std::optional<Lookup> equal_lookup(const ngsi::Term& term) {
  Lookup l;
  if (term.is_range) {
    if (term.values.size() != 2 ||
        term.values[0].kind != ngsi::ValueKind::kNumber ||
        term.values[1].kind != ngsi::ValueKind::kNumber) {
      return std::nullopt;
    }
    l.ranges.emplace_back(term.values[0].number, term.values[1].number);
    return l;
  }
  for (const auto& c : term.values) {
    switch (c.kind) {
      case ngsi::ValueKind::kNumber:
        l.ranges.emplace_back(c.number, c.number);
        break;
      case ngsi::ValueKind::kString:
      case ngsi::ValueKind::kUri:
        l.hashes.push_back(hash_text(c.text));
        if (!c.expanded.empty() && c.expanded != c.text)
          l.hashes.push_back(hash_text(c.expanded));
        break;
      default:
        return std::nullopt;
    }
  }
  return l;
}

// The numbers an ordering op with constant n accepts; the ends are
// inclusive, so > and < take a few extra candidates at n itself.
std::optional<Lookup> lookup_of(const ngsi::Term& term) {
  const auto& p = term.path;
  if (!p.sub_attrs.empty() || p.meta != ngsi::MetaField::kNone ||
      !p.compound.empty()) {
    return std::nullopt;
  }
  if (term.op == ngsi::Op::kEqual) return equal_lookup(term);
  if (term.values.size() != 1 ||
      term.values[0].kind != ngsi::ValueKind::kNumber) {
    return std::nullopt;
  }
  double n = term.values[0].number;
  Lookup l;
  switch (term.op) {
    case ngsi::Op::kGreater:
    case ngsi::Op::kGreaterEq:
      l.ranges.emplace_back(n, kInf);
      return l;
    case ngsi::Op::kLess:
    case ngsi::Op::kLessEq:
      l.ranges.emplace_back(-kInf, n);
      return l;
    default:
      return std::nullopt;
  }
}

}  // namespace

void ValueIndex::set_attributes(IndexedAttributes attributes) {
  policy_ = std::move(attributes);
  attr_ids_.clear();
  attrs_.clear();
  size_ = 0;
}

uint32_t ValueIndex::intern(std::string_view attr) {
  auto it = attr_ids_.find(std::string(attr));
  if (it != attr_ids_.end()) return it->second;
  uint32_t id = kNotIndexed;
  if (policy_.covers(attr)) {
    id = static_cast<uint32_t>(attrs_.size());
    attrs_.emplace_back();
  }
  attr_ids_.emplace(std::string(attr), id);
  return id;
}

ValueIndex::Entries ValueIndex::entries_of(const ngsi::Entity& entity) {
  Entries out;
  for (const auto& kv : entity.attrs) {
    const json::array* instances = kv.value().if_array();
    if (instances == nullptr) continue;
    uint32_t attr = intern(std::string_view(kv.key()));
    if (attr == kNotIndexed) continue;
    size_t first = out.size();
    for (const auto& inst : *instances) {
      if (const auto* o = inst.if_object()) add_instance(*o, attr, &out);
    }
    if (out.size() - first > kMaxValuesPerAttr) {
      out.resize(first);
      out.push_back({attr, kOverflow, 0, 0});
    }
  }
  return out;
}

void ValueIndex::insert(Id id, const Entry& e) {
  PerAttr& a = attrs_[e.attr];
  bool added = false;
  if (e.kind == kNumber) added = a.numbers.emplace(e.number, id).second;
  if (e.kind == kText) added = a.texts.emplace(e.hash, id).second;
  if (e.kind == kOverflow) added = a.overflow.insert(id).second;
  if (added) ++size_;
}

void ValueIndex::erase(Id id, const Entry& e) {
  PerAttr& a = attrs_[e.attr];
  size_t n = 0;
  if (e.kind == kNumber) n = a.numbers.erase({e.number, id});
  if (e.kind == kText) n = a.texts.erase({e.hash, id});
  if (e.kind == kOverflow) n = a.overflow.erase(id);
  size_ -= n;
}

void ValueIndex::set(Id id, const ngsi::Entity& entity, Entries* entries) {
  Entries next = entries_of(entity);
  auto same = [](const Entry& a, const Entry& b) {
    return a.attr == b.attr && a.kind == b.kind && a.number == b.number &&
           a.hash == b.hash;
  };
  if (std::equal(next.begin(), next.end(), entries->begin(), entries->end(),
                 same)) {
    return;
  }
  clear(id, entries);
  for (const Entry& e : next) insert(id, e);
  *entries = std::move(next);
}

void ValueIndex::load(Id id, const ngsi::Entity& entity, Entries* entries) {
  *entries = entries_of(entity);
  for (const Entry& e : *entries) pending_.emplace_back(id, e);
}

// In the order of each attribute's trees, so that every insertion goes
// at the end (emplace_hint, amortized constant time).
void ValueIndex::finish_load() {
  auto key = [](const std::pair<Id, Entry>& p) {
    const Entry& e = p.second;
    return std::make_tuple(e.attr, e.kind, e.kind == kNumber ? e.number : 0.0,
                           e.kind == kText ? e.hash : 0, p.first);
  };
  std::sort(pending_.begin(), pending_.end(),
            [&](const auto& a, const auto& b) { return key(a) < key(b); });
  for (const auto& [id, e] : pending_) {
    PerAttr& a = attrs_[e.attr];
    size_t before = a.numbers.size() + a.texts.size() + a.overflow.size();
    if (e.kind == kNumber)
      a.numbers.emplace_hint(a.numbers.end(), e.number, id);
    if (e.kind == kText) a.texts.emplace_hint(a.texts.end(), e.hash, id);
    if (e.kind == kOverflow) a.overflow.emplace_hint(a.overflow.end(), id);
    size_ += a.numbers.size() + a.texts.size() + a.overflow.size() - before;
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

void ValueIndex::clear(Id id, Entries* entries) {
  for (const Entry& e : *entries) erase(id, e);
  entries->clear();
}

std::optional<std::vector<ValueIndex::Id>> ValueIndex::candidates(
    const ngsi::Term& term, size_t cap) const {
  auto lookup = lookup_of(term);
  if (!lookup) return std::nullopt;
  if (!policy_.covers(term.path.attr)) return std::nullopt;
  std::vector<Id> out;
  auto it = attr_ids_.find(term.path.attr);
  if (it == attr_ids_.end() || it->second == kNotIndexed) return out;
  const PerAttr& a = attrs_[it->second];
  out.assign(a.overflow.begin(), a.overflow.end());
  for (const auto& [lo, hi] : lookup->ranges) {
    auto from = a.numbers.lower_bound({lo, 0});
    for (; from != a.numbers.end() && from->first <= hi; ++from) {
      if (out.size() >= cap) return std::nullopt;
      out.push_back(from->second);
    }
  }
  for (uint64_t h : lookup->hashes) {
    auto from = a.texts.lower_bound({h, 0});
    for (; from != a.texts.end() && from->first == h; ++from) {
      if (out.size() >= cap) return std::nullopt;
      out.push_back(from->second);
    }
  }
  return out;
}

}  // namespace cocity::store
