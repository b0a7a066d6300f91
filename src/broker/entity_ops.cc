#include "broker/entity_ops.h"

#include <algorithm>

#include "store/history_codec.h"

namespace cocity::broker {
namespace {

using ngsi::Entity;
using store::Change;
using store::HistoryEntry;

// Takes the object itself: a json::value parameter would copy it.
std::string dataset_of(const json::object& inst) {
  if (auto* d = inst.if_contains("datasetId")) {
    return std::string(d->get_string());
  }
  return {};
}

std::string dataset_of(const json::value& inst) {
  return dataset_of(inst.get_object());
}

json::value* find_instance(json::array& instances, const std::string& ds) {
  for (auto& inst : instances) {
    if (dataset_of(inst) == ds) return &inst;
  }
  return nullptr;
}

std::unexpected<Error> not_found(const std::string& what) {
  return fail(Code::kNotFound, what);
}

class ChangeBuilder {
 public:
  ChangeBuilder(Entity entity, TimePoint now) : now_(now) {
    change_.kind = Change::Kind::kPut;
    change_.entity = std::move(entity);
  }
  // Takes the entity out of `*origin`; it goes back there unless finish()
  // hands out a kPut change.
  ChangeBuilder(Entity* origin, TimePoint now)
      : ChangeBuilder(std::move(*origin), now) {
    origin_ = origin;
  }
  ~ChangeBuilder() {
    if (origin_) *origin_ = std::move(change_.entity);
  }
  ChangeBuilder(const ChangeBuilder&) = delete;
  ChangeBuilder& operator=(const ChangeBuilder&) = delete;

  Entity& entity() { return change_.entity; }

  // `inst` is as the new state holds it, or as it will: the entry keeps
  // its stored form, not a copy.
  void wrote(std::string_view attr, const json::object& inst) {
    // Stored observedAt texts are as format_iso_time writes them, and the
    // instances of one write often share one.
    thread_local IsoTimeMemo observed_times;
    touched_ = true;
    if (ngsi::is_private_attr(attr)) return;
    HistoryEntry h;
    h.attr = attr;
    h.dataset_id = dataset_of(inst);
    h.recorded_at = now_;
    h.observed_at = now_;
    if (auto* o = inst.if_contains("observedAt")) {
      std::string_view text = o->get_string();
      if (auto t = observed_times.parse_formatted(text)) {
        h.observed_at = *t;
      } else if (auto parsed = parse_iso_time(text)) {
        h.observed_at = *parsed;
      }
    }
    store::encode_instance(inst, &h);
    change_.history.push_back(std::move(h));
  }

  void deleted(const std::string& attr, const std::string& ds) {
    touched_ = true;
    if (ngsi::is_private_attr(attr)) return;
    HistoryEntry h;
    h.attr = attr;
    h.dataset_id = ds;
    h.recorded_at = now_;
    h.observed_at = now_;
    h.deleted = true;
    change_.history.push_back(std::move(h));
  }

  void touch() { touched_ = true; }

  // Room for `n` more history entries.
  void reserve(size_t n) {
    change_.history.reserve(change_.history.size() + n);
  }

  Change finish() {
    if (!touched_) {
      Change none;
      none.kind = Change::Kind::kNone;
      return none;
    }
    origin_ = nullptr;
    change_.entity.modified_at = now_;
    return std::move(change_);
  }

 private:
  Change change_;
  TimePoint now_;
  Entity* origin_ = nullptr;
  bool touched_ = false;
};

void record_all(const Entity& e, ChangeBuilder* b) {
  size_t instances = 0;
  for (const auto& kv : e.attrs) instances += kv.value().get_array().size();
  b->reserve(instances);
  for (const auto& kv : e.attrs) {
    for (const auto& inst : kv.value().get_array()) {
      b->wrote(kv.key(), inst.get_object());
    }
  }
}

// Puts `incoming` in place of the instance with the same datasetId, keeping
// the old instance's createdAt. Returns whether one was replaced.
bool replace_instance(json::array& instances, json::object incoming) {
  std::string ds = dataset_of(incoming);
  if (json::value* old = find_instance(instances, ds)) {
    if (auto* c = old->get_object().if_contains("createdAt")) {
      incoming["createdAt"] = *c;
    }
    *old = std::move(incoming);
    return true;
  }
  instances.push_back(std::move(incoming));
  return false;
}

// Adds the fragment's types the entity lacks; only a real addition is a
// change.
void add_types(const std::vector<std::string>& types, ChangeBuilder* b) {
  Entity& e = b->entity();
  size_t before = e.types.size();
  for (const auto& t : types) {
    if (std::find(e.types.begin(), e.types.end(), t) == e.types.end()) {
      e.types.push_back(t);
    }
  }
  if (e.types.size() == before) return;
  std::sort(e.types.begin(), e.types.end());
  b->touch();
}

void delete_attr_all(Entity& e, const std::string& attr, ChangeBuilder* b) {
  auto* a = e.attrs.if_contains(attr);
  if (!a) return;
  for (const auto& inst : a->get_array()) b->deleted(attr, dataset_of(inst));
  e.attrs.erase(attr);
}

// Deletes the instance of `attr` with `dataset_id` ("" the default one),
// and the attribute with its last instance. Returns whether there was one.
bool delete_instance(Entity& e, const std::string& attr,
                     const std::string& dataset_id, ChangeBuilder* b) {
  auto* a = e.attrs.if_contains(attr);
  if (!a) return false;
  json::array& slot = a->get_array();
  auto it = std::find_if(slot.begin(), slot.end(), [&](const json::value& v) {
    return dataset_of(v) == dataset_id;
  });
  if (it == slot.end()) return false;
  slot.erase(it);
  b->deleted(attr, dataset_id);
  if (slot.empty()) e.attrs.erase(attr);
  return true;
}

std::string no_instance(const std::string& attr, const std::string& ds) {
  return ds.empty() ? "attribute '" + attr + "' has no default instance"
                    : "attribute '" + attr +
                          "' has no instance with datasetId '" + ds + "'";
}

}  // namespace

Result<Change> create_entity(const Entity* current, Entity incoming) {
  if (current) {
    return fail(Code::kAlreadyExists,
                "entity '" + incoming.id + "' already exists");
  }
  TimePoint now = incoming.modified_at;
  ChangeBuilder b(std::move(incoming), now);
  record_all(b.entity(), &b);
  b.touch();
  return b.finish();
}

Result<Change> replace_entity(Entity* current, const Entity& incoming) {
  if (!current) return not_found("entity '" + incoming.id + "' not found");
  TimePoint now = incoming.modified_at;
  // The new state is built in the old one's memory: a sensor's next
  // reading has the shape of its last, so this allocates and frees nothing.
  ChangeBuilder b(current, now);
  Entity& e = b.entity();
  if (same_keys(e.attrs, incoming.attrs)) {
    assign_members_in_place(incoming.attrs, &e.attrs);
  } else {
    // Attributes the new content leaves out are deleted.
    for (auto it = e.attrs.begin(); it != e.attrs.end();) {
      if (incoming.attrs.contains(it->key())) {
        ++it;
        continue;
      }
      for (const auto& inst : it->value().get_array()) {
        b.deleted(std::string(it->key()), dataset_of(inst));
      }
      it = e.attrs.erase(it);
    }
    assign_in_place(incoming.attrs, &e.attrs);
  }
  e.types = incoming.types;
  e.scope = incoming.scope;
  record_all(e, &b);
  b.touch();
  return b.finish();
}

Result<Change> merge_entity(Entity* current, const ngsi::Fragment& fragment,
                            TimePoint now, bool must_exist) {
  if (!current) {
    if (must_exist) return not_found("entity '" + fragment.id + "' not found");
    if (fragment.types.empty()) {
      return fail(Code::kBadRequestData, "entity 'type' is missing");
    }
    Entity e;
    e.id = fragment.id;
    e.types = fragment.types;
    e.scope = fragment.scope;
    e.attrs = fragment.attrs;
    e.created_at = e.modified_at = now;
    return create_entity(nullptr, std::move(e));
  }
  ChangeBuilder b(current, now);
  Entity& e = b.entity();
  add_types(fragment.types, &b);
  if (fragment.has_scope) {
    e.scope = fragment.scope;
    b.touch();
  }
  for (const auto& attr : fragment.deleted) delete_attr_all(e, attr, &b);
  for (const auto& d : fragment.deleted_instances) {
    delete_instance(e, d.attr, d.dataset_id, &b);
  }
  for (const auto& kv : fragment.attrs) {
    std::string attr(kv.key());
    json::value& slot = e.attrs[attr];
    if (!slot.is_array()) slot = json::array();
    for (const auto& inst : kv.value().get_array()) {
      const json::object& incoming = inst.get_object();
      json::value* old = find_instance(slot.get_array(), dataset_of(inst));
      if (old && old->get_object().at("type") == incoming.at("type")) {
        // Merged in place: members not in the fragment (sub-attributes,
        // unitCode) stay, and so does the instance's createdAt.
        json::object& target = old->get_object();
        for (const auto& m : incoming) {
          if (m.key() == "createdAt" && target.contains("createdAt")) continue;
          target[m.key()] = m.value();
        }
        b.wrote(attr, target);
        continue;
      }
      // New, or of another kind: the fragment's instance replaces it.
      replace_instance(slot.get_array(), incoming);
      b.wrote(attr,
              find_instance(slot.get_array(), dataset_of(inst))->get_object());
    }
  }
  return b.finish();
}

Result<Change> append_attributes(Entity* current,
                                 const ngsi::Fragment& fragment, TimePoint now,
                                 bool no_overwrite, UpdateReport* report) {
  if (!current) return not_found("entity '" + fragment.id + "' not found");
  ChangeBuilder b(current, now);
  Entity& e = b.entity();
  add_types(fragment.types, &b);
  if (fragment.has_scope) {  // 4.18: replaced, or added to with noOverwrite
    if (!no_overwrite) e.scope.clear();
    for (const auto& s : fragment.scope) {
      if (std::find(e.scope.begin(), e.scope.end(), s) == e.scope.end()) {
        e.scope.push_back(s);
      }
    }
    b.touch();
  }
  for (const auto& kv : fragment.attrs) {
    std::string attr(kv.key());
    json::value& slot = e.attrs[attr];
    if (!slot.is_array()) slot = json::array();
    bool any = false;
    for (const auto& inst : kv.value().get_array()) {
      std::string ds = dataset_of(inst);
      if (no_overwrite && find_instance(slot.get_array(), ds)) {
        report->not_updated.push_back(
            {attr, "attribute exists and options=noOverwrite was given"});
        continue;
      }
      replace_instance(slot.get_array(), inst.get_object());
      b.wrote(attr, inst.get_object());
      any = true;
    }
    if (any) report->updated.push_back(attr);
  }
  return b.finish();
}

Result<Change> update_attributes(Entity* current,
                                 const ngsi::Fragment& fragment, TimePoint now,
                                 UpdateReport* report) {
  if (!current) return not_found("entity '" + fragment.id + "' not found");
  ChangeBuilder b(current, now);
  Entity& e = b.entity();
  add_types(fragment.types, &b);
  if (fragment.has_scope) {  // 4.18: only an existing scope is replaced
    if (e.scope.empty()) {
      report->not_updated.push_back({"scope", "the entity has no scope"});
    } else {
      e.scope = fragment.scope;
      b.touch();
    }
  }
  for (const auto& attr : fragment.deleted) {
    if (!e.attrs.contains(attr)) {
      report->not_updated.push_back({attr, "attribute does not exist"});
      continue;
    }
    delete_attr_all(e, attr, &b);
    report->updated.push_back(attr);
  }
  for (const auto& d : fragment.deleted_instances) {
    if (!e.attrs.contains(d.attr)) {
      report->not_updated.push_back({d.attr, "attribute does not exist"});
    } else if (!delete_instance(e, d.attr, d.dataset_id, &b)) {
      report->not_updated.push_back(
          {d.attr, "no instance with datasetId '" + d.dataset_id + "'"});
    } else {
      report->updated.push_back(d.attr);
    }
  }
  for (const auto& kv : fragment.attrs) {
    std::string attr(kv.key());
    json::value* slot = e.attrs.if_contains(attr);
    if (!slot) {
      report->not_updated.push_back({attr, "attribute does not exist"});
      continue;
    }
    bool any = false;
    for (const auto& inst : kv.value().get_array()) {
      std::string ds = dataset_of(inst);
      if (!find_instance(slot->get_array(), ds)) {
        report->not_updated.push_back(
            {attr, "no instance with datasetId '" + ds + "'"});
        continue;
      }
      replace_instance(slot->get_array(), inst.get_object());
      b.wrote(attr, inst.get_object());
      any = true;
    }
    if (any) report->updated.push_back(attr);
  }
  return b.finish();
}

Result<Change> partial_update_attribute(Entity* current,
                                        const std::string& attr,
                                        const json::object& fragment,
                                        const ngsi::Context& ctx,
                                        TimePoint now) {
  if (!current) return not_found("entity not found");
  const json::value* slot = current->attrs.if_contains(attr);
  std::string name = ctx.compact(attr);
  if (!slot) return not_found("attribute '" + name + "' not found");
  std::string ds;
  if (auto* d = fragment.if_contains("datasetId")) {
    if (!d->is_string()) {
      return fail(Code::kBadRequestData, "'datasetId' must be a string");
    }
    ds = d->get_string();
  }
  json::value copy = *slot;
  json::value* old = find_instance(copy.get_array(), ds);
  if (!old) {
    return not_found(no_instance(name, ds));
  }
  if (ngsi::is_null_instance(fragment)) {  // NGSI-LD Null deletes
    ChangeBuilder b(current, now);
    delete_instance(b.entity(), attr, ds, &b);
    return b.finish();
  }
  // Complete the fragment with the old kind and value so that it parses as
  // an instance, then lay its members over the old instance.
  json::object patch = fragment;
  const json::object& old_obj = old->get_object();
  std::string_view kind = old_obj.at("type").get_string();
  if (!patch.contains("type")) patch["type"] = kind;
  if (const auto* t = patch["type"].if_string(); t && *t != kind) {
    return fail(Code::kBadRequestData,
                "attribute '" + name + "' is a " + std::string(kind) +
                    "; a partial update cannot make it a " + std::string(*t));
  }
  std::string_view member = ngsi::value_member(patch["type"].get_string());
  if (!patch.contains(member) && old_obj.contains(member)) {
    patch[member] = old_obj.at(member);
  }
  auto parsed = ngsi::parse_attribute(name, std::move(patch), ctx, now);
  if (!parsed) return std::unexpected(parsed.error());
  json::object merged = old_obj;
  for (const auto& m : (*parsed)[0].get_object()) {
    if (m.key() == "createdAt") continue;
    merged[m.key()] = m.value();
  }
  ChangeBuilder b(current, now);
  replace_instance(b.entity().attrs[attr].get_array(), merged);
  b.wrote(attr, merged);
  return b.finish();
}

Result<Change> replace_attribute(Entity* current, const std::string& attr,
                                 const json::array& instances, TimePoint now) {
  if (!current) return not_found("entity not found");
  if (!current->attrs.contains(attr)) {
    return not_found("attribute '" + attr + "' not found");
  }
  ChangeBuilder b(current, now);
  json::array& slot = b.entity().attrs[attr].get_array();
  for (const auto& inst : instances) {
    replace_instance(slot, inst.get_object());
    b.wrote(attr, inst.get_object());
  }
  return b.finish();
}

Result<Change> delete_attribute(Entity* current, const std::string& attr,
                                const std::string& dataset_id, bool delete_all,
                                TimePoint now) {
  if (!current) return not_found("entity not found");
  if (!current->attrs.contains(attr)) {
    return not_found("attribute '" + attr + "' not found");
  }
  ChangeBuilder b(current, now);
  Entity& e = b.entity();
  if (delete_all) {
    delete_attr_all(e, attr, &b);
    return b.finish();
  }
  if (!delete_instance(e, attr, dataset_id, &b)) {
    return not_found(no_instance(attr, dataset_id));
  }
  return b.finish();
}

Result<Change> delete_scope(Entity* current, const std::string& id,
                            TimePoint now) {
  if (!current) return not_found("entity '" + id + "' not found");
  if (current->scope.empty()) {
    return not_found("entity '" + id + "' has no scope");
  }
  ChangeBuilder b(current, now);
  b.entity().scope.clear();
  b.touch();
  return b.finish();
}

Result<Change> delete_entity(const Entity* current, TimePoint now) {
  if (!current) return not_found("entity not found");
  Change c;
  c.kind = Change::Kind::kDelete;
  c.entity.id = current->id;
  for (const auto& kv : current->attrs) {
    for (const auto& inst : kv.value().get_array()) {
      HistoryEntry h;
      h.attr = std::string(kv.key());
      h.dataset_id = dataset_of(inst);
      h.recorded_at = h.observed_at = now;
      h.deleted = true;
      c.history.push_back(std::move(h));
    }
  }
  return c;
}

}  // namespace cocity::broker
