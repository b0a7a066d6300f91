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
    {"description", "http://purl.org/dc/terms/description"},
    {"Property", "https://uri.etsi.org/ngsi-ld/Property"},
    {"Relationship", "https://uri.etsi.org/ngsi-ld/Relationship"},
    {"GeoProperty", "https://uri.etsi.org/ngsi-ld/GeoProperty"},
    {"LanguageProperty", "https://uri.etsi.org/ngsi-ld/LanguageProperty"},
    {"VocabProperty", "https://uri.etsi.org/ngsi-ld/VocabProperty"},
    {"ListProperty", "https://uri.etsi.org/ngsi-ld/ListProperty"},
    {"ListRelationship", "https://uri.etsi.org/ngsi-ld/ListRelationship"},
    {"JsonProperty", "https://uri.etsi.org/ngsi-ld/JsonProperty"},
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

bool is_core_term(std::string_view term) {
  for (auto [core_term, iri] : kCoreTerms) {
    if (core_term == term) return true;
  }
  return term == "ngsi-ld";
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
    if (!iri.empty() && (iri.back() == '/' || iri.back() == '#') &&
        !is_core_term(term)) {
      c->prefixes_[term] = iri;
    }
  }
  for (const auto& [term, raw] : terms) c->define(term, c->expand(raw), false);
  return c;
}

void Context::define(const std::string& term, const std::string& iri,
                     bool vocab) {
  if (is_core_term(term)) return;  // protected
  auto old = term_to_iri_.find(term);
  if (old != term_to_iri_.end()) {
    auto reverse = iri_to_term_.find(old->second);
    if (reverse != iri_to_term_.end() && reverse->second == term) {
      iri_to_term_.erase(reverse);
    }
    vocab_attrs_.erase(old->second);
  }
  term_to_iri_[term] = iri;
  // The shortest term wins the reverse mapping, then the first defined.
  auto reverse = iri_to_term_.find(iri);
  if (reverse == iri_to_term_.end() || term.size() < reverse->second.size()) {
    iri_to_term_[iri] = term;
  }
  if (vocab) vocab_attrs_.insert(iri);
  if (!iri.empty() &&
      (iri.back() == '/' || iri.back() == '#' || iri.back() == ':')) {
    prefixes_[term] = iri;
  }
}

void Context::undefine(const std::string& term) {
  if (is_core_term(term)) return;
  auto old = term_to_iri_.find(term);
  if (old == term_to_iri_.end()) return;
  auto reverse = iri_to_term_.find(old->second);
  if (reverse != iri_to_term_.end() && reverse->second == term) {
    iri_to_term_.erase(reverse);
  }
  vocab_attrs_.erase(old->second);
  prefixes_.erase(term);
  term_to_iri_.erase(old);
}

void Context::merge(const Context& other) {
  for (const auto& [prefix, iri] : other.prefixes_) {
    if (!is_core_term(prefix)) prefixes_[prefix] = iri;
  }
  for (const auto& [term, iri] : other.term_to_iri_) {
    define(term, iri, other.vocab_attrs_.contains(iri));
  }
  if (other.vocab_ != kDefaultVocab) vocab_ = other.vocab_;
}

std::shared_ptr<const Context> Context::with_url(std::string url) const {
  std::shared_ptr<Context> c(new Context(*this));
  c->url_ = std::move(url);
  return c;
}

bool Context::is_vocab_attribute(std::string_view iri) const {
  return !vocab_attrs_.empty() && vocab_attrs_.contains(std::string(iri));
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
  // A compact IRI ("ngsi-ld:default-context/speed" when "speed" means
  // something else here): the shortest that expands back to the IRI.
  std::string best;
  for (const auto& [prefix, ns] : prefixes_) {
    if (iri.size() <= ns.size() || !iri.starts_with(ns)) continue;
    std::string candidate = prefix + ":" + std::string(iri.substr(ns.size()));
    if ((best.empty() || candidate.size() < best.size()) &&
        expand(candidate) == iri) {
      best = std::move(candidate);
    }
  }
  return best.empty() ? std::string(iri) : best;
}

}  // namespace cocity::ngsi
