#include "ingest/old_readings.h"

namespace cocity::ingest {

namespace {

enum class Age { kNew, kDuplicate, kLate };

std::string_view dataset_of(const json::object& inst) {
  if (auto* d = inst.if_contains("datasetId"); d && d->is_string()) {
    return d->get_string();
  }
  return {};
}

std::optional<TimePoint> observed_at(const json::object& inst) {
  auto* o = inst.if_contains("observedAt");
  if (!o || !o->is_string()) return std::nullopt;
  auto t = parse_iso_time(o->get_string());
  if (!t) return std::nullopt;
  return *t;
}

bool is_system_member(std::string_view key) {
  return key == "createdAt" || key == "modifiedAt";
}

// Whether `current` already says everything `incoming` says.
bool same_members(const json::object& incoming, const json::object& current) {
  for (const auto& m : incoming) {
    if (is_system_member(m.key())) continue;
    auto* c = current.if_contains(m.key());
    if (!c || *c != m.value()) return false;
  }
  return true;
}

const json::object* current_instance(const ngsi::Entity* current,
                                     std::string_view attr,
                                     std::string_view dataset) {
  if (!current) return nullptr;
  auto* slot = current->attrs.if_contains(attr);
  if (!slot || !slot->is_array()) return nullptr;
  for (const auto& inst : slot->get_array()) {
    if (inst.is_object() && dataset_of(inst.get_object()) == dataset) {
      return &inst.get_object();
    }
  }
  return nullptr;
}

Age age_of(const json::object& incoming, const json::object* current) {
  if (!current) return Age::kNew;
  auto* in_at = incoming.if_contains("observedAt");
  auto* cur_at = current->if_contains("observedAt");
  if (!in_at || !cur_at) return Age::kNew;
  if (*in_at == *cur_at) {
    return same_members(incoming, *current) ? Age::kDuplicate : Age::kNew;
  }
  if (in_at->is_string() && cur_at->is_string()) {
    // The common case, without parsing: two UTC times of one shape (as
    // cocity writes them) order like their text.
    std::string_view a = in_at->get_string();
    std::string_view b = cur_at->get_string();
    if (a.size() == b.size() && a.ends_with('Z') && b.ends_with('Z')) {
      return a < b ? Age::kLate : Age::kNew;
    }
  }
  auto in_t = observed_at(incoming);
  auto cur_t = observed_at(*current);
  if (!in_t || !cur_t) return Age::kNew;
  if (*in_t < *cur_t) return Age::kLate;
  if (*in_t == *cur_t && same_members(incoming, *current)) {
    return Age::kDuplicate;  // the same time, written differently
  }
  return Age::kNew;
}

}  // namespace

SortedReadings sort_out_old_readings(const ngsi::Fragment& fragment,
                                     const ngsi::Entity* current,
                                     TimePoint now) {
  SortedReadings out;
  if (!current) return out;
  // First pass without copying: most readings are new.
  bool any_old = false;
  for (const auto& kv : fragment.attrs) {
    for (const auto& inst : kv.value().get_array()) {
      const json::object& o = inst.get_object();
      if (age_of(o, current_instance(current, kv.key(), dataset_of(o))) !=
          Age::kNew) {
        any_old = true;
      }
    }
  }
  if (!any_old) return out;
  ngsi::Fragment rest = fragment;
  rest.attrs.clear();
  for (const auto& kv : fragment.attrs) {
    json::array kept;
    for (const auto& inst : kv.value().get_array()) {
      const json::object& o = inst.get_object();
      Age age = age_of(o, current_instance(current, kv.key(), dataset_of(o)));
      if (age == Age::kNew) {
        kept.push_back(inst);
      } else if (age == Age::kDuplicate) {
        ++out.duplicates;
      } else {
        store::HistoryEntry h;
        h.attr = std::string(kv.key());
        h.dataset_id = std::string(dataset_of(o));
        h.observed_at = *observed_at(o);
        h.recorded_at = now;
        h.instance = o;
        h.unless_stored = true;
        out.late.push_back(std::move(h));
      }
    }
    if (!kept.empty()) rest.attrs.emplace(kv.key(), std::move(kept));
  }
  out.rest = std::move(rest);
  return out;
}

}  // namespace cocity::ingest
