#include "ngsi/entity_writer.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "core/text.h"
#include "core/time.h"
#include "ngsi/entity_parser.h"

namespace cocity::ngsi {
namespace {

bool is_meta_member(std::string_view k) {
  return k == "type" || k == "value" || k == "object" || k == "languageMap" ||
         k == "vocab" || k == "valueList" || k == "objectList" || k == "json" ||
         k == "observedAt" || k == "unitCode" || k == "datasetId" ||
         k == "createdAt" || k == "modifiedAt" || k == "lang";
}

json::value compact_vocab(const json::value& v, const Context& ctx) {
  if (v.is_string()) return json::value(ctx.compact(v.get_string()));
  json::array a;
  for (const auto& e : v.get_array())
    a.push_back(json::value(ctx.compact(e.get_string())));
  return a;
}

// The key of `map` that language range `range` (not "*") matches: a tag
// equal to it, or one that extends it by subtags.
const json::key_value_pair* match_range(const json::object& map,
                                        std::string_view range) {
  for (const auto& kv : map) {
    std::string_view tag = kv.key();
    if (iequals(tag, range) ||
        (tag.size() > range.size() && tag[range.size()] == '-' &&
         iequals(tag.substr(0, range.size()), range))) {
      return &kv;
    }
  }
  return nullptr;
}

struct LanguageRange {
  std::string_view range;
  double weight = 1;
};

std::vector<LanguageRange> parse_ranges(std::string_view lang) {
  std::vector<LanguageRange> out;
  while (!lang.empty()) {
    size_t comma = lang.find(',');
    std::string_view item = lang.substr(0, comma);
    lang = comma == std::string_view::npos ? "" : lang.substr(comma + 1);
    LanguageRange r;
    size_t semi = item.find(';');
    if (semi != std::string_view::npos) {
      std::string_view param = trim(item.substr(semi + 1));
      if (param.starts_with("q=")) {
        r.weight = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
      }
      item = item.substr(0, semi);
    }
    r.range = trim(item);
    if (!r.range.empty() && r.weight > 0) out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.weight > b.weight;
  });
  return out;
}

// The value member's content as the client should see it.
json::value output_value(const json::object& inst, std::string_view kind,
                         const RenderOptions& opt, const Context& ctx) {
  const json::value& v = inst.at(value_member(kind));
  if (kind == "VocabProperty") return compact_vocab(v, ctx);
  if (kind == "LanguageProperty" && !opt.lang.empty()) {
    const auto& map = v.get_object();
    if (auto* hit = map.if_contains(pick_language(map, opt.lang))) return *hit;
  }
  return v;
}

json::value render_instance(const json::object& inst, const RenderOptions& opt,
                            const Context& ctx, bool top);

json::value render_key_value(const json::object& inst, const RenderOptions& opt,
                             const Context& ctx) {
  std::string_view kind = inst.at("type").get_string();
  return output_value(inst, kind, opt, ctx);
}

json::value render_instance(const json::object& inst, const RenderOptions& opt,
                            const Context& ctx, bool top) {
  std::string_view kind = inst.at("type").get_string();
  if (opt.format == Format::kKeyValues) return render_key_value(inst, opt, ctx);
  json::object out;
  bool concise = opt.format == Format::kConcise;
  bool lang_picked = kind == "LanguageProperty" && !opt.lang.empty();
  if (!concise) {
    out["type"] = lang_picked ? "Property" : kind;
  }
  std::string member(value_member(kind));
  if (lang_picked) member = "value";
  out[member] = output_value(inst, kind, opt, ctx);
  if (lang_picked) {
    std::string tag =
        pick_language(inst.at("languageMap").get_object(), opt.lang);
    if (!tag.empty() && tag != "@none") out["lang"] = std::move(tag);
  }
  for (const char* k : {"observedAt", "unitCode", "datasetId"}) {
    if (auto* v = inst.if_contains(k)) out[k] = *v;
  }
  if (opt.sys_attrs) {
    for (const char* k : {"createdAt", "modifiedAt"}) {
      if (auto* v = inst.if_contains(k)) out[k] = *v;
    }
  }
  for (const auto& kv : inst) {
    if (is_meta_member(kv.key())) continue;
    out[ctx.compact(kv.key())] =
        render_instance(kv.value().get_object(), opt, ctx, false);
  }
  // Concise: a Property (or GeoProperty) with nothing but its value is the
  // value itself.
  if (concise && out.size() == 1 &&
      (kind == "Property" || kind == "GeoProperty")) {
    json::value bare = out.at("value");
    // A bare object could be mistaken for an attribute: keep the wrapper.
    if (!bare.is_object() || kind == "GeoProperty") return bare;
  }
  return out;
}

json::value render_attribute(const json::array& instances,
                             const RenderOptions& opt, const Context& ctx) {
  if (instances.size() == 1) {
    return render_instance(instances[0].get_object(), opt, ctx, true);
  }
  json::array out;
  for (const auto& inst : instances) {
    out.push_back(render_instance(inst.get_object(), opt, ctx, true));
  }
  return out;
}

bool wanted(const std::string& iri, const RenderOptions& opt) {
  if (opt.only && !opt.only->contains(iri)) return false;
  return !opt.omit.contains(iri);
}

// The instances of an attribute whose term is typed "@type": "@vocab" in
// `ctx`, with the strings of its Property values compacted (the parser
// stored them expanded).
json::array compact_vocab_values(const json::array& instances,
                                 const Context& ctx) {
  json::array out = instances;
  for (auto& inst : out) {
    auto& o = inst.get_object();
    const auto* type = o.if_contains("type");
    auto* value = o.if_contains("value");
    if (!type || *type != "Property" || !value) continue;
    if (value->is_string()) {
      *value = json::value(ctx.compact(value->get_string()));
    } else if (auto* a = value->if_array()) {
      for (auto& e : *a) {
        if (e.is_string()) e = json::value(ctx.compact(e.get_string()));
      }
    }
  }
  return out;
}

void render_attributes(const Entity& e, const RenderOptions& opt,
                       const Context& ctx, json::object* out) {
  for (const auto& kv : e.attrs) {
    std::string iri(kv.key());
    if (is_private_attr(iri) || !wanted(iri, opt)) continue;
    json::array picked;
    if (opt.dataset_ids) {
      for (const auto& inst : kv.value().get_array()) {
        const auto* ds = inst.get_object().if_contains("datasetId");
        std::string_view id = ds && ds->is_string()
                                  ? std::string_view(ds->get_string())
                                  : std::string_view("@none");
        if (opt.dataset_ids->contains(std::string(id))) picked.push_back(inst);
      }
      if (picked.empty()) continue;
    }
    const json::array& instances =
        opt.dataset_ids ? picked : kv.value().get_array();
    (*out)[ctx.compact(iri)] =
        ctx.is_vocab_attribute(iri)
            ? render_attribute(compact_vocab_values(instances, ctx), opt, ctx)
            : render_attribute(instances, opt, ctx);
  }
}

}  // namespace

std::string pick_language(const json::object& map, std::string_view lang) {
  for (const auto& r : parse_ranges(lang)) {
    if (r.range == "*") {
      for (const auto& kv : map) {
        if (kv.key() != "@none") return std::string(kv.key());
      }
      continue;
    }
    // RFC 4647 lookup: the range, then the range without its last subtag.
    std::string_view range = r.range;
    while (!range.empty()) {
      if (const auto* hit = match_range(map, range)) {
        return std::string(hit->key());
      }
      size_t dash = range.rfind('-');
      range = dash == std::string_view::npos ? "" : range.substr(0, dash);
    }
  }
  if (map.contains("@none")) return "@none";
  return map.empty() ? "" : std::string(map.begin()->key());
}

json::value render_types(const Entity& entity, const Context& ctx) {
  if (entity.types.size() == 1)
    return json::value(ctx.compact(entity.types[0]));
  json::array a;
  for (const auto& t : entity.types) a.push_back(json::value(ctx.compact(t)));
  return a;
}

json::object render_entity(const Entity& e, const RenderOptions& opt,
                           const Context& ctx) {
  json::object out;
  if (opt.with_id) out["id"] = e.id;
  if (opt.with_type) out["type"] = render_types(e, ctx);
  if (!e.scope.empty()) {
    if (e.scope.size() == 1) {
      out["scope"] = e.scope[0];
    } else {
      json::array a;
      for (const auto& s : e.scope) a.push_back(json::value(s));
      out["scope"] = std::move(a);
    }
  }
  render_attributes(e, opt, ctx, &out);
  if (opt.sys_attrs) {
    out["createdAt"] = format_iso_time(e.created_at);
    out["modifiedAt"] = format_iso_time(e.modified_at);
  }
  return out;
}

json::object render_feature(const Entity& e, const RenderOptions& opt,
                            const Context& ctx,
                            std::string_view geoproperty_iri) {
  json::object feature;
  feature["id"] = e.id;
  feature["type"] = "Feature";
  json::value geometry = nullptr;
  if (auto* a = e.attrs.if_contains(geoproperty_iri)) {
    // The default instance (no datasetId), else the first one.
    const auto& instances = a->get_array();
    const json::object* inst = &instances[0].get_object();
    for (const auto& i : instances) {
      if (!i.get_object().contains("datasetId")) {
        inst = &i.get_object();
        break;
      }
    }
    if (inst->at("type") == "GeoProperty") geometry = inst->at("value");
  }
  feature["geometry"] = std::move(geometry);
  RenderOptions inner = opt;
  inner.with_id = false;
  feature["properties"] = render_entity(e, inner, ctx);
  return feature;
}

}  // namespace cocity::ngsi
