// JSON-LD term expansion and compaction for NGSI-LD names.
//
// cocity stores every entity type and attribute name as a full IRI and
// compacts it again for each response, so that the vocabulary a client
// speaks (its @context) is only a matter of presentation. A Context holds a
// flat term -> IRI map, the prefixes usable in compact IRIs ("sdm:no2") and
// the vocabulary for unknown terms. The NGSI-LD core context (v1.8) is built
// in (core()), so no network is needed for the core vocabulary. User
// contexts (Link header, inline @context, see context_builder.h) build on
// it; core terms are protected: a user context cannot redefine them (such
// redefinitions are ignored, as the spec puts the core context last).
//
// Immutable after construction: safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace cocity::ngsi {

inline constexpr std::string_view kCoreContextUrl =
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld";
inline constexpr std::string_view kNgsiLdPrefix =
    "https://uri.etsi.org/ngsi-ld/";
inline constexpr std::string_view kDefaultVocab =
    "https://uri.etsi.org/ngsi-ld/default-context/";
inline constexpr std::string_view kLocationIri =
    "https://uri.etsi.org/ngsi-ld/location";

class Context {
 public:
  // The core context alone: core terms map to their IRIs, every other term
  // to kDefaultVocab + term.
  static std::shared_ptr<const Context> core();

  // A context extending `base` with term definitions (term -> IRI or
  // compact IRI "prefix:suffix" using prefixes of the same map or base).
  // Core terms keep their core IRIs. The result has no URL.
  static std::shared_ptr<const Context> extend(
      std::shared_ptr<const Context> base,
      const std::unordered_map<std::string, std::string>& terms);

  // Expands an attribute name or type. Absolute IRIs ("http://...",
  // "urn:...") are kept; compact IRIs with a known prefix are expanded;
  // known terms map to their IRIs; anything else joins the vocabulary.
  std::string expand(std::string_view term) const;

  // The shortest name this context gives `iri`: a term, the remainder after
  // the vocabulary, or the IRI itself.
  std::string compact(std::string_view iri) const;

  // Whether the term of attribute `iri` was declared "@type": "@vocab":
  // its string values are then vocabulary terms too (expand()/compact()
  // apply to them).
  bool is_vocab_attribute(std::string_view iri) const;

  // The URL under which this context can be fetched (the core context's,
  // a Link header's, or a served implicit context's), or "" when it has
  // none.
  const std::string& url() const { return url_; }

  // A copy of this context that reports `url` as its URL.
  std::shared_ptr<const Context> with_url(std::string url) const;

  // Number of term definitions (core terms included).
  size_t term_count() const { return term_to_iri_.size(); }

 private:
  friend class ContextBuilder;
  Context() = default;

  // Defines or redefines `term` (not a core term) as `iri`.
  void define(const std::string& term, const std::string& iri, bool vocab);
  void undefine(const std::string& term);
  // Copies every definition of `other` (another resolved context) on top.
  void merge(const Context& other);

  std::unordered_map<std::string, std::string> term_to_iri_;
  std::unordered_map<std::string, std::string> iri_to_term_;
  std::unordered_map<std::string, std::string> prefixes_;  // prefix -> IRI
  std::unordered_set<std::string> vocab_attrs_;            // IRIs typed @vocab
  std::string vocab_;
  std::string url_;
};

// Whether `s` is an absolute IRI/URI: a scheme ("urn", "http", ...), a ':'
// and a non-empty remainder without whitespace or control characters.
bool is_absolute_uri(std::string_view s);

// Whether `term` is a term of the built-in core context (protected).
bool is_core_term(std::string_view term);

}  // namespace cocity::ngsi
