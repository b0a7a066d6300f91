#include "apps/cocreation/idea_catalogue.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "apps/cocreation/survey.h"

namespace cocity::apps::cocreation {

namespace {

constexpr std::string_view kDomains[] = {
    "mobility",       "environment",  "energy",    "safety",
    "administration", "connectivity", "education", "other"};
constexpr std::string_view kConnectivity[] = {"LoRaWAN", "NB-IoT", "LTE/5G",
                                              "fibre"};
constexpr size_t kMaxText = 5000;

std::unexpected<Error> bad(std::string_view where, std::string_view what) {
  return fail(Code::kBadRequestData,
              "idea." + std::string(where) + ": " + std::string(what));
}

bool short_string(const json::value& v) {
  return v.is_string() && !v.get_string().empty() &&
         v.get_string().size() <= kMaxText;
}

// {"de": "...", "en": "..."} with at least one of them.
Status check_text(const json::object& idea, std::string_view key,
                  bool required) {
  const json::value* v = idea.if_contains(key);
  if (v == nullptr) {
    return required ? bad(key, "required") : ok();
  }
  if (!v->is_object()) return bad(key, "must be {\"de\": ..., \"en\": ...}");
  size_t found = 0;
  for (const auto& [lang, text] : v->get_object()) {
    if (lang != "de" && lang != "en") {
      return bad(key, "languages are \"de\" and \"en\"");
    }
    if (!short_string(text)) {
      return bad(std::string(key) + "." + std::string(lang),
                 "must be a non-empty string");
    }
    ++found;
  }
  return found > 0 ? ok() : bad(key, "needs \"de\" or \"en\"");
}

Status check_string_list(const json::value& v, std::string_view where) {
  if (!v.is_array()) return bad(where, "must be an array of strings");
  for (const auto& e : v.get_array()) {
    if (!short_string(e)) return bad(where, "must be an array of strings");
  }
  return ok();
}

Status check_benefits(const json::object& idea) {
  const json::value* v = idea.if_contains("benefits");
  if (v == nullptr) return ok();
  if (!v->is_object()) return bad("benefits", "must be {\"de\": [..]}");
  for (const auto& [lang, list] : v->get_object()) {
    if (lang != "de" && lang != "en") {
      return bad("benefits", "languages are \"de\" and \"en\"");
    }
    if (auto s = check_string_list(list, "benefits." + std::string(lang)); !s) {
      return s;
    }
  }
  return ok();
}

Status check_cost(const json::object& idea) {
  const json::value* v = idea.if_contains("cost_eur");
  if (v == nullptr) return ok();
  const json::object* o = v->if_object();
  const json::value* min = o ? o->if_contains("min") : nullptr;
  const json::value* max = o ? o->if_contains("max") : nullptr;
  if (!min || !max || !min->is_int64() || !max->is_int64() ||
      min->get_int64() < 0 || max->get_int64() < min->get_int64()) {
    return bad("cost_eur",
               "must be {\"min\": euros, \"max\": euros} with "
               "0 <= min <= max");
  }
  return ok();
}

Status check_prerequisites(const json::object& idea) {
  const json::value* v = idea.if_contains("prerequisites");
  if (v == nullptr) return ok();
  if (!v->is_object()) return bad("prerequisites", "must be an object");
  for (const auto& [key, value] : v->get_object()) {
    if (key == "connectivity") {
      if (!value.is_array()) {
        return bad("prerequisites.connectivity", "must be an array");
      }
      for (const auto& c : value.get_array()) {
        if (!c.is_string() ||
            std::find(std::begin(kConnectivity), std::end(kConnectivity),
                      c.get_string()) == std::end(kConnectivity)) {
          return bad("prerequisites.connectivity",
                     "entries are LoRaWAN, NB-IoT, LTE/5G or fibre");
        }
      }
    } else if (key == "power" || key == "data") {
      if (!short_string(value)) {
        return bad("prerequisites." + std::string(key), "must be a string");
      }
    } else {
      return bad("prerequisites." + std::string(key),
                 "unknown member (connectivity, power, data)");
    }
  }
  return ok();
}

Status check_kpis(const json::object& idea) {
  const json::value* v = idea.if_contains("kpis");
  if (v == nullptr) return ok();
  if (!v->is_array()) return bad("kpis", "must be an array");
  for (const auto& k : v->get_array()) {
    if (!k.is_object()) return bad("kpis", "entries are {\"de\", \"en\"}");
    if (k.get_object().empty()) return bad("kpis", "an entry is empty");
    for (const auto& [lang, text] : k.get_object()) {
      if ((lang != "de" && lang != "en") || !short_string(text)) {
        return bad("kpis", "entries are {\"de\": text, \"en\": text}");
      }
    }
  }
  return ok();
}

}  // namespace

Status validate_idea(const json::value& value, bool need_id) {
  if (!value.is_object())
    return fail(Code::kBadRequestData, "idea: must be an object");
  const json::object& idea = value.get_object();
  static const std::set<std::string, std::less<>> kKnown = {
      "id",       "domain",   "title",         "description",
      "benefits", "cost_eur", "prerequisites", "kpis"};
  for (const auto& [key, v] : idea) {
    if (!kKnown.contains(key)) return bad(key, "unknown member");
  }
  const json::value* id = idea.if_contains("id");
  if (need_id &&
      (id == nullptr || !id->is_string() || !valid_item_id(id->get_string()))) {
    return bad("id", "must be an id of 1-64 characters [A-Za-z0-9_-]");
  }
  if (!need_id && id != nullptr) return bad("id", "is assigned by the server");
  const json::value* domain = idea.if_contains("domain");
  if (domain == nullptr || !domain->is_string() ||
      std::find(std::begin(kDomains), std::end(kDomains),
                domain->get_string()) == std::end(kDomains)) {
    return bad("domain",
               "must be one of mobility, environment, energy, "
               "safety, administration, connectivity, education, "
               "other");
  }
  for (auto check :
       {+[](const json::object& i) { return check_text(i, "title", true); },
        +[](const json::object& i) {
          return check_text(i, "description", true);
        },
        &check_benefits, &check_cost, &check_prerequisites, &check_kpis}) {
    if (auto s = check(idea); !s) return s;
  }
  return ok();
}

Result<IdeaCatalogue> IdeaCatalogue::parse(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return std::unexpected(doc.error());
  const json::value* ideas =
      doc->is_object() ? doc->get_object().if_contains("ideas") : nullptr;
  if (ideas == nullptr || !ideas->is_array()) {
    return fail(Code::kBadRequestData, "catalogue: \"ideas\" array missing");
  }
  IdeaCatalogue c;
  std::set<std::string, std::less<>> ids;
  for (const auto& idea : ideas->get_array()) {
    if (auto s = validate_idea(idea, true); !s)
      return std::unexpected(s.error());
    std::string id(idea.at("id").get_string());
    if (!ids.insert(id).second) {
      return fail(Code::kBadRequestData, "catalogue: id '" + id + "' twice");
    }
    c.ideas_.push_back(idea);
  }
  return c;
}

Result<IdeaCatalogue> IdeaCatalogue::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Code::kNotFound, "cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  auto c = parse(text.str());
  if (!c) c.error().detail = path + ": " + c.error().detail;
  return c;
}

const json::object* IdeaCatalogue::find(std::string_view id) const {
  for (const auto& idea : ideas_) {
    const json::object& o = idea.get_object();
    if (o.at("id").get_string() == id) return &o;
  }
  return nullptr;
}

}  // namespace cocity::apps::cocreation
