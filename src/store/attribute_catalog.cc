#include "store/attribute_catalog.h"

#include <algorithm>
#include <map>
#include <set>

namespace cocity::store {
namespace {

constexpr int64_t kDenseKeys = int64_t{1} << 28;

// The kinds of NGSI-LD v1.8, in mask bit order (eight: the mask is full).
constexpr std::string_view kKinds[] = {
    "Property",      "Relationship", "GeoProperty",      "LanguageProperty",
    "VocabProperty", "ListProperty", "ListRelationship", "JsonProperty"};

uint8_t kind_bit(const json::value& instance) {
  if (!instance.is_object()) return 0;
  const auto* type = instance.get_object().if_contains("type");
  if (!type || !type->is_string()) return 0;
  for (size_t i = 0; i < std::size(kKinds); ++i) {
    if (type->get_string() == kKinds[i]) return static_cast<uint8_t>(1u << i);
  }
  return 0;
}

std::vector<std::string> kinds_of(uint8_t mask) {
  std::vector<std::string> out;
  for (size_t i = 0; i < std::size(kKinds); ++i) {
    if (mask & (1u << i)) out.emplace_back(kKinds[i]);
  }
  return out;
}

void append_u32(uint32_t v, std::string* out) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace

uint32_t AttributeCatalog::intern_name(const std::string& name) {
  auto [it, added] =
      name_ids_.emplace(name, static_cast<uint32_t>(names_.size()));
  if (added) names_.push_back(name);
  return it->second;
}

uint32_t AttributeCatalog::shape_of(const ngsi::Entity& entity) {
  Shape shape;
  for (const auto& t : entity.types) shape.types.push_back(intern_name(t));
  std::sort(shape.types.begin(), shape.types.end());
  for (const auto& kv : entity.attrs) {
    uint8_t mask = 0;
    if (kv.value().is_array()) {
      for (const auto& inst : kv.value().get_array()) mask |= kind_bit(inst);
    }
    shape.attrs.emplace_back(intern_name(std::string(kv.key())), mask);
  }
  std::sort(shape.attrs.begin(), shape.attrs.end());
  std::string signature;
  append_u32(static_cast<uint32_t>(shape.types.size()), &signature);
  for (uint32_t t : shape.types) append_u32(t, &signature);
  for (auto [a, mask] : shape.attrs) {
    append_u32(a, &signature);
    signature.push_back(static_cast<char>(mask));
  }
  auto [it, added] =
      shape_ids_.emplace(signature, static_cast<uint32_t>(shapes_.size()));
  if (added) shapes_.push_back(std::move(shape));
  return it->second;
}

void AttributeCatalog::set_locked(int64_t key, uint32_t shape_plus_one) {
  uint32_t* slot = nullptr;
  if (key >= 0 && key < kDenseKeys) {
    if (static_cast<size_t>(key) >= by_key_.size()) {
      if (shape_plus_one == 0) return;
      by_key_.resize(std::max<size_t>(static_cast<size_t>(key) + 1,
                                      by_key_.size() * 3 / 2),
                     0);
    }
    slot = &by_key_[static_cast<size_t>(key)];
  } else {
    slot = &by_large_key_[key];
  }
  if (*slot != 0) --shapes_[*slot - 1].count;
  *slot = shape_plus_one;
  if (shape_plus_one != 0) ++shapes_[shape_plus_one - 1].count;
}

void AttributeCatalog::put(int64_t key, const ngsi::Entity& entity) {
  if (state_.load(std::memory_order_acquire) == State::kNone) return;
  std::lock_guard lock(mutex_);
  if (state_ == State::kBuilding) live_keys_.insert(key);
  set_locked(key, shape_of(entity) + 1);
}

void AttributeCatalog::remove(int64_t key) {
  if (state_.load(std::memory_order_acquire) == State::kNone) return;
  std::lock_guard lock(mutex_);
  if (state_ == State::kBuilding) live_keys_.insert(key);
  set_locked(key, 0);
}

void AttributeCatalog::reset_locked() {
  names_.clear();
  name_ids_.clear();
  shapes_.clear();
  shape_ids_.clear();
  by_key_.clear();
  by_large_key_.clear();
  live_keys_.clear();
}

Status AttributeCatalog::ensure_built(
    const std::function<Status(const Visit&)>& scan) {
  if (state_.load(std::memory_order_acquire) == State::kReady) return ok();
  std::lock_guard build_lock(build_mutex_);
  if (state_.load(std::memory_order_acquire) == State::kReady) return ok();
  {
    std::lock_guard lock(mutex_);
    reset_locked();
    state_.store(State::kBuilding, std::memory_order_release);
  }
  Status status = scan([this](int64_t key, const ngsi::Entity& entity) {
    std::lock_guard lock(mutex_);
    if (live_keys_.contains(key)) return;
    set_locked(key, shape_of(entity) + 1);
  });
  std::lock_guard lock(mutex_);
  if (!status) {
    reset_locked();
    state_.store(State::kNone, std::memory_order_release);
    return status;
  }
  live_keys_.clear();
  state_.store(State::kReady, std::memory_order_release);
  return ok();
}

CatalogSummary AttributeCatalog::summary() const {
  struct TypeAcc {
    uint64_t count = 0;
    std::map<uint32_t, uint8_t> attrs;
  };
  struct AttrAcc {
    uint64_t count = 0;
    uint8_t kinds = 0;
    std::set<uint32_t> types;
  };
  std::map<std::string, TypeAcc> types;
  std::map<std::string, AttrAcc> attrs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& shape : shapes_) {
      if (shape.count == 0) continue;
      for (uint32_t t : shape.types) {
        auto& acc = types[names_[t]];
        acc.count += shape.count;
        for (auto [a, mask] : shape.attrs) acc.attrs[a] |= mask;
      }
      for (auto [a, mask] : shape.attrs) {
        auto& acc = attrs[names_[a]];
        acc.count += shape.count;
        acc.kinds |= mask;
        acc.types.insert(shape.types.begin(), shape.types.end());
      }
    }
    CatalogSummary out;
    for (const auto& [name, acc] : types) {
      TypeSummary t{name, acc.count, {}};
      for (auto [a, mask] : acc.attrs) {
        t.attributes.push_back({names_[a], kinds_of(mask)});
      }
      std::sort(t.attributes.begin(), t.attributes.end(),
                [](const auto& x, const auto& y) { return x.name < y.name; });
      out.types.push_back(std::move(t));
    }
    for (const auto& [name, acc] : attrs) {
      AttributeSummary a{name, acc.count, kinds_of(acc.kinds), {}};
      for (uint32_t t : acc.types) a.types.push_back(names_[t]);
      std::sort(a.types.begin(), a.types.end());
      out.attributes.push_back(std::move(a));
    }
    return out;
  }
}

}  // namespace cocity::store
