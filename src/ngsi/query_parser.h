// Parsing the NGSI-LD query language `q` (ETSI GS CIM 009 v1.8, 4.9).
//
// Grammar accepted (whitespace between tokens is ignored):
//
//   query    = and *("|" and)                 ; OR, binds loosest
//   and      = factor *(";" factor)           ; AND
//   factor   = "(" query ")" / term
//   term     = path [op value]                ; bare path: existence test
//   path     = name *("." name) *("[" key "]")
//   op       = "==" / "!=" / ">" / ">=" / "<" / "<=" / "~=" / "!~="
//   value    = const / const ".." const       ; range, == and != only
//            / const 1*("," const)            ; list,  == and != only
//   const    = number / quoted-string / true / false
//            / date / time / date-time / absolute-uri
//
// - The first name is an attribute, later names sub-attributes; both are
//   expanded with the Context. A last name of observedAt, modifiedAt,
//   createdAt, unitCode or datasetId addresses that metadata instead.
//   `[key]` members select into a compound JSON value and are not expanded.
//   A first name that is a full IRI with "://" keeps its dots
//   ("https://example.org/v1.2/temp"); such a path has no sub-attributes
//   or metadata (give the attribute a term in the @context for those).
// - Quoted strings take the JSON escapes (\" \\ \/ \b \f \n \r \t \uXXXX).
// - Unquoted constants end at ; | ( ) , whitespace or "..". Text that is
//   neither a number, true/false, a date (2026-11-25), a time (10:00:00Z),
//   a date-time with offset (2026-11-25T10:00:00Z) nor an absolute URI is
//   an error: strings must be quoted.
// - After ~= and !~= comes a regular expression (RE2 syntax), quoted
//   ("...", where \" stands for " and every other backslash is kept for
//   RE2) or unquoted, in which case it ends at the first ; | or ) that is
//   outside parentheses, brackets and backslash escapes.
//
// The text must already be percent-decoded (the HTTP layer does that).
#pragma once

#include <string_view>

#include "core/error.h"
#include "ngsi/context.h"
#include "ngsi/query.h"

namespace cocity::ngsi {

// Parses `text`. On failure:
// - kBadRequestData whose detail names the position (bytes counted from 1)
//   and what was expected or found there: "q: expected a value after '>=',
//   found ';' at position 14", "q: expected ')' to close the '(' at
//   position 1, found end of query at position 9", "q: unterminated string
//   starting at position 4".
// - kTooComplexQuery when a limit of query.h is exceeded (length, nesting,
//   number of terms, compiled size of a pattern); the detail names it.
// Never crashes, never recurses deeper than kMaxQueryDepth levels.
Result<Query> parse_query(std::string_view text, const Context& ctx);

}  // namespace cocity::ngsi
