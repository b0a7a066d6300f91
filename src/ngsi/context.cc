#include "ngsi/context.h"

#include <utility>

namespace cocity::ngsi {
namespace {

// Terms of the NGSI-LD core @context (v1.8) that name attributes or types.
// Keywords of the API payload (value, object, observedAt, ...) are handled
// by the entity parser and never expanded.
constexpr std::pair<std::string_view, std::string_view> kCoreTerms[] = {
    {"location", "https://uri.etsi.org/ngsi-ld/location"},
    {"observationSpace", "https://uri.etsi.org/ngsi-ld/observationSpace"},
    {"operationSpace", "https://uri.etsi.org/ngsi-ld/operationSpace"},
    {"name", "https://uri.etsi.org/ngsi-ld/name"},
    {"description", "http://purl.org/dc/terms/description"},
    {"Property", "https://uri.etsi.org/ngsi-ld/Property"},
    {"Relationship", "https://uri.etsi.org/ngsi-ld/Relationship"},
    {"GeoProperty", "https://uri.etsi.org/ngsi-ld/GeoProperty"},
    {"LanguageProperty", "https://uri.etsi.org/ngsi-ld/LanguageProperty"},
    {"VocabProperty", "https://uri.etsi.org/ngsi-ld/VocabProperty"},
    {"ListProperty", "https://uri.etsi.org/ngsi-ld/ListProperty"},
    {"ListRelationship", "https://uri.etsi.org/ngsi-ld/ListRelationship"},
};

bool is_scheme_char(char c, bool first) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (first) return alpha;
  return alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

}  // namespace

bool is_absolute_uri(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 >= s.size()) {
    return false;
  }
  for (size_t i = 0; i < colon; ++i) {
    if (!is_scheme_char(s[i], i == 0)) return false;
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' ||
        c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' ||
        c == '}' || c == 0x7f) {
      return false;
    }
  }
  return true;
}

std::shared_ptr<const Context> Context::core() {
  static const std::shared_ptr<const Context> core = [] {
    std::shared_ptr<Context> c(new Context());
    for (auto [term, iri] : kCoreTerms) {
      c->term_to_iri_.emplace(term, iri);
      c->iri_to_term_.emplace(iri, term);
    }
    c->prefixes_.emplace("ngsi-ld", kNgsiLdPrefix);
    c->vocab_ = kDefaultVocab;
    c->url_ = kCoreContextUrl;
    return c;
  }();
  return core;
}

std::shared_ptr<const Context> Context::extend(
    std::shared_ptr<const Context> base,
    const std::unordered_map<std::string, std::string>& terms) {
  std::shared_ptr<Context> c(new Context(*base));
  c->url_.clear();
  // Prefixes first: a term whose IRI ends in '/' or '#' can serve as one.
  for (const auto& [term, iri] : terms) {
    if (!iri.empty() && (iri.back() == '/' || iri.back() == '#')) {
      c->prefixes_[term] = iri;
    }
  }
  for (const auto& [term, raw] : terms) {
    std::string iri = c->expand(raw);
    // A user term overrides the core: drop the reverse entry of the old IRI.
    auto old = c->term_to_iri_.find(term);
    if (old != c->term_to_iri_.end()) c->iri_to_term_.erase(old->second);
    c->term_to_iri_[term] = iri;
    c->iri_to_term_[iri] = term;
  }
  return c;
}

std::string Context::expand(std::string_view term) const {
  auto it = term_to_iri_.find(std::string(term));
  if (it != term_to_iri_.end()) return it->second;
  size_t colon = term.find(':');
  if (colon != std::string_view::npos) {
    auto prefix = prefixes_.find(std::string(term.substr(0, colon)));
    if (prefix != prefixes_.end() && term.substr(colon + 1, 2) != "//") {
      return prefix->second + std::string(term.substr(colon + 1));
    }
    if (is_absolute_uri(term)) return std::string(term);
  }
  return vocab_ + std::string(term);
}

std::string Context::compact(std::string_view iri) const {
  auto it = iri_to_term_.find(std::string(iri));
  if (it != iri_to_term_.end()) return it->second;
  if (iri.size() > vocab_.size() && iri.starts_with(vocab_)) {
    std::string_view rest = iri.substr(vocab_.size());
    // Only when expanding the remainder gives the IRI back.
    if (term_to_iri_.find(std::string(rest)) == term_to_iri_.end() &&
        rest.find(':') == std::string_view::npos) {
      return std::string(rest);
    }
  }
  return std::string(iri);
}

}  // namespace cocity::ngsi
