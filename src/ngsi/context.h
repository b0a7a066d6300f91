// JSON-LD term expansion and compaction for NGSI-LD names.
//
// cocity stores every entity type and attribute name as a full IRI and
// compacts it again for each response, so that the vocabulary a client
// speaks (its @context) is only a matter of presentation. This Context holds
// a flat term -> IRI map and the vocabulary for unknown terms; the NGSI-LD
// core context (v1.8) is built in (core()), so no network is needed for
// the core vocabulary. User contexts (Link header, inline @context) build
// on it.
//
// Immutable after construction: safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

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
  static std::shared_ptr<const Context> extend(
      std::shared_ptr<const Context> base,
      const std::unordered_map<std::string, std::string>& terms);

  // Expands an attribute name or type. Absolute IRIs ("http://...",
  // "urn:...") are kept; compact IRIs with a known prefix are expanded;
  // known terms map to their IRIs; anything else joins the vocabulary.
  std::string expand(std::string_view term) const;

  // The shortest name this context gives `iri`: a term, a compact IRI, the
  // remainder after the default vocabulary, or the IRI itself.
  std::string compact(std::string_view iri) const;

  // The context's own URL or "" when it is built from inline terms.
  const std::string& url() const { return url_; }

 private:
  Context() = default;
  std::unordered_map<std::string, std::string> term_to_iri_;
  std::unordered_map<std::string, std::string> iri_to_term_;
  std::unordered_map<std::string, std::string> prefixes_;  // prefix -> IRI
  std::string vocab_;
  std::string url_;
};

// Whether `s` is an absolute IRI/URI: a scheme ("urn", "http", ...), a ':'
// and a non-empty remainder without whitespace or control characters.
bool is_absolute_uri(std::string_view s);

}  // namespace cocity::ngsi
