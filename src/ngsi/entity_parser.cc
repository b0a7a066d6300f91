#include "ngsi/entity_parser.h"

#include <algorithm>
#include <set>

#include "ngsi/geojson.h"

namespace cocity::ngsi {
namespace {

constexpr int kMaxSubAttrDepth = 8;

std::unexpected<Error> bad(std::string_view what, std::string_view rule) {
  return fail(Code::kBadRequestData,
              std::string(what) + ": " + std::string(rule));
}

std::string attr_label(std::string_view name) {
  return "attribute '" + std::string(name) + "'";
}

// Names an attribute or sub-attribute in error details. The text is made
// only when there is an error to report: most instances have none.
struct Label {
  std::string_view name;
  bool sub = false;

  std::string text() const {
    return (sub ? "sub-attribute '" : "attribute '") + std::string(name) + "'";
  }
};

std::unexpected<Error> bad(const Label& what, std::string_view rule) {
  return bad(what.text(), rule);
}

bool is_kind(std::string_view t) {
  return t == "Property" || t == "Relationship" || t == "GeoProperty" ||
         t == "LanguageProperty" || t == "VocabProperty" ||
         t == "ListProperty" || t == "ListRelationship" || t == "JsonProperty";
}

// The kind a concise object implies by its value member, or "".
std::string_view implied_kind(const json::object& o) {
  if (o.contains("value")) return "Property";
  if (o.contains("object")) return "Relationship";
  if (o.contains("languageMap")) return "LanguageProperty";
  if (o.contains("vocab")) return "VocabProperty";
  if (o.contains("valueList")) return "ListProperty";
  if (o.contains("objectList")) return "ListRelationship";
  if (o.contains("json")) return "JsonProperty";
  return "";
}

bool looks_like_instance(const json::value& v) {
  if (!v.is_object()) return false;
  const auto& o = v.get_object();
  const auto* t = o.if_contains("type");
  if (t && t->is_string() && is_kind(t->get_string())) return true;
  return !implied_kind(o).empty();
}

bool is_system_member(std::string_view k) {
  return k == "createdAt" || k == "modifiedAt" || k == "deletedAt" ||
         k == "instanceId";
}

Status check_uri(const json::value& v, std::string_view what) {
  if (!v.is_string() || !is_absolute_uri(v.get_string())) {
    return bad(what, "must be a URI (e.g. urn:ngsi-ld:Type:id)");
  }
  return ok();
}

// `member` of the attribute `label` must be a URI.
Status check_uri(const json::value& v, const Label& label,
                 std::string_view member) {
  if (v.is_string() && is_absolute_uri(v.get_string())) return ok();
  return check_uri(v, label.text() + " '" + std::string(member) + "'");
}

// Validates `v` as the value member of a `kind` instance and moves it (or
// its stored form) to `*out`.
Status check_value(std::string_view kind, json::value& v, const Label& label,
                   const Context& ctx, json::value* out) {
  if (kind == "Property") {
    if (v.is_null()) return bad(label, "'value' must not be null");
  } else if (kind == "Relationship") {
    if (v.is_array()) {
      if (v.get_array().empty())
        return bad(label, "'object' must not be empty");
      for (const auto& e : v.get_array()) {
        if (auto s = check_uri(e, label, "object"); !s) return s;
      }
    } else if (auto s = check_uri(v, label, "object"); !s) {
      return s;
    }
  } else if (kind == "GeoProperty") {
    if (auto s = validate_geometry(v, label.text()); !s) return s;
  } else if (kind == "LanguageProperty") {
    if (!v.is_object()) return bad(label, "'languageMap' must be an object");
    for (const auto& kv : v.get_object()) {
      const auto& val = kv.value();
      bool strings = val.is_string();
      if (val.is_array()) {
        strings = std::all_of(val.get_array().begin(), val.get_array().end(),
                              [](auto& e) { return e.is_string(); });
      }
      if (!strings) {
        return bad(label, "languageMap entry '" + std::string(kv.key()) +
                              "' must be a string or an array of strings");
      }
    }
  } else if (kind == "VocabProperty") {
    auto expand = [&](const json::value& e) -> Result<json::value> {
      if (!e.is_string() || e.get_string().empty()) {
        return bad(label, "'vocab' must be a string or an array of strings");
      }
      return json::value(ctx.expand(e.get_string()));
    };
    if (v.is_array()) {
      json::array a;
      for (const auto& e : v.get_array()) {
        auto x = expand(e);
        if (!x) return std::unexpected(x.error());
        a.push_back(std::move(*x));
      }
      *out = std::move(a);
      return ok();
    }
    auto x = expand(v);
    if (!x) return std::unexpected(x.error());
    *out = std::move(*x);
    return ok();
  } else if (kind == "ListProperty") {
    if (!v.is_array()) return bad(label, "'valueList' must be an array");
  } else if (kind == "JsonProperty") {
    // Any JSON, kept as it is: never expanded, never read as an instance.
    if (v.is_null()) return bad(label, "'json' must not be null");
  } else {
    // ListRelationship: URIs, or objects {"object": URI}; stored as URIs.
    if (!v.is_array()) return bad(label, "'objectList' must be an array");
    json::array a;
    for (auto& e : v.get_array()) {
      json::value* uri = &e;
      if (auto* o = e.if_object(); o && o->contains("object")) {
        uri = &(*o)["object"];
      }
      if (auto s = check_uri(*uri, label, "objectList"); !s) {
        return s;
      }
      a.push_back(std::move(*uri));
    }
    *out = std::move(a);
    return ok();
  }
  *out = std::move(v);
  return ok();
}

// What every instance of one parse shares.
struct ParseScope {
  const Context& ctx;
  std::string now_text;  // format_iso_time(now): the system times
  json::storage_ptr sp;  // where the parsed instances live
};

Result<json::object> parse_instance(std::string_view name, json::value& v,
                                    const ParseScope& scope, int depth,
                                    std::string_view iri = {});

// A Property of a term typed "@type": "@vocab" holds vocabulary terms:
// its strings (also in an array) are stored expanded, like a
// VocabProperty's; other values stay as they are.
void expand_vocab_strings(const Context& ctx, json::value* v) {
  if (v->is_string()) {
    *v = json::value(ctx.expand(v->get_string()));
  } else if (auto* a = v->if_array()) {
    for (auto& e : *a) {
      if (e.is_string()) e = json::value(ctx.expand(e.get_string()));
    }
  }
}

// Moves the members of `in` that `out` keeps (validated) into `out`.
// `kind` must not view into `*out`: inserting members may move its storage.
Status parse_members(json::object& in, std::string_view kind,
                     const Label& label, const ParseScope& scope, int depth,
                     json::object* out) {
  std::string_view member = value_member(kind);
  for (auto& kv : in) {
    std::string_view k = kv.key();
    json::value& v = kv.value();
    if (k == "type" || k == "@context" || is_system_member(k)) continue;
    if (k == member) {
      json::value checked(scope.sp);
      if (auto s = check_value(kind, v, label, scope.ctx, &checked); !s)
        return s;
      out->insert_or_assign(member, std::move(checked));
    } else if (k == "observedAt") {
      if (!v.is_string()) return bad(label, "'observedAt' must be a string");
      auto t = parse_iso_time(v.get_string());
      if (!t) return bad(label, "'observedAt': " + t.error().detail);
      if (is_formatted_iso_time(v.get_string())) {
        out->insert_or_assign("observedAt", std::move(v));
      } else {
        out->insert_or_assign("observedAt", format_iso_time(*t));
      }
    } else if (k == "unitCode") {
      if (!v.is_string()) return bad(label, "'unitCode' must be a string");
      out->insert_or_assign("unitCode", std::move(v));
    } else if (k == "datasetId") {
      if (auto s = check_uri(v, label, "datasetId"); !s) return s;
      out->insert_or_assign("datasetId", std::move(v));
    } else if (k == "value" || k == "object" || k == "languageMap" ||
               k == "vocab" || k == "valueList" || k == "objectList" ||
               k == "json") {
      return bad(label, "'" + std::string(k) + "' does not belong to a " +
                            std::string(kind));
    } else if (k == "lang") {
      if (!v.is_string()) return bad(label, "'lang' must be a string");
      out->insert_or_assign("lang", std::move(v));
    } else {
      if (!valid_name(k)) {
        return bad(label, "sub-attribute name '" + std::string(k) +
                              "' contains a forbidden character");
      }
      if (depth >= kMaxSubAttrDepth) {
        return bad(label, "sub-attributes nested too deeply");
      }
      auto sub = parse_instance(k, v, scope, depth + 1);
      if (!sub) return std::unexpected(sub.error());
      out->insert_or_assign(scope.ctx.expand(k), std::move(*sub));
    }
  }
  if (!out->contains(member)) {
    return bad(label, "'" + std::string(member) + "' is missing for a " +
                          std::string(kind));
  }
  return ok();
}

// `v` is left in an unspecified state. `iri`: the expanded name (depth 0).
Result<json::object> parse_instance(std::string_view name, json::value& v,
                                    const ParseScope& scope, int depth,
                                    std::string_view iri) {
  const Label label{name, depth > 0};
  if (v.is_null()) return bad(label, "null is not an attribute value");
  json::object out(scope.sp);
  // Room for every member plus the system times: growing one key at a time
  // rehashed the object several times per instance.
  out.reserve((v.is_object() ? v.get_object().size() : 2) + 2);
  // The kind as stored; views a literal or the "type" member of `v`, which
  // parse_members leaves in place.
  std::string_view kind = "Property";
  if (!v.is_object()) {  // concise: a bare value is a Property
    out.emplace("type", kind);
    out.emplace("value", std::move(v));
  } else if (looks_like_geometry(v)) {  // concise GeoProperty
    if (auto s = validate_geometry(v, label.text()); !s)
      return std::unexpected(s.error());
    kind = "GeoProperty";
    out.emplace("type", kind);
    out.emplace("value", std::move(v));
  } else {
    auto& o = v.get_object();
    const auto* t = o.if_contains("type");
    std::string_view given;
    if (t && t->is_string() && is_kind(t->get_string())) {
      given = t->get_string();
    } else if (t && !implied_kind(o).empty()) {
      return bad(label,
                 "'type' must be one of Property, Relationship, "
                 "GeoProperty, LanguageProperty, VocabProperty, "
                 "ListProperty, ListRelationship, JsonProperty");
    } else {
      given = implied_kind(o);
    }
    if (given.empty()) {  // concise: a JSON object value
      out.emplace("type", kind);
      out.emplace("value", std::move(v));
    } else {
      kind = given;
      out.emplace("type", kind);
      if (auto s = parse_members(o, kind, label, scope, depth, &out); !s) {
        return std::unexpected(s.error());
      }
    }
  }
  if (depth == 0 && kind == "Property" && scope.ctx.is_vocab_attribute(iri)) {
    expand_vocab_strings(scope.ctx, &out["value"]);
  }
  if (depth == 0) {
    out.insert_or_assign("createdAt", scope.now_text);
    out.insert_or_assign("modifiedAt", scope.now_text);
  }
  return out;
}

Result<std::vector<std::string>> parse_types(const json::value& v,
                                             const Context& ctx) {
  std::vector<std::string> types;
  auto add = [&](const json::value& t) -> Status {
    if (!t.is_string() || !valid_name(t.get_string())) {
      return bad("entity 'type'",
                 "must be a non-empty name or an array of names");
    }
    if (t.get_string() == "type" || t.get_string() == "id") {
      return bad("entity 'type'",
                 "'" + std::string(t.get_string()) +
                     "' is a JSON-LD keyword alias, not a type name");
    }
    types.push_back(ctx.expand(t.get_string()));
    return ok();
  };
  if (v.is_array()) {
    if (v.get_array().empty()) return bad("entity 'type'", "must not be empty");
    for (const auto& t : v.get_array()) {
      if (auto s = add(t); !s) return std::unexpected(s.error());
    }
  } else if (auto s = add(v); !s) {
    return std::unexpected(s.error());
  }
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  return types;
}

Result<std::vector<std::string>> parse_scope(const json::value& v) {
  std::vector<std::string> scope;
  auto add = [&](const json::value& s) -> Status {
    if (!s.is_string() || !s.get_string().starts_with("/")) {
      return bad("entity 'scope'",
                 "each scope must be a string starting with '/'");
    }
    scope.emplace_back(s.get_string());
    return ok();
  };
  if (v.is_array()) {
    for (const auto& s : v.get_array()) {
      if (auto st = add(s); !st) return std::unexpected(st.error());
    }
  } else if (auto st = add(v); !st) {
    return std::unexpected(st.error());
  }
  return scope;
}

constexpr std::string_view kNullMarker = "urn:ngsi-ld:null";

bool is_null_marker(const json::value& v) {
  return v.is_string() && v.get_string() == kNullMarker;
}

bool is_null_value(const json::value& v) {
  return v.is_null() || is_null_marker(v);
}

}  // namespace

bool is_null_instance(const json::object& o) {
  for (std::string_view m : {"value", "object", "vocab"}) {
    if (const auto* v = o.if_contains(m)) return is_null_marker(*v);
  }
  if (const auto* lm = o.if_contains("languageMap")) {
    const auto* map = lm->if_object();
    return map && map->size() == 1 && map->contains("@none") &&
           is_null_marker(map->at("@none"));
  }
  for (std::string_view m : {"valueList", "objectList"}) {
    if (const auto* v = o.if_contains(m)) {
      const auto* list = v->if_array();
      return list && list->size() == 1 && is_null_marker(list->front());
    }
  }
  return false;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 512) return false;
  for (char c : name) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' ||
        c == '"' || c == '\'' || c == '=' || c == ';' || c == '(' || c == ')' ||
        c == 0x7f) {
      return false;
    }
  }
  return true;
}

std::string_view value_member(std::string_view attr_type) {
  if (attr_type == "Relationship") return "object";
  if (attr_type == "LanguageProperty") return "languageMap";
  if (attr_type == "VocabProperty") return "vocab";
  if (attr_type == "ListProperty") return "valueList";
  if (attr_type == "ListRelationship") return "objectList";
  if (attr_type == "JsonProperty") return "json";
  return "value";
}

namespace {

// `value` is left in an unspecified state.
Result<json::array> parse_instances(std::string_view name, std::string_view iri,
                                    json::value& value,
                                    const ParseScope& scope) {
  json::array instances(scope.sp);
  bool multi = value.is_array() && !value.get_array().empty() &&
               std::all_of(value.get_array().begin(), value.get_array().end(),
                           looks_like_instance);
  if (!multi) {
    auto inst = parse_instance(name, value, scope, 0, iri);
    if (!inst) return std::unexpected(inst.error());
    instances.push_back(std::move(*inst));
    return instances;
  }
  std::set<std::string> seen;
  for (auto& e : value.get_array()) {
    auto inst = parse_instance(name, e, scope, 0, iri);
    if (!inst) return std::unexpected(inst.error());
    std::string ds;
    if (auto* d = inst->if_contains("datasetId")) ds = d->get_string();
    if (!seen.insert(ds).second) {
      return bad(attr_label(name),
                 ds.empty() ? "more than one instance without a datasetId"
                            : "datasetId '" + ds + "' is used twice");
    }
    instances.push_back(std::move(*inst));
  }
  return instances;
}

// Moves the NGSI-LD Null instances of attribute `iri` (`*v`: one instance
// or an array of them) to f->deleted_instances. `*v` is left null when
// nothing else remains.
Status take_null_instances(std::string_view name, const std::string& iri,
                           json::value* v, Fragment* f) {
  auto take = [&](const json::value& inst) -> Result<bool> {
    const auto* o = inst.if_object();
    if (!o || !is_null_instance(*o)) return false;
    std::string ds;
    if (const auto* d = o->if_contains("datasetId")) {
      if (auto s = check_uri(*d, Label{name}, "datasetId"); !s)
        return std::unexpected(s.error());
      ds = d->get_string();
    }
    f->deleted_instances.push_back({iri, std::move(ds)});
    return true;
  };
  auto* a = v->if_array();
  if (a && !a->empty() &&
      std::all_of(a->begin(), a->end(), looks_like_instance)) {
    for (auto it = a->begin(); it != a->end();) {
      auto taken = take(*it);
      if (!taken) return std::unexpected(taken.error());
      it = *taken ? a->erase(it) : it + 1;
    }
    if (a->empty()) *v = nullptr;
    return ok();
  }
  auto taken = take(*v);
  if (!taken) return std::unexpected(taken.error());
  if (*taken) *v = nullptr;
  return ok();
}

// Parses the members common to entities and fragments, moving the values
// of `o` into `f`.
Status parse_body(json::object& o, const ParseScope& scope, bool allow_null,
                  Fragment* f) {
  const Context& ctx = scope.ctx;
  for (auto& kv : o) {
    std::string_view k = kv.key();
    json::value& v = kv.value();
    if (k == "id") {
      if (auto s = check_uri(v, "entity 'id'"); !s) return s;
      f->id = v.get_string();
    } else if (k == "type") {
      auto t = parse_types(v, ctx);
      if (!t) return std::unexpected(t.error());
      f->types = std::move(*t);
    } else if (k == "scope") {
      auto s = parse_scope(v);
      if (!s) return std::unexpected(s.error());
      f->scope = std::move(*s);
      f->has_scope = true;
    } else if (k == "@context" || is_system_member(k)) {
      continue;
    } else {
      if (!valid_name(k)) {
        return bad(attr_label(k), "the name contains a forbidden character");
      }
      std::string iri = ctx.expand(k);
      if (is_private_attr(iri)) {
        return bad(attr_label(k), "names under '" +
                                      std::string(kPrivateAttrPrefix) +
                                      "' are reserved for cocity");
      }
      if (allow_null && is_null_value(v)) {
        f->deleted.push_back(iri);
        continue;
      }
      if (allow_null) {
        auto s = take_null_instances(k, iri, &v, f);
        if (!s) return s;
        if (v.is_null()) continue;  // every instance was null
      }
      auto a = parse_instances(k, iri, v, scope);
      if (!a) return std::unexpected(a.error());
      if (iri.starts_with(kNgsiLdPrefix) &&
          (iri == kLocationIri || iri.ends_with("/observationSpace") ||
           iri.ends_with("/operationSpace"))) {
        for (const auto& inst : *a) {
          if (inst.get_object().at("type") != "GeoProperty") {
            return bad(attr_label(k), "must be a GeoProperty");
          }
        }
      }
      if (f->attrs.contains(iri)) {
        return bad(attr_label(k),
                   "is given twice (under two names that "
                   "expand to the same IRI)");
      }
      f->attrs.emplace(iri, std::move(*a));
    }
  }
  return ok();
}

}  // namespace

Result<json::array> parse_attribute(std::string_view name, json::value value,
                                    const Context& ctx, TimePoint now) {
  return parse_instances(name, ctx.expand(name), value,
                         ParseScope{ctx, format_iso_time(now), {}});
}

Result<Fragment> parse_fragment(json::value doc, const Context& ctx,
                                TimePoint now, bool allow_null,
                                json::storage_ptr sp) {
  if (!doc.is_object()) {
    return fail(Code::kBadRequestData,
                "the payload must be a JSON object, not " +
                    std::string(json_kind_name(doc)));
  }
  // Constructed, not assigned: a JSON container keeps the storage it was
  // made with, and assigning to it copies into that storage.
  Fragment f{.id = {},
             .types = {},
             .scope = {},
             .has_scope = false,
             .attrs = json::object(sp),
             .deleted = {},
             .deleted_instances = {}};
  ParseScope scope{ctx, format_iso_time(now), std::move(sp)};
  if (auto s = parse_body(doc.get_object(), scope, allow_null, &f); !s) {
    return std::unexpected(s.error());
  }
  return f;
}

Result<Entity> parse_entity(json::value doc, const Context& ctx, TimePoint now,
                            json::storage_ptr sp) {
  bool has_id = doc.is_object() && doc.get_object().contains("id");
  auto f = parse_fragment(std::move(doc), ctx, now, false, std::move(sp));
  if (!f) return std::unexpected(f.error());
  if (!has_id) {
    return fail(Code::kBadRequestData, "entity 'id' is missing");
  }
  if (f->types.empty()) {
    return fail(Code::kBadRequestData, "entity 'type' is missing");
  }
  return Entity{.id = std::move(f->id),
                .types = std::move(f->types),
                .scope = std::move(f->scope),
                .attrs = std::move(f->attrs),
                .created_at = now,
                .modified_at = now};
}

}  // namespace cocity::ngsi
