// Builds a Context from a JSON-LD @context value: a URL string, a term
// object, or an array mixing both (nested arrays allowed), applied in order
// on top of the core context.
//
// Term objects may hold, per term: an IRI string, a compact IRI
// ("sdm:no2", with a prefix defined in the same object or earlier), another
// term, null (undefines the term), or an expanded definition object with
// "@id" (string or null) and "@type" ("@vocab" marks enumerated values; other
// types are accepted and ignored). "@vocab" sets the vocabulary for unknown
// terms; "@import" names a context URL applied first; "@version",
// "@protected", "@language", "@base", "@propagate", "@direction" and scoped
// "@context"/"@container" members are accepted and ignored. Terms mapped to
// keywords ("id": "@id") are aliases and ignored. Core terms are protected:
// redefinitions are ignored. null in an array resets to the core context.
//
// URLs are resolved by a ContextLoader the caller supplies (the server's
// context registry: hosted, cached or fetched documents); this library
// never touches the network.
//
// Errors: kBadRequestData naming the offending term or member, or the
// loader's error (typically kLdContextNotAvailable) unchanged.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "core/error.h"
#include "core/json.h"
#include "ngsi/context.h"

namespace cocity::ngsi {

// Resolves a context URL to its context (resolved on top of the core
// context). `depth` is the nesting level of the reference (0 for a URL in
// the request itself); a loader building a referenced document passes
// depth + 1 to build_context and must fail beyond kMaxContextDepth.
using ContextLoader = std::function<Result<std::shared_ptr<const Context>>(
    std::string_view url, int depth)>;

inline constexpr int kMaxContextDepth = 8;

// The context described by `value`; its url() is "".
Result<std::shared_ptr<const Context>> build_context(const json::value& value,
                                                     const ContextLoader& load,
                                                     int depth = 0);

// The @context member of a JSON-LD context document ({"@context": ...}),
// or kBadRequestData naming `what` (e.g. the URL) when the document is not
// an object with one.
Result<const json::value*> context_member(const json::value& document,
                                          std::string_view what);

}  // namespace cocity::ngsi
